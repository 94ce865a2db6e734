import type { KeyObject } from 'node:crypto'
import { basename } from 'node:path'
import type { Kysely } from 'kysely'
import { appendAuditEvent } from '../../data/audit.js'
import type { Database } from '../../data/database.js'
import { csvLines, type CsvColumns } from '../../data/csv.js'
import { INVENTORY_CSV } from '../../data/evidence/inventory-export.js'
import type { AuditSegment } from '../../data/audit.js'
import { readCampaignEvidence } from '../../data/evidence/campaign.js'
import { readPeriodEvidence, segmentEvents, type LeaverHolding, type Period, type PeriodEvidence, type RunInPeriod } from '../../data/evidence/period.js'
import { writeCampaignParts } from './campaign-parts.js'
import { AUDIT_ANCHOR_PATH, AUDIT_EVENTS_PATH, type AuditAnchor } from '../../data/evidence/verify.js'
import type { ManifestFile } from '../../data/evidence/manifest.js'
import { EvidenceZipWriter } from '../../data/evidence/zip-writer.js'
import type { ControlId } from './controls.js'
import { printHtmlToPdf } from './pdf.js'
import { renderReportHtml, type ReportPart, type ReportSection } from './report.js'

export type { AddCsv, PackageBody }

export type EvidenceScope = { kind: 'period'; period: Period } | { kind: 'campaign'; campaignId: number }

export interface EvidenceExportOptions {
  scope: EvidenceScope
  outPath: string
  /** Who exports (recorded in the manifest and the audit trail). */
  actor: string
  signingKey?: KeyObject
  /** Print report.pdf with Chromium (default); false leaves the PDF out. */
  pdf?: false | { executablePath?: string }
  now?: string
}

export interface EvidenceExportResult {
  path: string
  manifestSha256: string
  files: ManifestFile[]
  events: number
  signed: boolean
  headHash: string
}

const RUN_COLUMNS: CsvColumns<RunInPeriod> = [
  ['run_id', (r) => r.run_id], ['collector', (r) => r.collector], ['source_key', (r) => r.source_key], ['mode', (r) => r.mode], ['status', (r) => r.status],
  ['started_at', (r) => r.started_at], ['finished_at', (r) => r.finished_at], ['file_name', (r) => r.file_name], ['file_sha256', (r) => r.file_sha256],
  ['counts', (r) => r.counts], ['error', (r) => r.error],
]
const LEAVER_COLUMNS: CsvColumns<PeriodEvidence['leavers'][number]> = [
  ['person_email', (r) => r.person_email], ['person_name', (r) => r.person_name], ['department', (r) => r.department], ['end_date', (r) => r.end_date],
  ['apps_still_held', (r) => r.apps_still_held],
]
const HOLDING_COLUMNS: CsvColumns<LeaverHolding> = [
  ['person_email', (r) => r.person_email], ['person_name', (r) => r.person_name], ['end_date', (r) => r.end_date], ['app', (r) => r.app], ['via', (r) => r.via],
  ['last_signin_at', (r) => r.last_signin_at],
]

const REPORT_ROWS = 25

interface PackageBody {
  title: string
  subtitle: string
  facts: [string, string][]
  sections: ReportSection[]
  scope: Record<string, unknown>
  subject: { type: string; id: string | number }
  segment: AuditSegment
}

type AddCsv = <Row>(path: string, title: string, description: string, controls: ControlId[], columns: CsvColumns<Row>, rows: readonly Row[]) => Promise<void>

/** Writes the evidence package for a period or a campaign: CSVs, the audit segment, report.html/.pdf, manifest (signed if a key is given). */
export async function exportEvidence(db: Kysely<Database>, options: EvidenceExportOptions): Promise<EvidenceExportResult> {
  const createdAt = options.now ?? new Date().toISOString()
  // read before the zip is opened: a campaign that does not exist leaves no file behind
  const source = options.scope.kind === 'period'
    ? { kind: 'period' as const, evidence: await readPeriodEvidence(db, options.scope.period) }
    : { kind: 'campaign' as const, evidence: await readCampaignEvidence(db, options.scope.campaignId, createdAt) }
  const writer = new EvidenceZipWriter(options.outPath, createdAt)
  try {
    const parts: ReportPart[] = []
    const addCsv: AddCsv = async (path, title, description, controls, columns, rows) => {
      const file = await writer.add(path, csvLines(columns, rows))
      parts.push({ path, title, description, controls, rows: rows.length, sha256: file.sha256 })
    }
    const body = source.kind === 'period' ? await writePeriodParts(addCsv, source.evidence) : await writeCampaignParts(writer, parts, addCsv, source.evidence)

    // the audit segment, then its anchor (which needs the last hash)
    let events = 0
    let headHash = body.segment.anchorHash
    let throughSeq = body.segment.anchorSeq
    const lines = async function* () {
      for await (const event of segmentEvents(db, body.segment)) {
        events += 1
        headHash = event.hash
        throughSeq = event.seq
        yield `${JSON.stringify(event)}\n`
      }
    }
    const eventsFile = await writer.add(AUDIT_EVENTS_PATH, lines())
    const auditControls: ControlId[] = ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.18']
    parts.push({ path: AUDIT_EVENTS_PATH, title: 'Audit events', description: 'Every audit event of the period, in chain order, with prev_hash and hash', controls: auditControls, rows: events, sha256: eventsFile.sha256 })
    const anchor: AuditAnchor = { anchor_seq: body.segment.anchorSeq, anchor_hash: body.segment.anchorHash, through_seq: throughSeq, head_hash: headHash }
    const anchorFile = await writer.add(AUDIT_ANCHOR_PATH, `${JSON.stringify(anchor, null, 2)}\n`)
    parts.push({ path: AUDIT_ANCHOR_PATH, title: 'Audit anchor', description: 'The hash of the event before the period (the chain continues from it) and of the last event', controls: auditControls, rows: null, sha256: anchorFile.sha256 })

    const html = renderReportHtml({
      title: body.title,
      subtitle: body.subtitle,
      facts: [['Generated', createdAt], ['By', options.actor], ...body.facts, ['Audit events in the period', String(events)]],
      sections: body.sections,
      parts,
      verification: { anchorSeq: anchor.anchor_seq, anchorHash: anchor.anchor_hash, throughSeq: anchor.through_seq, headHash, events, signed: Boolean(options.signingKey) },
    })
    await writer.add('report.html', html)
    if (options.pdf !== false) await writer.add('report.pdf', await printHtmlToPdf(html, options.pdf ?? {}))
    const { manifest, manifestSha256 } = await writer.finish({ created_at: createdAt, created_by: options.actor, scope: body.scope }, options.signingKey)
    await appendAuditEvent(db, {
      actor: options.actor,
      action: 'export.evidence',
      subjectType: body.subject.type,
      subjectId: body.subject.id,
      payload: { file: basename(options.outPath), manifest_sha256: manifestSha256, files: manifest.files.length, events, signed: Boolean(options.signingKey) },
    })
    return { path: options.outPath, manifestSha256, files: manifest.files, events, signed: Boolean(options.signingKey), headHash }
  } catch (error) {
    await writer.abort()
    throw error
  }
}

async function writePeriodParts(addCsv: AddCsv, evidence: PeriodEvidence): Promise<PackageBody> {
  const { period } = evidence
  const inv = evidence.inventory
  await addCsv('csv/population-sources.csv', 'Population by source', 'Completeness: per source, the last completed run by the end of the period and the identities, accounts and grants it accounts for', ['SOC 2 CC6.1', 'ISO 27001:2022 A.5.15'], INVENTORY_CSV.sources, inv.sources)
  await addCsv('csv/apps.csv', 'Applications', 'Every app known at the end of the period, with its status then', ['SOC 2 CC6.1', 'ISO 27001:2022 A.5.15'], INVENTORY_CSV.apps, inv.apps)
  await addCsv('csv/access-matrix.csv', 'Access matrix', 'People × apps at the end of the period: accounts, OAuth grants and sign-ins in the 90 days before', ['SOC 2 CC6.1', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.15', 'ISO 27001:2022 A.5.18'], INVENTORY_CSV.access, inv.access)
  await addCsv('csv/open-findings.csv', 'Open findings', 'Findings open or acknowledged at the end of the period (orphaned access, risky grants, inactive licences …)', ['SOC 2 CC6.1', 'SOC 2 CC6.3', 'ISO 27001:2022 A.8.2'], INVENTORY_CSV.findings, inv.findings)
  await addCsv('csv/leavers.csv', 'Leavers', 'People who had left by the end of the period, with how many apps they still held', ['SOC 2 CC6.2', 'ISO 27001:2022 A.5.18'], LEAVER_COLUMNS, evidence.leavers)
  await addCsv('csv/leaver-holdings.csv', 'What leavers still held', 'Each app a leaver still had access to at the end of the period', ['SOC 2 CC6.2', 'ISO 27001:2022 A.5.18'], HOLDING_COLUMNS, evidence.leaverHoldings)
  await addCsv('csv/scan-runs.csv', 'Scans and imports', 'Every collector run started in the period, with its counts, file hash and error', ['SOC 2 CC6.1'], RUN_COLUMNS, evidence.runs)
  return {
    title: `Access evidence — ${period.label}`,
    subtitle: `From ${period.from.slice(0, 10)} to ${period.asOf.slice(0, 10)} (UTC); inventory as it stood at ${period.asOf}.`,
    facts: [
      ['Applications', String(inv.apps.length)],
      ['People × app access rows', String(inv.access.length)],
      ['Open findings', String(inv.findings.length)],
      ['Leavers still holding access', String(evidence.leavers.filter((l) => l.apps_still_held > 0).length)],
    ],
    sections: periodSections(evidence),
    scope: { kind: 'period', period: period.label, from: period.from, to: period.to },
    subject: { type: 'period', id: period.label },
    segment: evidence.segment,
  }
}

function periodSections(e: PeriodEvidence): ReportSection[] {
  const inv = e.inventory
  const bySeverity = new Map<string, number>()
  for (const f of inv.findings) bySeverity.set(`${f.severity}\u0000${f.kind}`, (bySeverity.get(`${f.severity}\u0000${f.kind}`) ?? 0) + 1)
  const severityOrder = ['critical', 'high', 'medium', 'low', 'info']
  const findingRows = [...bySeverity.entries()]
    .map(([k, n]): [string, string, number] => {
      const [severity = '', kind = ''] = k.split('\u0000')
      return [severity, kind, n]
    })
    .sort((a, b) => severityOrder.indexOf(a[0]) - severityOrder.indexOf(b[0]) || (a[1] < b[1] ? -1 : 1))
  const statusCounts = new Map<string, number>()
  for (const a of inv.apps) statusCounts.set(a.status, (statusCounts.get(a.status) ?? 0) + 1)
  const leaversHolding = e.leavers.filter((l) => l.apps_still_held > 0)
  return [
    {
      heading: 'Population and its completeness',
      text: 'Where the population comes from: for each source, the last completed run by the end of the period (a failed or interrupted run never counts), and how many identities, accounts and grants it accounts for.',
      controls: ['SOC 2 CC6.1', 'ISO 27001:2022 A.5.15'],
      tables: [{
        caption: 'Counts per source, with the runs they came from',
        columns: ['Source', 'Key', 'Last run', 'Finished (UTC)', 'Completed runs', 'Identities', 'Accounts', 'Grants', 'File SHA-256 (start)'],
        rows: inv.sources.map((s) => [
          s.collector, s.source_key.replace(/^file:.*\//, 'file:'), s.run_id, s.run_finished_at.replace('T', ' ').slice(0, 19), s.completed_runs, s.identities, s.accounts, s.grants,
          s.file_sha256 ? `${s.file_sha256.slice(0, 12)}…` : '',
        ]),
      }],
    },
    {
      heading: 'Applications and access',
      controls: ['SOC 2 CC6.1', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.15', 'ISO 27001:2022 A.5.18'],
      tables: [
        { caption: 'Applications by status at the end of the period', columns: ['Status', 'Apps'], rows: [...statusCounts.entries()].sort() },
        {
          caption: 'Applications with the most people',
          columns: ['App', 'Status', 'Owner', 'People with access'],
          rows: [...inv.apps].sort((a, b) => b.people_with_access - a.people_with_access).slice(0, REPORT_ROWS).map((a) => [a.name, a.status, a.owner_email ?? '', a.people_with_access]),
          more: { count: Math.max(0, inv.apps.length - REPORT_ROWS), file: 'csv/apps.csv' },
        },
      ],
    },
    {
      heading: 'Leavers and what they still held',
      text: 'People whose employment had ended by the end of the period and the access still seen for them then. Each line is a revocation that was due.',
      controls: ['SOC 2 CC6.2', 'ISO 27001:2022 A.5.18'],
      tables: [{
        caption: 'Leavers still holding access',
        columns: ['Person', 'Department', 'End date', 'Apps still held'],
        rows: leaversHolding.slice(0, REPORT_ROWS).map((l) => [l.person_email, l.department ?? '', l.end_date ?? '', l.apps_still_held]),
        more: { count: Math.max(0, leaversHolding.length - REPORT_ROWS), file: 'csv/leavers.csv' },
      }],
    },
    {
      heading: 'Open findings',
      controls: ['SOC 2 CC6.1', 'SOC 2 CC6.3', 'ISO 27001:2022 A.8.2'],
      tables: [{ caption: 'Open and acknowledged findings at the end of the period', columns: ['Severity', 'Kind', 'Findings'], rows: findingRows }],
    },
    {
      heading: 'Activity recorded in the audit trail',
      controls: ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'],
      tables: [
        { caption: 'Audit events in the period by action', columns: ['Action', 'Events'], rows: e.actions.map((a) => [a.action, a.events]) },
        {
          caption: 'Scans and imports started in the period',
          columns: ['Run', 'Source', 'Key', 'Status', 'Finished'],
          rows: e.runs.slice(0, REPORT_ROWS).map((r) => [r.run_id, r.collector, r.source_key, r.status, r.finished_at ?? '']),
          more: { count: Math.max(0, e.runs.length - REPORT_ROWS), file: 'csv/scan-runs.csv' },
        },
      ],
    },
  ]
}

import type { CsvColumns } from '../../data/csv.js'
import type {
  CampaignEvidence, DecisionRow, LeaverItemRow, PopulationRow, ReassignmentRow, RemediationRow, RubberStampRow, UndecidedRow,
} from '../../data/evidence/campaign.js'
import { INVENTORY_CSV } from '../../data/evidence/inventory-export.js'
import type { EvidenceZipWriter } from '../../data/evidence/zip-writer.js'
import type { AddCsv, PackageBody } from './build.js'
import type { ReportPart, ReportSection } from './report.js'

const cols = <Row>(names: readonly (keyof Row & string)[]): CsvColumns<Row> => names.map((n) => [n, (r: Row) => r[n]] as const)

const POPULATION = cols<PopulationRow>([
  'item_id', 'stage', 'kind', 'access_key', 'person_email', 'person_name', 'department', 'title', 'person_status', 'app', 'app_status', 'source', 'account',
  'entitlements', 'oauth_client', 'scopes', 'last_activity_at', 'finding_count', 'reviewer_email', 'assigned_by_rule', 'created_at',
])
const DECISIONS = cols<DecisionRow>(['decision_id', 'item_id', 'stage', 'person_email', 'app', 'decision', 'reason', 'modification', 'decided_by', 'decided_at', 'is_default', 'bulk', 'undone_at', 'undone_by'])
const REMEDIATIONS = cols<RemediationRow>([
  'remediation_id', 'item_id', 'person_email', 'app', 'mode', 'action', 'source', 'status', 'owner_email', 'due_at', 'attempts', 'outcome', 'error', 'note',
  'created_at', 'completed_at', 'completed_by', 'verified_at', 'verified_by_scan_run_id', 'verifying_scan', 'verifying_scan_finished_at', 'reopened',
])
const UNDECIDED = cols<UndecidedRow>(['item_id', 'stage', 'person_email', 'app', 'reviewer_email', 'outcome', 'is_default'])
const REASSIGNMENTS = cols<ReassignmentRow>(['item_id', 'person_email', 'app', 'from_email', 'to_email', 'reason', 'reassigned_by', 'reassigned_at'])
const RUBBER_STAMP = cols<RubberStampRow>(['reviewer', 'decided', 'kept', 'medianSeconds', 'fastDecisions', 'bulkKeptWithFindings', 'flags'])
const LEAVERS = cols<LeaverItemRow>(['item_id', 'person_email', 'person_name', 'end_date', 'app', 'source', 'decision', 'decided_by', 'remediation_status', 'verified_at'])

const ROWS = 25

/** The campaign's files: its definition, the population frozen at launch, and what was decided and done about it. */
export async function writeCampaignParts(writer: EvidenceZipWriter, parts: ReportPart[], addCsv: AddCsv, e: CampaignEvidence): Promise<PackageBody> {
  const c = e.campaign
  const definition = await writer.add('campaign/definition.json', `${JSON.stringify(c, null, 2)}\n`)
  parts.push({ path: 'campaign/definition.json', title: 'Campaign definition', description: 'Scope, reviewer rules, fallback reviewer, default outcome, instructions, dates', controls: ['SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'], rows: null, sha256: definition.sha256 })
  await addCsv('csv/population-sources.csv', 'Population by source', 'Completeness: per source, the last completed run before launch and the identities, accounts and grants it accounts for', ['SOC 2 CC6.1', 'ISO 27001:2022 A.5.15'], INVENTORY_CSV.sources, e.sources)
  await addCsv('csv/population-at-launch.csv', 'Population at launch', 'Every access in scope as it was frozen at launch, with its reviewer', ['SOC 2 CC6.1', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.18', 'ISO 27001:2022 A.8.2'], POPULATION, e.population)
  await addCsv('csv/decisions.csv', 'Decisions', 'Every decision with reviewer, time and reason (undone ones and defaults included and marked)', ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'], DECISIONS, e.decisions)
  await addCsv('csv/remediations.csv', 'Remediations', 'Each revocation, how it was done, and the scan run that verified the access was gone', ['SOC 2 CC6.2', 'ISO 27001:2022 A.5.18'], REMEDIATIONS, e.remediations)
  await addCsv('csv/undecided-and-defaulted.csv', 'Undecided and defaulted items', 'Items nobody decided, and those closed with the default outcome (never counted as a person’s decision)', ['SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'], UNDECIDED, e.undecided)
  await addCsv('csv/reassignments.csv', 'Reassignments', 'Items moved to another reviewer, by whom and why', ['SOC 2 CC6.3'], REASSIGNMENTS, e.reassignments)
  await addCsv('csv/rubber-stamp-signals.csv', 'Rubber-stamp signals', 'Per reviewer: decisions, keeps, speed, bulk keeps of access with findings, and the signals raised', ['SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'], RUBBER_STAMP, e.rubberStamp)
  await addCsv('csv/leavers.csv', 'Leavers', 'Access of people who had left at launch: what they still held, the decision and the remediation', ['SOC 2 CC6.2', 'ISO 27001:2022 A.5.18'], LEAVERS, e.leavers)

  const count = (pred: (d: DecisionRow) => boolean) => e.decisions.filter((d) => d.undone_at === null && pred(d)).length
  const verified = e.remediations.filter((r) => r.status === 'verified').length
  const flagged = e.rubberStamp.filter((r) => r.flags !== '')
  const sections: ReportSection[] = [
    {
      heading: 'The campaign',
      text: `Created by ${String(c.created_by)} on ${c.created_at.slice(0, 10)}, launched ${c.launched_at?.slice(0, 10) ?? '—'}, due ${String(c.due_at ?? '—').slice(0, 10)}, ${c.closed_at ? `closed ${c.closed_at.slice(0, 10)}` : 'still open'}. Items nobody decided are recorded as “${String(c.default_outcome)}” and marked as a default, never as a person’s decision. The full definition is in campaign/definition.json.`,
      controls: ['SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'],
      tables: [],
    },
    {
      heading: 'Population and its completeness',
      text: 'The access under review was frozen at launch. For each source: the last completed run before launch (a failed or interrupted run never counts) and how many items the campaign took from it.',
      controls: ['SOC 2 CC6.1', 'ISO 27001:2022 A.5.15'],
      tables: [
        { caption: 'Items in the campaign per source', columns: ['Source', 'Items'], rows: e.itemsBySource.map((s) => [s.source, s.items]) },
        {
          caption: 'Runs the population came from',
          columns: ['Source', 'Key', 'Last run', 'Finished (UTC)', 'Identities', 'Accounts', 'Grants'],
          rows: e.sources.map((s) => [s.collector, s.source_key.replace(/^file:.*\//, 'file:'), s.run_id, s.run_finished_at.replace('T', ' ').slice(0, 19), s.identities, s.accounts, s.grants]),
        },
      ],
    },
    {
      heading: 'Decisions',
      controls: ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'],
      tables: [{
        caption: 'Outcomes (current decisions; undone ones are in decisions.csv)',
        columns: ['Outcome', 'Items'],
        rows: [
          ['keep', count((d) => d.decision === 'keep' && d.is_default === 0)], ['revoke', count((d) => d.decision === 'revoke' && d.is_default === 0)],
          ['modify', count((d) => d.decision === 'modify' && d.is_default === 0)], ['default at close', count((d) => d.is_default === 1)],
          ['undecided', e.undecided.filter((u) => u.is_default === 0).length],
        ],
      }],
    },
    {
      heading: 'Remediation and its verification',
      text: `${e.remediations.length} revocations; ${verified} verified gone by a later completed scan of their source.`,
      controls: ['SOC 2 CC6.2', 'ISO 27001:2022 A.5.18'],
      tables: [{
        caption: 'Remediations',
        columns: ['Person', 'App', 'Mode', 'Status', 'Verified by scan', 'Verified at'],
        rows: e.remediations.slice(0, ROWS).map((r) => [r.person_email ?? '', r.app ?? '', r.mode, r.status, r.verified_by_scan_run_id ? `#${r.verified_by_scan_run_id} ${r.verifying_scan ?? ''}` : '', r.verified_at ?? '']),
        more: { count: Math.max(0, e.remediations.length - ROWS), file: 'csv/remediations.csv' },
      }],
    },
    {
      heading: 'Leavers',
      controls: ['SOC 2 CC6.2', 'ISO 27001:2022 A.5.18'],
      tables: [{
        caption: 'Access of people who had left, and what happened to it',
        columns: ['Person', 'App', 'Decision', 'Remediation', 'Verified at'],
        rows: e.leavers.slice(0, ROWS).map((l) => [l.person_email ?? '', l.app ?? '', l.decision ?? 'pending', l.remediation_status ?? '', l.verified_at ?? '']),
        more: { count: Math.max(0, e.leavers.length - ROWS), file: 'csv/leavers.csv' },
      }],
    },
    {
      heading: 'Review quality',
      controls: ['SOC 2 CC6.3', 'ISO 27001:2022 A.5.18'],
      tables: [
        { caption: 'Reviewers with rubber-stamp signals', columns: ['Reviewer', 'Decided', 'Kept', 'Signals'], rows: flagged.map((r) => [r.reviewer, r.decided, r.kept, r.flags]) },
        { caption: 'Reassignments', columns: ['Person', 'App', 'From', 'To', 'Reason'], rows: e.reassignments.slice(0, ROWS).map((r) => [r.person_email ?? '', r.app ?? '', r.from_email, r.to_email, r.reason]), more: { count: Math.max(0, e.reassignments.length - ROWS), file: 'csv/reassignments.csv' } },
      ],
    },
  ]
  return {
    title: `Access review evidence — ${c.name}`,
    subtitle: `Campaign ${c.id}, ${c.status}; launched ${c.launched_at ?? '—'}${c.closed_at ? `, closed ${c.closed_at}` : ''} (UTC).`,
    facts: [
      ['Items reviewed', String(e.population.length)],
      ['Decisions (current)', String(count(() => true))],
      ['Revocations verified', `${verified} of ${e.remediations.length}`],
      ['Undecided or defaulted', String(e.undecided.length)],
      ['Reviewers with rubber-stamp signals', String(flagged.length)],
    ],
    sections,
    scope: { kind: 'campaign', campaign_id: c.id, name: c.name, launched_at: c.launched_at, closed_at: c.closed_at, until: e.until },
    subject: { type: 'campaign', id: c.id },
    segment: e.segment,
  }
}

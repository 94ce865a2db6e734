import type { Command } from 'commander'
import { analyze, analyzerConfig, DEFAULT_ANALYZER_CONFIG, FINDING_MODULES, type FindingKind } from '../../../analyzer/index.js'
import { withStore, type GlobalFlags } from '../context.js'
import { createOutput } from '../output.js'
import { parseFormat, renderRows } from '../format.js'
import { UsageError } from '../errors.js'
import { listFindings, MAX_FINDINGS_PAGE, setFindingStatus, TRIAGE_STATUSES } from '../../../data/findings.js'
import type { FindingStatus } from '../../../data/tables/findings.table.js'

const KINDS = FINDING_MODULES.map((m) => m.kind)

function parseKinds(value: string | undefined): FindingKind[] | undefined {
  if (!value) return undefined
  const kinds = value.split(',').map((k) => k.trim())
  for (const k of kinds) if (!KINDS.includes(k as FindingKind)) throw new UsageError(`--kind ${k}: expected one of ${KINDS.join(', ')}`)
  return kinds as FindingKind[]
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('recompute every finding from the inventory (idempotent: a second run changes nothing)')
    .option('--as-of <time>', 'the moment activity windows count back from (default: now)')
    // Defaults come from the analyzer's own config so the CLI, the demo and the README cannot drift apart.
    .option('--inactive-days <n>', 'days without activity that make a license inactive', String(DEFAULT_ANALYZER_CONFIG.inactiveDays))
    .option('--spend-window-days <n>', 'days of spend that count as "currently paid"', String(DEFAULT_ANALYZER_CONFIG.spendWindowDays))
    .option('--outlier-min-peers <n>', 'smallest department × title group for outlier access', String(DEFAULT_ANALYZER_CONFIG.outlierMinPeers))
    .option('--company-domain <domain...>', 'company email domains (default: inferred from the HR roster)')
    .option('--kind <kinds>', `only these kinds (${KINDS.join(', ')})`)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { asOf?: string; inactiveDays: string; spendWindowDays: string; outlierMinPeers: string; companyDomain?: string[]; kind?: string; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      const config = analyzerConfig({
        ...(opts.asOf ? { asOf: new Date(opts.asOf).toISOString() } : {}),
        inactiveDays: positive('--inactive-days', opts.inactiveDays),
        spendWindowDays: positive('--spend-window-days', opts.spendWindowDays),
        outlierMinPeers: positive('--outlier-min-peers', opts.outlierMinPeers),
        companyDomains: opts.companyDomain ?? [],
      })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const result = await analyze(store.db, config, { kinds: parseKinds(opts.kind) })
        if (out.json) return out.result(result)
        const rows = Object.entries(result.byKind).map(([kind, c]) => ({ kind, current: c.current, opened: c.opened, updated: c.updated, reopened: c.reopened, resolved: c.resolved }))
        out.result(renderRows(rows, ['kind', 'current', 'opened', 'updated', 'reopened', 'resolved'], 'table'))
        if (result.promotedCandidates > 0) out.result(`${result.promotedCandidates} recurring unknown merchant(s) promoted to candidate apps`)
      })
    })
}

function positive(flag: string, value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a positive whole number`)
  return n
}

export function registerFindings(program: Command): void {
  const findings = program
    .command('findings')
    .description('list findings, or change their status')
    .option('--kind <kinds>', `only these kinds (${KINDS.join(', ')})`)
    .option('--status <statuses>', 'only these statuses (open, acknowledged, resolved, suppressed)', 'open,acknowledged')
    .option('--format <format>', 'table, csv, json (one document) or jsonl (one object a line)', 'table')
    .option('--limit <n>', `at most this many rows (up to ${MAX_FINDINGS_PAGE})`)
    .option('--offset <n>', 'skip this many rows first (with --limit)')
    .action(async (opts: { kind?: string; status: string; format: string; limit?: string; offset?: string }, cmd: Command) => {
      const format = parseFormat(opts.format)
      const kinds = parseKinds(opts.kind)
      const statuses = opts.status.split(',').map((s) => s.trim()) as FindingStatus[]
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const page = await listFindings(store.db, {
          kinds, statuses,
          ...(opts.limit ? { limit: positive('--limit', opts.limit) } : {}),
          ...(opts.offset ? { offset: Number(opts.offset) } : {}),
        })
        const shaped = page.rows.map((f) => ({
          id: f.id, kind: f.kind, severity: f.severity, status: f.status, title: f.title,
          ...(format === 'table' ? {} : { subject: f.subjectKey, evidence: f.evidence, recommendation: f.recommendation, firstDetected: f.firstDetectedAt, lastDetected: f.lastDetectedAt, comment: f.statusComment }),
        }))
        const columns = format === 'table' ? ['id', 'kind', 'severity', 'status', 'title'] : ['id', 'kind', 'severity', 'status', 'title', 'subject', 'recommendation', 'firstDetected', 'lastDetected', 'comment', 'evidence']
        process.stdout.write(`${renderRows(shaped, columns, format)}\n`)
      })
    })
  findings
    .command('set-status')
    .description('acknowledge, suppress or reopen a finding, with a reason (survives re-analysis)')
    .argument('<id>', 'finding id')
    .argument('<status>', TRIAGE_STATUSES.join(', '))
    .option('--comment <text>', 'why (kept with the finding and in the audit trail)')
    .option('--by <actor>', 'who decided (recorded in the audit trail)', `cli:${process.env.USER ?? 'unknown'}`)
    .action(async (id: string, status: string, opts: { comment?: string; by: string }, cmd: Command) => {
      const findingId = positive('id', id)
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        await setFindingStatus(store.db, { id: findingId, status, reason: opts.comment ?? null, actor: opts.by })
        process.stdout.write(`finding ${id}: ${status}\n`)
      })
    })
}

// The Overview page's read model: counts, spend by month, open findings, freshness of each source. SQL on both dialects.
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'
import { runRate, statementCoverage } from './run-rate.js'
import type { AppStatus } from './tables/apps.table.js'
import type { Severity } from './tables/findings.table.js'

export const APP_STATUS_ORDER: readonly AppStatus[] = ['sanctioned', 'unsanctioned', 'unknown', 'blocked']
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

export interface SourceFreshness {
  collector: string
  /** When its last completed run finished, or null if none ever completed. */
  lastCompletedAt: string | null
  lastRunStatus: string
  lastRunAt: string
  /** Failed or interrupted runs since the last completed one. */
  failedSince: number
  stale: boolean
}

export interface MonthlySpend {
  month: string
  totalMinor: number
}

export interface Overview {
  appsByStatus: Record<AppStatus, number>
  appsTotal: number
  /** Apps first seen by any source in the last 30 days. */
  newApps: number
  /** Open shadow-app findings: apps in use that nobody sanctioned. */
  shadowApps: number
  /** Spend per month and currency (never summed across currencies), the twelve months up to the latest statement. */
  /** Run-rate over the period the statements cover (data/run-rate.ts), as the Spend page and findings use it. */
  spendByMonth: { currency: string; months: MonthlySpend[]; monthlyRunRateMinor: number }[]
  openFindingsBySeverity: Record<Severity, number>
  sources: SourceFreshness[]
  asOf: string
}

export interface OverviewOptions {
  now: string
  /** A source whose last completed run is older than this is stale. */
  staleAfterDays?: number
}

/** `YYYY-MM` n months before `month`. */
function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 1 - n, 1))
  return d.toISOString().slice(0, 7)
}

const daysBefore = (iso: string, days: number): string => new Date(Date.parse(iso) - days * 86_400_000).toISOString()

export async function overviewReadModel(db: Kysely<Database>, options: OverviewOptions): Promise<Overview> {
  const staleAfterDays = options.staleAfterDays ?? 7
  const statusRows = await db.selectFrom('apps').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute()
  const appsByStatus = Object.fromEntries(APP_STATUS_ORDER.map((s) => [s, 0])) as Record<AppStatus, number>
  for (const r of statusRows) appsByStatus[r.status] = Number(r.n)

  const since = daysBefore(options.now, 30)
  const firstSeen = await sql<{ n: number }>`
    select count(*) as n from (
      select app_id, min(first_seen) as first_seen from (
        select app_id, min(posted_on) as first_seen from spend_transactions where app_id is not null group by app_id
        union all select app_id, min(first_seen_at) from grants where app_id is not null group by app_id
        union all select app_id, min(first_seen_at) from accounts group by app_id
        union all select app_id, min(day) from signin_daily where app_id is not null group by app_id
        union all select app_id, min(occurred_at) from telemetry_events where app_id is not null group by app_id
      ) s group by app_id
    ) f where f.first_seen >= ${since.slice(0, 10)}
  `.execute(db)

  const shadow = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'shadow-app')
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow()

  const monthRows = await db
    .selectFrom('spend_transactions')
    .select([sql<string>`substr(posted_on, 1, 7)`.as('month'), 'currency', 'source_layout', (eb) => eb.fn.sum<number>('amount_minor').as('total')])
    .groupBy([sql`substr(posted_on, 1, 7)`, 'currency', 'source_layout'])
    .orderBy('currency')
    .orderBy(sql`substr(posted_on, 1, 7)`)
    .execute()
  const byCurrency = new Map<string, { month: string; layout: string; totalMinor: number }[]>()
  for (const r of monthRows) {
    const list = byCurrency.get(r.currency) ?? []
    list.push({ month: r.month, layout: r.source_layout, totalMinor: Number(r.total) })
    byCurrency.set(r.currency, list)
  }
  // The run-rate covers the last twelve months of statements, the same window the chart shows.
  const lastMonth = monthRows.reduce((a, r) => (r.month > a ? r.month : a), '')
  const windowStart = lastMonth ? monthsBefore(lastMonth, 11) : undefined
  const coverage = windowStart ? await statementCoverage(db, { from: `${windowStart}-01` }) : new Map()
  const spendByMonth = [...byCurrency.entries()]
    .map(([currency, parts]) => {
      const last = parts.filter((m) => windowStart !== undefined && m.month >= windowStart)
      const months = new Map<string, number>()
      for (const m of last) months.set(m.month, (months.get(m.month) ?? 0) + m.totalMinor)
      const shares = last.map((m) => ({ layout: m.layout, totalMinor: m.totalMinor }))
      return { currency, months: [...months].map(([month, totalMinor]) => ({ month, totalMinor })), monthlyRunRateMinor: runRate(shares, coverage).monthlyMinor }
    })
    .sort((a, b) => b.monthlyRunRateMinor - a.monthlyRunRateMinor || a.currency.localeCompare(b.currency))

  const findingRows = await db
    .selectFrom('findings')
    .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .groupBy('severity')
    .execute()
  const openFindingsBySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>
  for (const r of findingRows) openFindingsBySeverity[r.severity] = Number(r.n)

  const sources = await sourceFreshness(db, options.now, staleAfterDays)
  return {
    appsByStatus, appsTotal: Object.values(appsByStatus).reduce((a, b) => a + b, 0), newApps: Number(firstSeen.rows[0]?.n ?? 0),
    shadowApps: Number(shadow.n), spendByMonth, openFindingsBySeverity, sources, asOf: options.now,
  }
}

/** Per collector: the last completed run, the last run of any status, failures since the last completion. */
export async function sourceFreshness(db: Kysely<Database>, now: string, staleAfterDays: number): Promise<SourceFreshness[]> {
  const rows = await db
    .selectFrom('scan_runs')
    .select([
      'collector',
      (eb) => eb.fn.max(sql<string | null>`case when status = 'completed' then finished_at end`).as('last_completed'),
      (eb) => eb.fn.max('started_at').as('last_started'),
    ])
    .where('collector', '<>', 'analyzer')
    .groupBy('collector')
    .orderBy('collector')
    .execute()
  const staleBefore = daysBefore(now, staleAfterDays)
  const out: SourceFreshness[] = []
  for (const r of rows) {
    const last = await db
      .selectFrom('scan_runs')
      .select(['status', 'started_at'])
      .where('collector', '=', r.collector)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    const lastCompleted = (r.last_completed as string | null) ?? null
    let failedQuery = db
      .selectFrom('scan_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('collector', '=', r.collector)
      .where('status', 'in', ['failed', 'interrupted'])
    if (lastCompleted) failedQuery = failedQuery.where('started_at', '>', lastCompleted)
    const failed = await failedQuery.executeTakeFirstOrThrow()
    out.push({
      collector: r.collector, lastCompletedAt: lastCompleted, lastRunStatus: last.status, lastRunAt: last.started_at, failedSince: Number(failed.n),
      stale: lastCompleted === null || lastCompleted < staleBefore,
    })
  }
  return out
}

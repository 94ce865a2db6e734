// Spend totals and run-rates per app, category, department or cardholder, computed in SQL on either dialect.
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'
import { InvalidInputError } from './errors.js'
import { periodsOf, runRate, statementCoverage, type StatementPeriod } from './run-rate.js'

export type SpendGroupBy = 'app' | 'category' | 'department' | 'cardholder'
export const SPEND_GROUPS: readonly SpendGroupBy[] = ['app', 'category', 'department', 'cardholder']

/** The group of transactions whose merchant matched no app. */
export const UNRESOLVED = '(unresolved)'
/** The group of transactions with no value for a category, department or cardholder. */
export const NONE = '(none)'

export interface SpendSummaryOptions {
  by?: SpendGroupBy
  /** Inclusive `YYYY-MM-DD` bounds on the transaction date. */
  from?: string
  to?: string
}

export interface SpendSummaryRow {
  group: string
  /** The app of an `app` group; null for the unresolved group and for other groupings. */
  appId: number | null
  currency: string
  totalMinor: number
  transactions: number
  /** Calendar months (YYYY-MM) in the range with at least one transaction. */
  months: number
  firstDate: string
  lastDate: string
  /** The periods of the statements this row's lines are on (data/run-rate.ts `statementCoverage`), by layout. */
  coverage: StatementPeriod[]
  /** Net spend per month: each statement's part over the months it covers, added up (data/run-rate.ts `runRate`). */
  monthlyRunRateMinor: number
  /** monthlyRunRateMinor × 12. */
  annualRunRateMinor: number
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Per group and currency (amounts in different currencies are never added): net total, count and run-rate.
 * Refunds are negative and net against charges; unresolved merchants form one `(unresolved)` group. Run-rates
 * spread each statement's part over the period it covers (data/run-rate.ts), the same definition the findings use.
 * Throws InvalidInputError for an unknown grouping or a malformed date.
 */
export async function summarizeSpend(db: Kysely<Database>, options: SpendSummaryOptions = {}): Promise<SpendSummaryRow[]> {
  const by = options.by ?? 'app'
  if (!SPEND_GROUPS.includes(by)) throw new InvalidInputError(`spend report: group by ${by}: expected one of ${SPEND_GROUPS.join(', ')}`)
  for (const bound of [options.from, options.to]) {
    if (bound !== undefined && !DATE.test(bound)) throw new InvalidInputError(`spend report: date range: ${bound} is not YYYY-MM-DD`)
  }
  // No bound parameters in grouped expressions: PostgreSQL would see `$1` and `$2` as different expressions.
  const groupKey = {
    app: sql<string | null>`apps.name`,
    category: sql<string | null>`st.category`,
    department: sql<string | null>`st.department`,
    cardholder: sql<string | null>`coalesce(st.cardholder, st.cardholder_email)`,
  }[by]
  const appId = by === 'app' ? sql<number | null>`st.app_id` : sql<number | null>`cast(null as integer)`

  let monthly = db
    .selectFrom('spend_transactions as st')
    .leftJoin('apps', 'apps.id', 'st.app_id')
    .select([
      groupKey.as('grp'),
      appId.as('app_id'),
      'st.currency as currency',
      'st.source_layout as layout',
      sql<string>`substr(st.posted_on, 1, 7)`.as('month'),
      (eb) => eb.fn.sum<number>('st.amount_minor').as('total'),
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('st.posted_on').as('first_date'),
      (eb) => eb.fn.max('st.posted_on').as('last_date'),
    ])
    .groupBy([groupKey, appId, 'st.currency', 'st.source_layout', sql`substr(st.posted_on, 1, 7)`])
  if (options.from) monthly = monthly.where('st.posted_on', '>=', options.from)
  // posted_on is a plain date, so "<= to" includes the whole last day.
  if (options.to) monthly = monthly.where('st.posted_on', '<=', options.to)

  const coverage = await statementCoverage(db, { from: options.from, to: options.to })
  interface Group { group: string | null; appId: number | null; currency: string; total: number; n: number; months: Set<string>; first: string; last: string; byLayout: Map<string, number> }
  const groups = new Map<string, Group>()
  for (const r of await monthly.execute()) {
    const id = r.app_id === null ? null : Number(r.app_id)
    const key = JSON.stringify([r.grp, id, r.currency])
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { group: r.grp, appId: id, currency: r.currency, total: 0, n: 0, months: new Set(), first: String(r.first_date), last: String(r.last_date), byLayout: new Map() }))
    const total = Number(r.total)
    g.total += total
    g.n += Number(r.n)
    g.months.add(r.month)
    if (String(r.first_date) < g.first) g.first = String(r.first_date)
    if (String(r.last_date) > g.last) g.last = String(r.last_date)
    g.byLayout.set(r.layout, (g.byLayout.get(r.layout) ?? 0) + total)
  }
  const rows = [...groups.values()].sort((a, b) =>
    a.currency.localeCompare(b.currency) || b.total - a.total || compareNullable(a.group, b.group) || (a.appId ?? -1) - (b.appId ?? -1))
  return rows.map((g) => {
    const shares = [...g.byLayout].map(([layout, totalMinor]) => ({ layout, totalMinor }))
    const rate = runRate(shares, coverage)
    return {
      group: g.group ?? (by === 'app' ? UNRESOLVED : NONE),
      appId: g.appId,
      currency: g.currency,
      totalMinor: g.total,
      transactions: g.n,
      months: g.months.size,
      firstDate: g.first,
      lastDate: g.last,
      coverage: periodsOf(shares, coverage),
      monthlyRunRateMinor: rate.monthlyMinor,
      annualRunRateMinor: rate.annualMinor,
    }
  })
}

/** The order SQL gave before: nulls last, then by text. */
function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

// Spend totals and run-rates per app, category, department or cardholder, computed in SQL on either dialect.
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'
import { InvalidInputError } from './errors.js'
import { runRate, statementCoverage } from './run-rate.js'

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
  /** Days the statements in range cover (data/run-rate.ts `statementCoverage`), the same for every row. */
  coveredDays: number
  /** Net spend per month over the covered days (data/run-rate.ts `runRate`). */
  monthlyRunRateMinor: number
  /** monthlyRunRateMinor × 12. */
  annualRunRateMinor: number
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Per group and currency (amounts in different currencies are never added): net total, count and run-rate.
 * Refunds are negative and net against charges; unresolved merchants form one `(unresolved)` group. Run-rates
 * use the period the statements in range cover (data/run-rate.ts), the same definition the findings use.
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
      sql<string>`substr(st.posted_on, 1, 7)`.as('month'),
      (eb) => eb.fn.sum<number>('st.amount_minor').as('total'),
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('st.posted_on').as('first_date'),
      (eb) => eb.fn.max('st.posted_on').as('last_date'),
    ])
    .groupBy([groupKey, appId, 'st.currency', sql`substr(st.posted_on, 1, 7)`])
  if (options.from) monthly = monthly.where('st.posted_on', '>=', options.from)
  // posted_on is a plain date, so "<= to" includes the whole last day.
  if (options.to) monthly = monthly.where('st.posted_on', '<=', options.to)

  const rows = await db
    .selectFrom(monthly.as('m'))
    .select([
      'm.grp',
      'm.app_id',
      'm.currency',
      (eb) => eb.fn.sum<number>('m.total').as('total'),
      (eb) => eb.fn.sum<number>('m.n').as('transactions'),
      (eb) => eb.fn.countAll<number>().as('months'),
      (eb) => eb.fn.min('m.first_date').as('first_date'),
      (eb) => eb.fn.max('m.last_date').as('last_date'),
    ])
    .groupBy(['m.grp', 'm.app_id', 'm.currency'])
    .orderBy('m.currency')
    .orderBy(sql`sum(m.total)`, 'desc')
    .orderBy('m.grp')
    .orderBy('m.app_id')
    .execute()

  const coverage = await statementCoverage(db, { from: options.from, to: options.to })
  const coveredDays = coverage?.days ?? 0
  return rows.map((r) => {
    const totalMinor = Number(r.total)
    const months = Number(r.months)
    const rate = runRate(totalMinor, coveredDays)
    return {
      group: r.grp ?? (by === 'app' ? UNRESOLVED : NONE),
      appId: r.app_id === null ? null : Number(r.app_id),
      currency: r.currency,
      totalMinor,
      transactions: Number(r.transactions),
      months,
      firstDate: String(r.first_date),
      lastDate: String(r.last_date),
      coveredDays,
      monthlyRunRateMinor: rate.monthlyMinor,
      annualRunRateMinor: rate.annualMinor,
    }
  })
}

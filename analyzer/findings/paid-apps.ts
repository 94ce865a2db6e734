// Purchases per app and payer in the spend window, shared by the spend finding kinds. A payer is the linked person
// ("PRIYA K SHAH" and "SHAH, PRIYA" are one payer once linked), else the printed cardholder, else the card.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import type { AnalyzerConfig } from '../config.js'
import { daysBefore } from '../config.js'
import { formatMoney } from '../../data/money.js'
import { periodsOf, runRate, statementCoverage, type RunRate, type StatementCoverage, type StatementPeriod, type StatementShare } from '../../data/run-rate.js'

export interface PaidApp {
  appId: number
  key: string
  name: string
  category: string | null
  status: string
  /** Purchases per currency (no FX: currencies are never added together). */
  totals: Record<string, number>
  /** The same purchases per currency, split by the card program whose statements carry them (the run-rate needs it). */
  shares: Record<string, StatementShare[]>
  payers: { payer: string; department: string | null; currency: string; totalMinor: number; charges: number }[]
}

export interface PaidApps {
  apps: PaidApp[]
  /** The periods the statements inside the spend window cover: the run-rate denominators (data/run-rate.ts). */
  coverage: StatementCoverage
}

/** Purchases per app and payer in the spend window (refunds left out), per currency, and the days they cover. */
export async function paidApps(db: Kysely<Database>, config: AnalyzerConfig): Promise<PaidApps> {
  const since = daysBefore(config.asOf, config.spendWindowDays).slice(0, 10)
  const until = config.asOf.slice(0, 10)
  const rows = await sql<{ app_id: number; key: string; name: string; category: string | null; status: string; currency: string; layout: string; payer: string; department: string | null; total: number; charges: number }>`
    select s.app_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as key, a.name, a.category, a.status, s.currency, s.source_layout as layout,
           coalesce(p.email, s.cardholder_email, lower(s.cardholder), 'card ' || s.card_last4, 'unknown payer') as payer,
           max(s.department) as department, sum(s.amount_minor) as total, count(*) as charges
    from spend_transactions s join apps a on a.id = s.app_id
    left join people p on p.id = s.person_id
    where s.posted_on >= ${since} and s.posted_on <= ${until} and s.amount_minor > 0
    group by s.app_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key), a.name, a.category, a.status, s.currency, s.source_layout,
             coalesce(p.email, s.cardholder_email, lower(s.cardholder), 'card ' || s.card_last4, 'unknown payer')
    order by key, payer, s.currency, s.source_layout
  `.execute(db)
  const byApp = new Map<number, PaidApp>()
  for (const r of rows.rows) {
    let app = byApp.get(Number(r.app_id))
    if (!app) {
      app = { appId: Number(r.app_id), key: r.key, name: r.name, category: r.category, status: r.status, totals: {}, shares: {}, payers: [] }
      byApp.set(app.appId, app)
    }
    const total = Number(r.total)
    app.totals[r.currency] = (app.totals[r.currency] ?? 0) + total
    const shares = (app.shares[r.currency] ??= [])
    const share = shares.find((s) => s.layout === r.layout)
    if (share) share.totalMinor += total
    else shares.push({ layout: r.layout, totalMinor: total })
    // One payer may appear on two card programs' statements: one entry per payer and currency.
    const payer = app.payers.find((p) => p.payer === r.payer && p.currency === r.currency)
    if (payer) {
      payer.totalMinor += total
      payer.charges += Number(r.charges)
      payer.department ??= r.department
    } else app.payers.push({ payer: r.payer, department: r.department, currency: r.currency, totalMinor: total, charges: Number(r.charges) })
  }
  const coverage = await statementCoverage(db, { from: since, to: until })
  const apps = [...byApp.values()].filter((a) => !a.category || !config.personalCategories.includes(a.category)).sort((a, b) => a.key.localeCompare(b.key))
  return { apps, coverage }
}

/** Run-rates per currency (never added across currencies). */
export function ratesByCurrency(app: Pick<PaidApp, 'shares'>, coverage: StatementCoverage): Record<string, RunRate> {
  return Object.fromEntries(Object.entries(app.shares).sort(([a], [b]) => a.localeCompare(b)).map(([c, shares]) => [c, runRate(shares, coverage)]))
}

/** The statement periods behind an app's run-rates, for the evidence. */
export function periodsOfApp(app: Pick<PaidApp, 'shares'>, coverage: StatementCoverage): StatementPeriod[] {
  return periodsOf(Object.values(app.shares).flat(), coverage)
}

export function describeAnnual(app: Pick<PaidApp, 'shares'>, coverage: StatementCoverage): string {
  return Object.entries(ratesByCurrency(app, coverage)).map(([c, r]) => formatMoney(r.annualMinor, c)).join(' + ')
}

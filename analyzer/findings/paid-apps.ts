// Purchases per app and payer in the spend window, shared by the spend finding kinds. A payer is the linked person
// ("PRIYA K SHAH" and "SHAH, PRIYA" are one payer once linked), else the printed cardholder, else the card.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import type { AnalyzerConfig } from '../config.js'
import { daysBefore } from '../config.js'
import { formatMoney } from '../../data/money.js'
import { runRate, statementCoverage, type RunRate } from '../../data/run-rate.js'

export interface PaidApp {
  appId: number
  key: string
  name: string
  category: string | null
  status: string
  /** Purchases per currency (no FX: currencies are never added together). */
  totals: Record<string, number>
  payers: { payer: string; department: string | null; currency: string; totalMinor: number; charges: number }[]
}

export interface PaidApps {
  apps: PaidApp[]
  /** Days the statements inside the spend window cover: the run-rate denominator (data/run-rate.ts). */
  coveredDays: number
}

/** Purchases per app and payer in the spend window (refunds left out), per currency, and the days they cover. */
export async function paidApps(db: Kysely<Database>, config: AnalyzerConfig): Promise<PaidApps> {
  const since = daysBefore(config.asOf, config.spendWindowDays).slice(0, 10)
  const until = config.asOf.slice(0, 10)
  const rows = await sql<{ app_id: number; key: string; name: string; category: string | null; status: string; currency: string; payer: string; department: string | null; total: number; charges: number }>`
    select s.app_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as key, a.name, a.category, a.status, s.currency,
           coalesce(p.email, s.cardholder_email, lower(s.cardholder), 'card ' || s.card_last4, 'unknown payer') as payer,
           max(s.department) as department, sum(s.amount_minor) as total, count(*) as charges
    from spend_transactions s join apps a on a.id = s.app_id
    left join people p on p.id = s.person_id
    where s.posted_on >= ${since} and s.posted_on <= ${until} and s.amount_minor > 0
    group by s.app_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key), a.name, a.category, a.status, s.currency,
             coalesce(p.email, s.cardholder_email, lower(s.cardholder), 'card ' || s.card_last4, 'unknown payer')
    order by key, payer, s.currency
  `.execute(db)
  const byApp = new Map<number, PaidApp>()
  for (const r of rows.rows) {
    let app = byApp.get(Number(r.app_id))
    if (!app) {
      app = { appId: Number(r.app_id), key: r.key, name: r.name, category: r.category, status: r.status, totals: {}, payers: [] }
      byApp.set(app.appId, app)
    }
    const total = Number(r.total)
    app.totals[r.currency] = (app.totals[r.currency] ?? 0) + total
    app.payers.push({ payer: r.payer, department: r.department, currency: r.currency, totalMinor: total, charges: Number(r.charges) })
  }
  const coverage = await statementCoverage(db, { from: since, to: until })
  const apps = [...byApp.values()].filter((a) => !a.category || !config.personalCategories.includes(a.category)).sort((a, b) => a.key.localeCompare(b.key))
  return { apps, coveredDays: coverage?.days ?? 0 }
}

/** Run-rates per currency (never added across currencies). */
export function ratesByCurrency(totals: Record<string, number>, coveredDays: number): Record<string, RunRate> {
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)).map(([c, t]) => [c, runRate(t, coveredDays)]))
}

export function describeAnnual(totals: Record<string, number>, coveredDays: number): string {
  return Object.entries(ratesByCurrency(totals, coveredDays)).map(([c, r]) => formatMoney(r.annualMinor, c)).join(' + ')
}

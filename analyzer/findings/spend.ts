import { sql, type Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import { loadCatalog } from '../../data/catalog/index.js'
import type { AnalyzerConfig } from '../config.js'
import { daysBefore } from '../config.js'
import { formatMoney } from './app-usage.js'
import type { FindingCandidate, FindingModule } from './types.js'

interface PaidApp {
  appId: number
  key: string
  name: string
  category: string | null
  status: string
  /** Purchases per currency (no FX: currencies are never added together). */
  totals: Record<string, number>
  payers: { payer: string; department: string | null; currency: string; totalMinor: number; charges: number }[]
}

/** Purchases per app and payer in the spend window (refunds left out), per currency. */
async function paidApps(db: Kysely<Database>, config: AnalyzerConfig): Promise<PaidApp[]> {
  const since = daysBefore(config.asOf, config.spendWindowDays).slice(0, 10)
  const until = config.asOf.slice(0, 10)
  const rows = await sql<{ app_id: number; key: string; name: string; category: string | null; status: string; currency: string; payer: string; department: string | null; total: number; charges: number }>`
    select s.app_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as key, a.name, a.category, a.status, s.currency,
           coalesce(s.cardholder_email, lower(s.cardholder), 'card ' || s.card_last4, 'unknown payer') as payer,
           max(s.department) as department, sum(s.amount_minor) as total, count(*) as charges
    from spend_transactions s join apps a on a.id = s.app_id
    where s.posted_on >= ${since} and s.posted_on <= ${until} and s.amount_minor > 0
    group by s.app_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key), a.name, a.category, a.status, s.currency,
             coalesce(s.cardholder_email, lower(s.cardholder), 'card ' || s.card_last4, 'unknown payer')
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
  return [...byApp.values()].filter((a) => !a.category || !config.personalCategories.includes(a.category)).sort((a, b) => a.key.localeCompare(b.key))
}

function rates(totalMinor: number, windowDays: number): { monthlyMinor: number; annualMinor: number } {
  const monthly = Math.round((totalMinor * 30) / windowDays)
  return { monthlyMinor: monthly, annualMinor: monthly * 12 }
}

function ratesByCurrency(totals: Record<string, number>, windowDays: number): Record<string, { monthlyMinor: number; annualMinor: number }> {
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)).map(([c, t]) => [c, rates(t, windowDays)]))
}

function describeAnnual(totals: Record<string, number>, windowDays: number): string {
  return Object.entries(ratesByCurrency(totals, windowDays)).map(([c, r]) => formatMoney(r.annualMinor, c)).join(' + ')
}

/** The same app paid by several cards, cardholders or departments: consolidation candidates. */
export const duplicateSpend: FindingModule = {
  kind: 'duplicate-spend',
  description: 'The same app paid through several cards, cardholders or departments (consolidation candidates).',
  async detect(db, config) {
    const apps = await paidApps(db, config)
    const out: FindingCandidate[] = []
    for (const app of apps) {
      const payers = [...new Set(app.payers.map((p) => p.payer))]
      if (payers.length < 2) continue
      const byCurrency = ratesByCurrency(app.totals, config.spendWindowDays)
      const departments = [...new Set(app.payers.map((p) => p.department).filter((d): d is string => d !== null))].sort()
      const usdLike = Math.max(...Object.values(byCurrency).map((r) => r.annualMinor))
      out.push({
        kind: 'duplicate-spend',
        subjectKey: `app:${app.key}`,
        subjectType: 'app',
        subjectId: app.appId,
        severity: usdLike >= 500_000 ? 'medium' : 'low',
        score: usdLike / 100,
        title: `${app.name} is paid by ${payers.length} separate payers (${describeAnnual(app.totals, config.spendWindowDays)} a year)`,
        evidence: { app: { key: app.key, name: app.name, status: app.status }, windowDays: config.spendWindowDays, totals: app.totals, byCurrency, payers: app.payers, departments },
        recommendation: `Consolidate ${app.name} into one company plan owned by one team; cancel the ${payers.length - 1} other subscription(s).`,
      })
    }
    return out
  },
}

/** Several paid apps of one category at once (e.g. three video-meeting tools). */
export const overlappingTools: FindingModule = {
  kind: 'overlapping-tools',
  description: 'Two or more apps of the same category paid in the same period.',
  async detect(db, config) {
    const apps = await paidApps(db, config)
    // Substitutes share a catalog `function` (video-meetings, password-manager …); the coarse category is a fallback.
    const catalog = loadCatalog()
    const byCategory = new Map<string, PaidApp[]>()
    for (const app of apps) {
      if (app.key.startsWith('candidate:')) continue
      const entry = catalog.byKey(app.key)
      const group = entry?.function ?? app.category
      if (!group || config.overlapExemptCategories.includes(group)) continue
      byCategory.set(group, [...(byCategory.get(group) ?? []), app])
    }
    const out: FindingCandidate[] = []
    for (const [category, all] of [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      // A product and its umbrella billing entity (Jira and Atlassian) are one purchase, not two tools.
      const keys = new Set(all.map((a) => a.key))
      const list = all.filter((a) => !all.some((b) => b !== a && catalog.byKey(b.key)?.parent === a.key && keys.has(a.key)))
      if (list.length < 2) continue
      const items = list.map((a) => ({ key: a.key, name: a.name, status: a.status, byCurrency: ratesByCurrency(a.totals, config.spendWindowDays) }))
      const annualByCurrency: Record<string, number> = {}
      for (const i of items) for (const [c, r] of Object.entries(i.byCurrency)) annualByCurrency[c] = (annualByCurrency[c] ?? 0) + r.annualMinor
      out.push({
        kind: 'overlapping-tools',
        subjectKey: `category:${category}`,
        subjectType: 'spend',
        subjectId: null,
        severity: list.length >= 3 ? 'medium' : 'low',
        score: list.length * 10,
        title: `${list.length} paid ${category} tools: ${items.map((i) => i.name).join(', ')}`,
        evidence: { category, apps: items, annualByCurrency, windowDays: config.spendWindowDays },
        recommendation: `Pick one ${category} tool (prefer the sanctioned one: ${items.filter((i) => i.status === 'sanctioned').map((i) => i.name).join(', ') || 'none is sanctioned yet'}) and retire the others.`,
      })
    }
    return out
  },
}

/** A leaver's company card still paying an app after their last day. */
export const chargesAfterTermination: FindingModule = {
  kind: 'charges-after-termination',
  description: 'App charges on the card of a person after their termination date.',
  async detect(db, config) {
    const rows = await sql<{ email: string; end_date: string; person_id: number; key: string; name: string; currency: string; total: number; charges: number; last: string }>`
      select p.email, p.end_date, p.id as person_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as key, a.name, s.currency,
             sum(s.amount_minor) as total, count(*) as charges, max(s.posted_on) as last
      from spend_transactions s
      join people p on p.email = s.cardholder_email
      join apps a on a.id = s.app_id
      where p.status = 'terminated' and p.end_date is not null and s.posted_on > p.end_date and s.amount_minor > 0
        and (a.category is null or a.category not in (${sql.join([...config.personalCategories])}))
      group by p.email, p.end_date, p.id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key), a.name, s.currency
      order by p.email, key
    `.execute(db)
    return rows.rows.map((r) => ({
      kind: 'charges-after-termination' as const,
      subjectKey: `spend:${r.email}:${r.key}`,
      subjectType: 'spend' as const,
      subjectId: Number(r.person_id),
      severity: 'medium' as const,
      score: Number(r.total) / 100,
      title: `${r.name} still charged to ${r.email} after their end date (${r.end_date})`,
      evidence: { person: r.email, endDate: r.end_date, app: { key: r.key, name: r.name }, currency: r.currency, totalMinor: Number(r.total), charges: Number(r.charges), lastCharge: r.last },
      recommendation: `Cancel or transfer the ${r.name} subscription on ${r.email}'s card; it has billed ${formatMoney(Number(r.total), r.currency)} since they left.`,
    }))
  },
}

/** Live seats of leavers on apps the company pays for: what it keeps paying for nobody. */
export const terminatedSeats: FindingModule = {
  kind: 'terminated-seat',
  description: 'Accounts of terminated people that are still assigned in apps the company pays for.',
  async detect(db, config) {
    const since = daysBefore(config.asOf, config.spendWindowDays).slice(0, 10)
    const rows = await sql<{ account_id: number; email: string; end_date: string | null; source: string; external_id: string; key: string; name: string; first_seen_at: string; spend: number; currency: string; seats: number }>`
      with paid as (
        select app_id, currency, sum(amount_minor) as spend from spend_transactions
        where amount_minor > 0 and posted_on >= ${since} and app_id is not null group by app_id, currency
      ),
      seats as (select app_id, count(*) as seats from accounts where gone_at is null group by app_id)
      select ac.id as account_id, p.email, p.end_date, ac.source, ac.external_id, ac.first_seen_at,
             coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as key, a.name, paid.spend, paid.currency, seats.seats
      from accounts ac
      join people p on p.id = ac.person_id
      join apps a on a.id = ac.app_id
      join paid on paid.app_id = ac.app_id
      join seats on seats.app_id = ac.app_id
      where ac.gone_at is null and p.status = 'terminated'
      order by p.email, key, ac.source, ac.external_id, paid.currency
    `.execute(db)
    const catalog = loadCatalog()
    const seen = new Set<number>()
    const out: FindingCandidate[] = []
    for (const r of rows.rows) {
      if (seen.has(r.account_id)) continue
      const fn = r.key.startsWith('candidate:') ? undefined : catalog.byKey(r.key)?.function
      if (fn && config.usageBilledFunctions.includes(fn)) continue
      seen.add(r.account_id)
      const monthly = Math.round((Number(r.spend) * 30) / config.spendWindowDays / Math.max(1, Number(r.seats)))
      out.push({
        kind: 'terminated-seat',
        subjectKey: `account:${r.key}:${r.source}:${r.external_id}`,
        subjectType: 'account',
        subjectId: r.account_id,
        severity: 'medium',
        score: monthly / 100,
        title: `${r.email} left${r.end_date ? ` on ${r.end_date}` : ''} and still holds a paid ${r.name} seat`,
        evidence: { person: r.email, endDate: r.end_date, app: { key: r.key, name: r.name }, source: r.source, account: r.external_id, estimatedMonthlySeatMinor: monthly, currency: r.currency, basis: 'app spend in the window divided by its live seats' },
        recommendation: `Remove ${r.email}'s ${r.name} seat and lower the license count (about ${formatMoney(monthly, r.currency)} a month).`,
      })
    }
    return out
  },
}

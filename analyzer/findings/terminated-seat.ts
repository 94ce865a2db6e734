import { sql } from 'kysely'
import { loadCatalog } from '../../data/catalog/index.js'
import { daysBefore } from '../config.js'
import { formatMoney } from '../../data/money.js'
import { appPurchaseRunRates } from '../../data/run-rate.js'
import { countsAsPerson } from './roster-scope.js'
import type { FindingCandidate, FindingModule } from './types.js'

/**
 * Directories that are themselves per-seat products: a still-enabled user there is a paid seat whenever the company
 * pays for the product (Google bills every non-archived user; Microsoft 365 every licensed member).
 */
const DIRECTORY_SEATS: readonly { source: string; app: string; guestsExcluded: boolean }[] = [
  { source: 'google', app: 'google-workspace', guestsExcluded: false },
  { source: 'entra', app: 'microsoft-365', guestsExcluded: true },
]

/** Live seats of leavers on apps the company pays for: what it keeps paying for nobody. */
export const terminatedSeats: FindingModule = {
  kind: 'terminated-seat',
  description: 'Accounts of terminated people that are still assigned in apps the company pays for.',
  async detect(db, config) {
    const since = daysBefore(config.asOf, config.spendWindowDays).slice(0, 10)
    const until = config.asOf.slice(0, 10)
    const rows = await sql<{ account_id: number; app_id: number; email: string; end_date: string | null; source: string; external_id: string; key: string; name: string; first_seen_at: string; spend: number; currency: string; seats: number }>`
      with paid as (
        select app_id, currency, sum(amount_minor) as spend from spend_transactions
        where amount_minor > 0 and posted_on >= ${since} and posted_on <= ${until} and app_id is not null group by app_id, currency
      ),
      seats as (select app_id, count(*) as seats from accounts where gone_at is null group by app_id)
      select ac.id as account_id, ac.app_id, p.email, p.end_date, ac.source, ac.external_id, ac.first_seen_at,
             coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as key, a.name, paid.spend, paid.currency, seats.seats
      from accounts ac
      join people p on p.id = ac.person_id
      join apps a on a.id = ac.app_id
      join paid on paid.app_id = ac.app_id
      join seats on seats.app_id = ac.app_id
      where ac.gone_at is null and p.status = 'terminated' and ${countsAsPerson()}
      order by p.email, key, ac.source, ac.external_id, paid.currency
    `.execute(db)
    const rates = await appPurchaseRunRates(db, { from: since, to: until })
    const catalog = loadCatalog()
    const seen = new Set<number>()
    const out: FindingCandidate[] = []
    for (const r of rows.rows) {
      if (seen.has(r.account_id)) continue
      const fn = r.key.startsWith('candidate:') ? undefined : catalog.byKey(r.key)?.function
      if (fn && config.usageBilledFunctions.includes(fn)) continue
      seen.add(r.account_id)
      const rate = rates.get(`${Number(r.app_id)}|${r.currency}`)
      const monthly = Math.round((rate?.monthlyMinor ?? 0) / Math.max(1, Number(r.seats)))
      out.push({
        kind: 'terminated-seat',
        subjectKey: `account:${r.key}:${r.source}:${r.external_id}`,
        subjectType: 'account',
        subjectId: r.account_id,
        severity: 'medium',
        score: monthly / 100,
        title: `${r.email} left${r.end_date ? ` on ${r.end_date}` : ''} and still holds a paid ${r.name} seat`,
        evidence: { person: r.email, endDate: r.end_date, app: { key: r.key, name: r.name }, source: r.source, account: r.external_id, estimatedMonthlySeatMinor: monthly, currency: r.currency, coverage: rate?.periods ?? [], basis: 'monthly run-rate of the app (data/run-rate.ts) divided by its live seats' },
        recommendation: `Remove ${r.email}'s ${r.name} seat and lower the license count (about ${formatMoney(monthly, r.currency)} a month).`,
      })
    }
    // A leaver's still-enabled directory account in a per-seat suite the company pays for is a seat too.
    const cases = sql.join(DIRECTORY_SEATS.map((d) => sql`when ${d.source} then ${d.app}`), sql` `)
    const sources = DIRECTORY_SEATS.map((d) => d.source)
    const dir = await sql<{ identity_id: number; app_id: number; email: string; end_date: string | null; source: string; external_id: string; key: string; name: string; spend: number; currency: string; seats: number; attributes: string }>`
      with paid as (
        select app_id, currency, sum(amount_minor) as spend from spend_transactions
        where amount_minor > 0 and posted_on >= ${since} and posted_on <= ${until} and app_id is not null group by app_id, currency
      ),
      seats as (select source, count(*) as seats from person_identities where gone_at is null and status = 'active' group by source)
      select i.id as identity_id, a.id as app_id, p.email, p.end_date, i.source, i.external_id, a.catalog_key as key, a.name,
             paid.spend, paid.currency, seats.seats, i.attributes
      from person_identities i
      join people p on p.id = i.person_id
      join apps a on a.catalog_key = (case i.source ${cases} end)
      join paid on paid.app_id = a.id
      join seats on seats.source = i.source
      where i.source in (${sql.join(sources)}) and i.gone_at is null and i.status = 'active' and p.status = 'terminated' and ${countsAsPerson()}
      order by p.email, a.catalog_key, i.external_id, paid.currency
    `.execute(db)
    const accountSeats = new Set(rows.rows.map((r) => `${r.email}:${r.key}`))
    const seenIdentity = new Set<number>()
    for (const r of dir.rows) {
      if (seenIdentity.has(r.identity_id) || accountSeats.has(`${r.email}:${r.key}`)) continue
      const rule = DIRECTORY_SEATS.find((d) => d.source === r.source)!
      if (rule.guestsExcluded && /guest/i.test(String((JSON.parse(r.attributes) as { userType?: unknown }).userType ?? ''))) continue
      seenIdentity.add(r.identity_id)
      const rate = rates.get(`${Number(r.app_id)}|${r.currency}`)
      const monthly = Math.round((rate?.monthlyMinor ?? 0) / Math.max(1, Number(r.seats)))
      out.push({
        kind: 'terminated-seat',
        subjectKey: `account:${r.key}:${r.source}:${r.external_id}`,
        subjectType: 'identity',
        subjectId: r.identity_id,
        severity: 'medium',
        score: monthly / 100,
        title: `${r.email} left${r.end_date ? ` on ${r.end_date}` : ''} and their ${r.name} account is still enabled (a paid seat)`,
        evidence: { person: r.email, endDate: r.end_date, app: { key: r.key, name: r.name }, source: r.source, account: r.external_id, directoryAccount: true, estimatedMonthlySeatMinor: monthly, currency: r.currency, coverage: rate?.periods ?? [], basis: 'monthly run-rate of the suite (data/run-rate.ts) divided by its enabled directory accounts' },
        recommendation: `Suspend or delete ${r.email}'s ${r.name} account (or archive it) and lower the license count (about ${formatMoney(monthly, r.currency)} a month).`,
      })
    }
    return out
  },
}

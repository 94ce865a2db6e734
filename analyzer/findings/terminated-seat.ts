import { sql } from 'kysely'
import { loadCatalog } from '../../data/catalog/index.js'
import { daysBefore } from '../config.js'
import { formatMoney } from '../../data/money.js'
import { runRate, statementCoverage } from '../../data/run-rate.js'
import type { FindingCandidate, FindingModule } from './types.js'

/** Live seats of leavers on apps the company pays for: what it keeps paying for nobody. */
export const terminatedSeats: FindingModule = {
  kind: 'terminated-seat',
  description: 'Accounts of terminated people that are still assigned in apps the company pays for.',
  async detect(db, config) {
    const since = daysBefore(config.asOf, config.spendWindowDays).slice(0, 10)
    const until = config.asOf.slice(0, 10)
    const rows = await sql<{ account_id: number; email: string; end_date: string | null; source: string; external_id: string; key: string; name: string; first_seen_at: string; spend: number; currency: string; seats: number }>`
      with paid as (
        select app_id, currency, sum(amount_minor) as spend from spend_transactions
        where amount_minor > 0 and posted_on >= ${since} and posted_on <= ${until} and app_id is not null group by app_id, currency
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
    const coveredDays = (await statementCoverage(db, { from: since, to: until }))?.days ?? 0
    const catalog = loadCatalog()
    const seen = new Set<number>()
    const out: FindingCandidate[] = []
    for (const r of rows.rows) {
      if (seen.has(r.account_id)) continue
      const fn = r.key.startsWith('candidate:') ? undefined : catalog.byKey(r.key)?.function
      if (fn && config.usageBilledFunctions.includes(fn)) continue
      seen.add(r.account_id)
      const monthly = Math.round(runRate(Number(r.spend), coveredDays).monthlyMinor / Math.max(1, Number(r.seats)))
      out.push({
        kind: 'terminated-seat',
        subjectKey: `account:${r.key}:${r.source}:${r.external_id}`,
        subjectType: 'account',
        subjectId: r.account_id,
        severity: 'medium',
        score: monthly / 100,
        title: `${r.email} left${r.end_date ? ` on ${r.end_date}` : ''} and still holds a paid ${r.name} seat`,
        evidence: { person: r.email, endDate: r.end_date, app: { key: r.key, name: r.name }, source: r.source, account: r.external_id, estimatedMonthlySeatMinor: monthly, currency: r.currency, coveredDays, basis: 'monthly run-rate of the app (data/run-rate.ts) divided by its live seats' },
        recommendation: `Remove ${r.email}'s ${r.name} seat and lower the license count (about ${formatMoney(monthly, r.currency)} a month).`,
      })
    }
    return out
  },
}

import { sql } from 'kysely'
import { formatMoney } from '../../data/money.js'
import { countsAsPerson } from './roster-scope.js'
import type { FindingModule } from './types.js'

/** A leaver's company card still paying an app after their last day. */
export const chargesAfterTermination: FindingModule = {
  kind: 'charges-after-termination',
  description: 'App charges on the card of a person after their termination date.',
  async detect(db, config) {
    const rows = await sql<{ email: string; end_date: string; person_id: number; key: string; name: string; currency: string; total: number; charges: number; last: string }>`
      select p.email, p.end_date, p.id as person_id, coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as key, a.name, s.currency,
             sum(s.amount_minor) as total, count(*) as charges, max(s.posted_on) as last
      from spend_transactions s
      join people p on p.id = s.person_id or (s.person_id is null and p.email = s.cardholder_email)
      join apps a on a.id = s.app_id
      where p.status = 'terminated' and ${countsAsPerson()} and p.end_date is not null and s.posted_on > p.end_date and s.amount_minor > 0
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

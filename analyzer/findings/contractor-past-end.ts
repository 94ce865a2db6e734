import { sql } from 'kysely'
import { countsAsPerson } from './roster-scope.js'
import type { FindingModule } from './types.js'

/** Contractors HR still lists as active although their contract end date has passed. */
export const contractorsPastEnd: FindingModule = {
  kind: 'contractor-past-end',
  description: 'Contractors still active in HR after their contract end date.',
  async detect(db, config) {
    const today = config.asOf.slice(0, 10)
    const rows = await db
      .selectFrom('people')
      .select(['id', 'email', 'name', 'status', 'end_date', 'department'])
      .where('employment_type', '=', 'contractor')
      .where('status', '=', 'active')
      .where('end_date', '<', today)
      .where(countsAsPerson('people'))
      .orderBy('email')
      .execute()
    const access = await sql<{ person_id: number; n: number }>`
      select person_id, count(*) as n from (
        select person_id from accounts where gone_at is null and person_id is not null
        union all select person_id from grants where revoked_at is null and person_id is not null
      ) s group by person_id
    `.execute(db)
    const live = new Map(access.rows.map((r) => [Number(r.person_id), Number(r.n)]))
    return rows.map((p) => {
      const days = Math.floor((Date.parse(config.asOf) - Date.parse(`${p.end_date}T00:00:00Z`)) / 86_400_000)
      const liveAccess = live.get(p.id) ?? 0
      return {
        kind: 'contractor-past-end' as const,
        subjectKey: `person:${p.email}`,
        subjectType: 'person' as const,
        subjectId: p.id,
        severity: liveAccess > 0 ? ('high' as const) : ('low' as const),
        score: liveAccess,
        title: `Contractor ${p.email} ended on ${p.end_date}${liveAccess > 0 ? ` and still holds ${liveAccess} account(s)/grant(s)` : ''}`,
        evidence: { person: { email: p.email, name: p.name, status: p.status, endDate: p.end_date, department: p.department }, liveAccess, daysSinceEnd: days },
        recommendation: liveAccess > 0 ? `Extend the contract in the HR system or remove ${p.email}'s access.` : `Confirm ${p.email}'s contract ended and close their HR record.`,
      }
    })
  },
}

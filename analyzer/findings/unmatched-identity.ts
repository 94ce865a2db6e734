import { sql } from 'kysely'
import { companyDomains } from './app-usage.js'
import type { FindingCandidate, FindingModule } from './types.js'

/** Identities in the company's domains that match nobody on the HR roster (shared, service or forgotten accounts). */
export const unmatchedIdentities: FindingModule = {
  kind: 'unmatched-identity',
  description: 'Accounts and directory identities in the company domain that match no person on the HR roster.',
  async detect(db, config) {
    const hasRoster = await db.selectFrom('person_identities').select('id').where('source', '=', 'hr').limit(1).executeTakeFirst()
    if (!hasRoster) return []
    const domains = await companyDomains(db, config.companyDomains)
    const rows = await sql<{ email: string; person_id: number | null; sources: string }>`
      select email, null as person_id, '' as sources from (
        select i.email from person_identities i where i.email is not null and i.gone_at is null and i.source <> 'hr'
        union select ac.email from accounts ac where ac.email is not null and ac.gone_at is null
        union select g.user_email from grants g where g.user_email is not null and g.revoked_at is null
      ) e
      where not exists (select 1 from people p where p.email = e.email and p.sources like '%"hr"%')
      order by email
    `.execute(db)
    const candidates: FindingCandidate[] = []
    for (const r of rows.rows) {
      const domain = r.email.slice(r.email.lastIndexOf('@') + 1)
      if (!domains.includes(domain)) continue
      const where = await sql<{ what: string }>`
        select 'identity:' || source as what from person_identities where email = ${r.email} and gone_at is null
        union select 'account:' || a.name || ' (' || ac.source || ')' from accounts ac join apps a on a.id = ac.app_id where ac.email = ${r.email} and ac.gone_at is null
        union select 'grant:' || coalesce(client_name, client_id) from grants where user_email = ${r.email} and revoked_at is null
        order by 1
      `.execute(db)
      const seenIn = where.rows.map((w) => w.what)
      candidates.push({
        kind: 'unmatched-identity',
        subjectKey: `identity:${r.email}`,
        subjectType: 'identity',
        subjectId: null,
        severity: 'medium',
        score: seenIn.length,
        title: `${r.email} is in the company domain but not on the HR roster`,
        evidence: { email: r.email, domain, seenIn },
        recommendation: `Find the owner of ${r.email}: if it is a service or shared account, record its owner; if it belonged to someone who left, disable it.`,
      })
    }
    return candidates
  },
}

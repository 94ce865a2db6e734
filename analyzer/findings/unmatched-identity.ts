import { sql } from 'kysely'
import { companyDomains } from './app-usage.js'
import type { FindingCandidate, FindingModule } from './types.js'

const SERVICE_NAME = /^(svc|srv|service|sa|api|bot|integration|integrations|int|sync|scim|automation|system|sys|noreply|no-reply|donotreply|do-not-reply|robot|jenkins|ci|cd|deploy|build|backup|monitoring|alerts?|etl|app|apps)(?=$|[-._0-9])|[-._](svc|service|bot|api|integration|sync|automation|system)$/
const SERVICE_TYPE = /service|system|api|bot|integration|machine|non[- ]?human|technical/i

/** Why an unmatched identity looks like a service account rather than a person: its name, its user type, no sign-in. */
export function serviceHints(email: string, attributes: readonly Record<string, unknown>[], signedIn: boolean): string[] {
  const reasons: string[] = []
  const local = email.slice(0, email.lastIndexOf('@'))
  if (SERVICE_NAME.test(local)) reasons.push(`named like a service account (${local})`)
  const types = attributes.map((a) => a.userType).filter((t): t is string => typeof t === 'string' && SERVICE_TYPE.test(t))
  if (types.length > 0) reasons.push(`user type ${types[0]}`)
  const lastLogins = attributes.flatMap((a) => [a.lastLogin, a.lastLoginTime]).filter((v): v is string => typeof v === 'string' && !v.startsWith('1970-'))
  if (!signedIn && lastLogins.length === 0) reasons.push('no interactive sign-in')
  return reasons
}

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
      const attrs = await db.selectFrom('person_identities').select('attributes').where('email', '=', r.email).where('gone_at', 'is', null).execute()
      // The daily rollup keys a user by their person when one exists (a directory read before the roster makes one).
      const signin = await db
        .selectFrom('signin_daily')
        .select('day')
        .where((eb) => eb.or([eb('user_key', '=', r.email), eb('person_id', 'in', eb.selectFrom('people').select('id').where('email', '=', r.email))]))
        .where('successes', '>', 0)
        .limit(1)
        .executeTakeFirst()
      const service = serviceHints(r.email, attrs.map((a) => JSON.parse(a.attributes) as Record<string, unknown>), signin !== undefined)
      candidates.push({
        kind: 'unmatched-identity',
        subjectKey: `identity:${r.email}`,
        subjectType: 'identity',
        subjectId: null,
        severity: 'medium',
        score: seenIn.length,
        title: `${r.email} is in the company domain but not on the HR roster${service.length > 0 ? ` (looks like a service account: ${service.join(', ')})` : ''}`,
        evidence: { email: r.email, domain, seenIn, service: service.length > 0, serviceHints: service },
        recommendation: `Find the owner of ${r.email}: if it is a service or shared account, record its owner; if it belonged to someone who left, disable it.`,
      })
    }
    return candidates
  },
}

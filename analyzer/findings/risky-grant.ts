import { sql } from 'kysely'
import type { Severity } from '../../data/tables/findings.table.js'
import type { FindingModule } from './types.js'

/** Live OAuth grants with high-risk scopes to apps IT has not sanctioned, and any grant to a blocked app. */
export const riskyGrants: FindingModule = {
  kind: 'risky-grant',
  description: 'OAuth grants with high-risk scopes to unsanctioned apps, and any grant to a blocked app.',
  async detect(db, config) {
    const levels = [...config.riskyGrantLevels]
    const rows = await sql<{
      id: number; source: string; identity_external_id: string; client_id: string; client_name: string | null; scopes: string
      risk: string | null; user_email: string | null; person_email: string | null; app_key: string | null; app_name: string | null
      app_status: string | null; first_seen_at: string; consent_type: string | null
    }>`
      select g.id, g.source, g.identity_external_id, g.client_id, g.client_name, g.scopes, g.risk, g.user_email, g.first_seen_at, g.consent_type,
             p.email as person_email, coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as app_key, a.name as app_name, a.status as app_status
      from grants g
      left join apps a on a.id = g.app_id
      left join people p on p.id = g.person_id
      where g.revoked_at is null
        and (a.status = 'blocked' or ((a.status is null or a.status <> 'sanctioned') and g.risk in (${sql.join(levels)})))
      order by g.id
    `.execute(db)
    return rows.rows.map((g) => {
      const who = g.person_email ?? g.user_email ?? g.identity_external_id
      const app = g.app_name ?? g.client_name ?? g.client_id
      const severity: Severity = g.app_status === 'blocked' || g.risk === 'critical' ? 'critical' : 'high'
      return {
        kind: 'risky-grant' as const,
        subjectKey: `grant:${g.source}:${g.identity_external_id}:${g.client_id}`,
        subjectType: 'grant' as const,
        subjectId: g.id,
        severity,
        score: severity === 'critical' ? 100 : 50,
        title: `${who} gave ${app} ${g.risk ?? 'blocked-app'} access`,
        evidence: {
          user: who,
          source: g.source,
          clientId: g.client_id,
          clientName: g.client_name,
          app: g.app_key ? { key: g.app_key, name: g.app_name, status: g.app_status } : null,
          scopes: JSON.parse(g.scopes) as string[],
          risk: g.risk,
          consentType: g.consent_type,
          grantedSince: g.first_seen_at,
        },
        recommendation:
          g.app_status === 'blocked'
            ? `Revoke this grant: ${app} is blocked.`
            : `Ask ${who} why ${app} needs these scopes; revoke the grant unless the app is reviewed and sanctioned.`,
      }
    })
  },
}

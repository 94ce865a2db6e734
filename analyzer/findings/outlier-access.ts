import { sql } from 'kysely'
import { countsAsPerson } from './roster-scope.js'
import type { FindingModule } from './types.js'

/**
 * Access nobody else in the person's peer group (same department and title) has: a simple peer-group
 * comparison that points reviewers at what to question.
 */
export const outlierAccess: FindingModule = {
  kind: 'outlier-access',
  description: 'An app that only one person in a department × title peer group has access to.',
  async detect(db, config) {
    const rows = await sql<{ person_id: number; email: string; department: string; title: string; peers: number; app_id: number; app_key: string; app_name: string }>`
      with peer_groups as (
        select department, title, count(*) as peers from people p
        where status = 'active' and department is not null and title is not null and ${countsAsPerson()}
        group by department, title
      ),
      access as (
        select distinct person_id, app_id from accounts where gone_at is null and person_id is not null
      ),
      holders as (
        select p.department, p.title, x.app_id, count(*) as n
        from access x join people p on p.id = x.person_id
        where p.status = 'active' and ${countsAsPerson()}
        group by p.department, p.title, x.app_id
      )
      select p.id as person_id, p.email, p.department, p.title, g.peers, x.app_id,
             coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as app_key, a.name as app_name
      from access x
      join people p on p.id = x.person_id and p.status = 'active' and ${countsAsPerson()}
      join peer_groups g on g.department = p.department and g.title = p.title
      join holders h on h.department = p.department and h.title = p.title and h.app_id = x.app_id
      join apps a on a.id = x.app_id
      where h.n = 1 and g.peers >= ${config.outlierMinPeers}
      order by p.email, app_key
    `.execute(db)
    return rows.rows.map((r) => ({
      kind: 'outlier-access' as const,
      subjectKey: `access:${r.email}:${r.app_key}`,
      subjectType: 'account' as const,
      subjectId: null,
      severity: 'low' as const,
      score: Number(r.peers),
      title: `${r.email} is the only ${r.title} in ${r.department} with ${r.app_name}`,
      evidence: { user: r.email, app: { key: r.app_key, name: r.app_name }, peerGroup: { department: r.department, title: r.title, size: Number(r.peers) }, peersWithAccess: 0 },
      recommendation: `Ask ${r.email}'s manager whether ${r.app_name} is needed for the role; none of the other ${Number(r.peers) - 1} peers have it.`,
    }))
  },
}

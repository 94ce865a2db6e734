import { sql } from 'kysely'
import type { Severity } from '../../data/tables/findings.table.js'
import { countsAsPerson } from './roster-scope.js'
import type { FindingCandidate, FindingModule } from './types.js'

interface Trace {
  app: string
  appName: string
  kind: 'directory account' | 'account' | 'grant' | 'sign-in after end date' | 'browser activity after end date'
  source: string
  detail: string
}

/**
 * The offboarding checklist the directory cannot give: for each terminated or suspended person, every
 * remaining trace (live accounts, unrevoked OAuth grants, sign-ins or browser use after their end date).
 */
export const orphanedAccess: FindingModule = {
  kind: 'orphaned-access',
  description: 'Terminated or suspended people who still have accounts, OAuth grants or activity in any discovered app.',
  async detect(db, config) {
    const leavers = await db
      .selectFrom('people')
      .select(['id', 'email', 'name', 'status', 'end_date', 'employment_type', 'department', 'roster_missing_since'])
      .where((eb) => eb.or([eb('status', 'in', ['terminated', 'suspended']), eb('roster_missing_since', 'is not', null)]))
      .where(countsAsPerson('people'))
      .orderBy('email')
      .execute()
    if (leavers.length === 0) return []
    const traces = new Map<number, Trace[]>()
    const add = (personId: number, t: Trace) => {
      const list = traces.get(personId) ?? []
      list.push(t)
      traces.set(personId, list)
    }
    const appKey = sql<string>`coalesce(a.catalog_key, 'candidate:' || a.candidate_key)`
    const identities = await sql<{ person_id: number; source: string; external_id: string; raw: string }>`
      select i.person_id, i.source, i.external_id, i.attributes as raw
      from person_identities i join people p on p.id = i.person_id
      where i.gone_at is null and i.source <> 'hr' and i.status = 'active' and (p.status in ('terminated', 'suspended') or p.roster_missing_since is not null)
    `.execute(db)
    for (const r of identities.rows) {
      const sourceStatus = (JSON.parse(r.raw) as { sourceStatus?: string }).sourceStatus
      add(r.person_id, { app: `directory:${r.source}`, appName: `${r.source} directory`, kind: 'directory account', source: r.source, detail: `${r.source} user ${r.external_id} still enabled${sourceStatus ? ` (${sourceStatus})` : ''}` })
    }
    const accounts = await sql<{ person_id: number; app: string; name: string; source: string; external_id: string; status: string | null }>`
      select ac.person_id, ${appKey} as app, a.name, ac.source, ac.external_id, ac.status
      from accounts ac join apps a on a.id = ac.app_id join people p on p.id = ac.person_id
      where ac.gone_at is null and (p.status in ('terminated', 'suspended') or p.roster_missing_since is not null)
    `.execute(db)
    for (const r of accounts.rows) add(r.person_id, { app: r.app, appName: r.name, kind: 'account', source: r.source, detail: `account ${r.external_id}${r.status ? ` (${r.status})` : ''}` })
    const grants = await sql<{ person_id: number; app: string | null; name: string | null; client: string; source: string; risk: string | null }>`
      select g.person_id, ${appKey} as app, a.name, coalesce(g.client_name, g.client_id) as client, g.source, g.risk
      from grants g left join apps a on a.id = g.app_id join people p on p.id = g.person_id
      where g.revoked_at is null and (p.status in ('terminated', 'suspended') or p.roster_missing_since is not null)
    `.execute(db)
    for (const r of grants.rows) add(r.person_id, { app: r.app ?? `client:${r.client}`, appName: r.name ?? r.client, kind: 'grant', source: r.source, detail: `OAuth grant to ${r.client}${r.risk ? ` (${r.risk} risk)` : ''}` })
    const signins = await sql<{ person_id: number; app: string; name: string; source: string; n: number; last_at: string }>`
      select d.person_id, ${appKey} as app, a.name, d.source, sum(d.successes) as n, max(d.last_at) as last_at
      from signin_daily d join apps a on a.id = d.app_id join people p on p.id = d.person_id
      where (p.status in ('terminated', 'suspended') or p.roster_missing_since is not null) and p.end_date is not null and d.day > p.end_date and d.successes > 0
      group by d.person_id, ${appKey}, a.name, d.source
    `.execute(db)
    for (const r of signins.rows) add(r.person_id, { app: r.app, appName: r.name, kind: 'sign-in after end date', source: r.source, detail: `${r.n} sign-in(s), last ${r.last_at}` })
    const telemetry = await sql<{ person_id: number; app: string; name: string; n: number; last_at: string }>`
      select t.person_id, ${appKey} as app, a.name, count(*) as n, max(t.occurred_at) as last_at
      from telemetry_events t join apps a on a.id = t.app_id join people p on p.id = t.person_id
      where (p.status in ('terminated', 'suspended') or p.roster_missing_since is not null) and p.end_date is not null and substr(t.occurred_at, 1, 10) > p.end_date
      group by t.person_id, ${appKey}, a.name
    `.execute(db)
    for (const r of telemetry.rows) add(r.person_id, { app: r.app, appName: r.name, kind: 'browser activity after end date', source: 'browser-extension', detail: `${r.n} event(s), last ${r.last_at}` })

    const candidates: FindingCandidate[] = []
    for (const p of leavers) {
      const list = traces.get(p.id)
      if (!list || list.length === 0) continue
      list.sort((a, b) => a.app.localeCompare(b.app) || a.kind.localeCompare(b.kind) || a.source.localeCompare(b.source) || a.detail.localeCompare(b.detail))
      const daysSinceEnd = p.end_date ? Math.max(0, Math.floor((Date.parse(config.asOf) - Date.parse(`${p.end_date}T00:00:00Z`)) / 86_400_000)) : null
      const apps = [...new Set(list.filter((t) => t.kind !== 'directory account').map((t) => t.appName))].sort()
      const activeAfter = list.some((t) => t.kind.endsWith('after end date'))
      // Missing from the roster without a word from HR reads like a leaver nobody recorded.
      const gone = p.status === 'terminated' || (p.status === 'active' && p.roster_missing_since !== null)
      const severity: Severity = gone ? (activeAfter ? 'critical' : 'high') : 'medium'
      candidates.push({
        kind: 'orphaned-access',
        subjectKey: `person:${p.email}`,
        subjectType: 'person',
        subjectId: p.id,
        severity,
        score: list.length + (activeAfter ? 50 : 0) + (gone ? 20 : 0),
        title: `${p.status === 'terminated' ? 'Former' : p.status === 'suspended' ? 'Suspended' : `Missing from the HR roster since ${p.roster_missing_since!.slice(0, 10)},`} ${p.employment_type === 'contractor' ? 'contractor' : 'employee'} ${p.email} still has ${list.length} trace${list.length === 1 ? '' : 's'} of access (${apps.length} app${apps.length === 1 ? '' : 's'})`,
        evidence: { person: { email: p.email, name: p.name, status: p.status, endDate: p.end_date, department: p.department, employmentType: p.employment_type, ...(p.roster_missing_since ? { missingFromRosterSince: p.roster_missing_since } : {}) }, daysSinceEnd, apps, traces: list },
        recommendation: `Offboard ${p.email}: disable the ${list.filter((t) => t.kind === 'directory account').length} directory account(s), remove the ${list.filter((t) => t.kind === 'account').length} app account(s) and revoke the ${list.filter((t) => t.kind === 'grant').length} OAuth grant(s) listed${activeAfter ? '; activity after the end date means someone is still using this identity — investigate' : ''}.`,
      })
    }
    return candidates
  },
}

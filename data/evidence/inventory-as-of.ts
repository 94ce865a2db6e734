import { sql, type Kysely } from 'kysely'
import type { Database } from '../database.js'

/**
 * The inventory as it stood at an instant, rebuilt from what the store keeps about time: first/last seen,
 * gone_at and revoked_at on accounts and grants, completed scan runs, the daily sign-in rollup, findings'
 * first/last detection and resolution, and status changes recorded in the audit trail (payload.from).
 */
export interface AppAsOf {
  app_id: number
  key: string
  name: string
  vendor: string | null
  category: string | null
  status: string
  /** `audit` when the status was taken from the audit trail's history, `current` when nothing changed it since. */
  status_source: 'audit' | 'current'
  owner_email: string | null
  first_seen_at: string
  people_with_access: number
}

export interface AccessAsOf {
  person_id: number | null
  person_email: string
  person_name: string | null
  department: string | null
  person_status: string
  app_id: number
  app: string
  /** Where the access is seen: account sources, `oauth:<client>` grants, `signins` in the 90 days before. */
  via: string
  first_seen_at: string
  last_signin_at: string | null
}

export interface FindingAsOf {
  finding_id: number
  kind: string
  severity: string
  title: string
  subject_type: string
  subject_id: number | null
  status: string
  status_source: 'audit' | 'current'
  first_detected_at: string
  last_detected_at: string
}

export interface SourceAsOf {
  /** collector / source key, e.g. `okta` / `acme.okta.com`. */
  collector: string
  source_key: string
  /** The last completed run at or before the instant: the run the population of this source comes from. */
  run_id: number
  run_mode: string
  run_finished_at: string
  file_name: string | null
  file_sha256: string | null
  completed_runs: number
  identities: number
  accounts: number
  grants: number
}

export interface InventoryAsOf {
  as_of: string
  apps: AppAsOf[]
  access: AccessAsOf[]
  findings: FindingAsOf[]
  sources: SourceAsOf[]
}

const SIGNIN_WINDOW_DAYS = 90

/** The status a subject had at `asOf`: the `from` of the first recorded status change after it, if any. */
async function statusesBefore(db: Kysely<Database>, subjectType: string, asOf: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('audit_events')
    .select(['subject_id', 'payload', 'seq'])
    .where('subject_type', '=', subjectType)
    .where('occurred_at', '>', asOf)
    .where(sql<string>`action`, 'like', '%status%')
    .orderBy('seq')
    .execute()
  const first = new Map<string, string>()
  for (const row of rows) {
    if (row.subject_id === null || first.has(row.subject_id)) continue
    const payload = JSON.parse(row.payload) as { from?: unknown }
    if (typeof payload.from === 'string') first.set(row.subject_id, payload.from)
  }
  return first
}

export function personStatusAt(p: { status: string; start_date: string | null; end_date: string | null }, asOf: string): string {
  const day = asOf.slice(0, 10)
  if (p.start_date && p.start_date > day) return 'not-started'
  if (p.end_date && p.end_date <= day) return 'terminated'
  if (p.status === 'terminated' && p.end_date && p.end_date > day) return 'active'
  return p.status
}

export async function inventoryAsOf(db: Kysely<Database>, asOf: string): Promise<InventoryAsOf> {
  const day = asOf.slice(0, 10)
  const windowStart = new Date(Date.parse(`${day}T00:00:00Z`) - SIGNIN_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10)

  const people = new Map(
    (await db.selectFrom('people').select(['id', 'email', 'name', 'department', 'status', 'start_date', 'end_date']).execute()).map((p) => [p.id, p]),
  )
  // sorted here, not in SQL: the two dialects' collations order punctuation differently
  const appRows = (await db.selectFrom('apps').selectAll().where('first_seen_at', '<=', asOf).execute()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id))
  const appsById = new Map(appRows.map((a) => [a.id, a]))

  // person × app → how the access is seen
  const matrix = new Map<string, { person_id: number | null; email: string; app_id: number; via: Set<string>; first: string; lastSignin: string | null }>()
  const touch = (personId: number | null, email: string | null, appId: number | null, via: string, firstSeen: string): void => {
    if (appId === null || !appsById.has(appId)) return
    const person = personId === null ? undefined : people.get(personId)
    const who = (person?.email ?? email ?? '').toLowerCase()
    if (who === '') return
    const key = `${who}\u0000${appId}`
    const cell = matrix.get(key) ?? { person_id: person?.id ?? null, email: who, app_id: appId, via: new Set<string>(), first: firstSeen, lastSignin: null }
    cell.via.add(via)
    if (firstSeen < cell.first) cell.first = firstSeen
    matrix.set(key, cell)
  }
  const accounts = await db
    .selectFrom('accounts')
    .select(['person_id', 'email', 'app_id', 'source', 'first_seen_at'])
    .where('first_seen_at', '<=', asOf)
    .where((eb) => eb.or([eb('gone_at', 'is', null), eb('gone_at', '>', asOf)]))
    .execute()
  for (const a of accounts) touch(a.person_id, a.email, a.app_id, a.source, a.first_seen_at)
  const grants = await db
    .selectFrom('grants')
    .select(['person_id', 'user_email', 'app_id', 'client_id', 'client_name', 'first_seen_at'])
    .where('first_seen_at', '<=', asOf)
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', asOf)]))
    .execute()
  for (const g of grants) touch(g.person_id, g.user_email, g.app_id, `oauth:${g.client_name ?? g.client_id}`, g.first_seen_at)
  const signins = await db
    .selectFrom('signin_daily')
    .select((eb) => ['person_id', 'app_id', eb.fn.min('first_at').as('first_at'), eb.fn.max('last_at').as('last_at')])
    .where('day', '<=', day)
    .where('day', '>', windowStart)
    .where('successes', '>', 0)
    .where('person_id', 'is not', null)
    .where('app_id', 'is not', null)
    .groupBy(['person_id', 'app_id'])
    .execute()
  for (const s of signins) {
    touch(s.person_id, null, s.app_id, 'signins', String(s.first_at))
    const person = s.person_id === null ? undefined : people.get(s.person_id)
    const cell = person ? matrix.get(`${person.email.toLowerCase()}\u0000${s.app_id}`) : undefined
    const last = String(s.last_at) > asOf ? asOf : String(s.last_at)
    if (cell) cell.lastSignin = last
  }

  const access: AccessAsOf[] = [...matrix.values()]
    .map((c) => {
      const person = c.person_id === null ? undefined : people.get(c.person_id)
      return {
        person_id: c.person_id,
        person_email: c.email,
        person_name: person?.name ?? null,
        department: person?.department ?? null,
        person_status: person ? personStatusAt(person, asOf) : 'unknown',
        app_id: c.app_id,
        app: appsById.get(c.app_id)!.name,
        via: [...c.via].sort().join(' '),
        first_seen_at: c.first,
        last_signin_at: c.lastSignin,
      }
    })
    .sort((a, b) => (a.person_email < b.person_email ? -1 : a.person_email > b.person_email ? 1 : a.app < b.app ? -1 : a.app > b.app ? 1 : a.app_id - b.app_id))

  const usersPerApp = new Map<number, number>()
  for (const row of access) usersPerApp.set(row.app_id, (usersPerApp.get(row.app_id) ?? 0) + 1)
  const appHistory = await statusesBefore(db, 'app', asOf)
  const apps: AppAsOf[] = appRows.map((a) => {
    const earlier = appHistory.get(String(a.id))
    return {
      app_id: a.id, key: a.catalog_key ?? a.candidate_key ?? String(a.id), name: a.name, vendor: a.vendor, category: a.category,
      status: earlier ?? a.status, status_source: earlier ? 'audit' : 'current', owner_email: a.owner_email, first_seen_at: a.first_seen_at,
      people_with_access: usersPerApp.get(a.id) ?? 0,
    }
  })

  const findingHistory = await statusesBefore(db, 'finding', asOf)
  const findingRows = await db
    .selectFrom('findings')
    .select(['id', 'kind', 'severity', 'title', 'subject_type', 'subject_id', 'status', 'status_at', 'first_detected_at', 'last_detected_at', 'resolved_at'])
    .where('first_detected_at', '<=', asOf)
    .orderBy('id')
    .execute()
  const findings: FindingAsOf[] = []
  for (const f of findingRows) {
    const earlier = findingHistory.get(String(f.id))
    let status: string
    if (earlier) status = earlier
    else if (f.resolved_at && f.resolved_at <= asOf && f.status === 'resolved') status = 'resolved'
    else if (f.status === 'resolved') status = 'open' // resolved after the instant: it was still open then
    else if (f.status_at && f.status_at > asOf) status = 'open' // triaged after the instant
    else status = f.status
    if (status !== 'open' && status !== 'acknowledged') continue
    findings.push({
      finding_id: f.id, kind: f.kind, severity: f.severity, title: f.title, subject_type: f.subject_type, subject_id: f.subject_id, status,
      status_source: earlier ? 'audit' : 'current', first_detected_at: f.first_detected_at, last_detected_at: f.last_detected_at < asOf ? f.last_detected_at : asOf,
    })
  }

  return { as_of: asOf, apps, access, findings, sources: await sourcesAsOf(db, asOf) }
}

/** Completeness of the population: per source, the last completed run by the instant and what it holds then. */
export async function sourcesAsOf(db: Kysely<Database>, asOf: string): Promise<SourceAsOf[]> {
  const runs = await db
    .selectFrom('scan_runs')
    .select(['id', 'collector', 'source_key', 'mode', 'finished_at', 'file_name', 'file_sha256'])
    .where('status', '=', 'completed')
    .where('finished_at', '<=', asOf)
    .where('collector', '!=', 'analyzer') // analysis runs read the inventory; they are not a source of it
    .orderBy('finished_at')
    .orderBy('id')
    .execute()
  const bySource = new Map<string, { last: (typeof runs)[number]; count: number }>()
  for (const run of runs) {
    const key = `${run.collector}\u0000${run.source_key}`
    bySource.set(key, { last: run, count: (bySource.get(key)?.count ?? 0) + 1 })
  }
  const countBy = async (table: 'person_identities' | 'accounts' | 'grants'): Promise<Map<number, number>> => {
    // attributed to the run that last saw each row, among rows present at the instant
    let q = db.selectFrom(table).select((eb) => ['last_scan_run_id', eb.fn.countAll<number>().as('n')]).where('first_seen_at', '<=', asOf)
    if (table === 'grants') q = q.where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', asOf)]))
    else q = q.where((eb) => eb.or([eb('gone_at', 'is', null), eb('gone_at', '>', asOf)]))
    const rows = await q.groupBy('last_scan_run_id').execute()
    return new Map(rows.filter((r) => r.last_scan_run_id !== null).map((r) => [r.last_scan_run_id!, Number(r.n)]))
  }
  const [identities, accounts, grants] = await Promise.all([countBy('person_identities'), countBy('accounts'), countBy('grants')])
  // rows are attributed to the last run that saw them; sum every run of the source
  const runSource = new Map(runs.map((r) => [r.id, `${r.collector}\u0000${r.source_key}`]))
  const sum = (counts: Map<number, number>, key: string): number => {
    let n = 0
    for (const [runId, c] of counts) if (runSource.get(runId) === key) n += c
    return n
  }
  return [...bySource.entries()]
    .map(([key, { last, count }]) => ({
      collector: last.collector, source_key: last.source_key, run_id: last.id, run_mode: last.mode, run_finished_at: last.finished_at!,
      file_name: last.file_name, file_sha256: last.file_sha256, completed_runs: count,
      identities: sum(identities, key), accounts: sum(accounts, key), grants: sum(grants, key),
    }))
    .sort((a, b) => (a.collector < b.collector ? -1 : a.collector > b.collector ? 1 : a.source_key < b.source_key ? -1 : 1))
}

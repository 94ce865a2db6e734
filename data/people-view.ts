// Read models for the People pages: a filtered, paged list and everything one person holds.
import { sql, type Kysely } from 'kysely'
import { classifyScope, type RiskLevel } from './catalog/scope-risk.js'
import type { Database } from './database.js'
import type { Finding, Severity } from './tables/findings.table.js'
import type { Person, PersonStatus } from './tables/people.table.js'

export interface PeopleQuery {
  /** Matches email, name, department or title (case-insensitive, substring). */
  q?: string
  status?: PersonStatus
  department?: string
  /** Only leavers (terminated, or past their end date) who still hold an account or a grant. */
  leaversHolding?: boolean
  /** Only people the authoritative HR roster stopped listing (`roster_missing_since` set by the roster import). */
  missingFromRoster?: boolean
  page?: number
  pageSize?: number
}

export interface PersonRow {
  id: number
  email: string
  name: string | null
  department: string | null
  title: string | null
  status: PersonStatus
  employmentType: string | null
  endDate: string | null
  /** When the HR roster first stopped listing this person; null while it lists them (or never did). */
  rosterMissingSince: string | null
  apps: number
  accounts: number
  grants: number
  leaver: boolean
}

export interface Page<T> {
  rows: T[]
  page: number
  pageSize: number
  total: number
  pages: number
}

/** Terminated, or an end date that has passed: the HR record says this person has left. */
export function isLeaver(p: Pick<Person, 'status' | 'end_date'>, today: string): boolean {
  return p.status === 'terminated' || (p.end_date !== null && p.end_date < today)
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export async function listPeople(db: Kysely<Database>, query: PeopleQuery, today: string): Promise<Page<PersonRow>> {
  const pageSize = Math.min(Math.max(query.pageSize ?? 50, 1), 200)
  const page = Math.max(query.page ?? 1, 1)
  let base = db.selectFrom('people as p')
  if (query.q && query.q.trim() !== '') {
    const like = `%${escapeLike(query.q.trim().toLowerCase())}%`
    base = base.where((eb) =>
      eb.or([
        sql<boolean>`lower(p.email) like ${like} escape '\\'`,
        sql<boolean>`lower(coalesce(p.name, '')) like ${like} escape '\\'`,
        sql<boolean>`lower(coalesce(p.department, '')) like ${like} escape '\\'`,
        sql<boolean>`lower(coalesce(p.title, '')) like ${like} escape '\\'`,
      ]),
    )
  }
  if (query.status) base = base.where('p.status', '=', query.status)
  if (query.department) base = base.where('p.department', '=', query.department)
  if (query.missingFromRoster) base = base.where('p.roster_missing_since', 'is not', null)
  if (query.leaversHolding) {
    base = base
      .where((eb) => eb.or([eb('p.status', '=', 'terminated'), eb.and([eb('p.end_date', 'is not', null), eb('p.end_date', '<', today)])]))
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('accounts as a').select('a.id').whereRef('a.person_id', '=', 'p.id').where('a.gone_at', 'is', null)),
          eb.exists(eb.selectFrom('grants as g').select('g.id').whereRef('g.person_id', '=', 'p.id').where('g.revoked_at', 'is', null)),
        ]),
      )
  }
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const total = Number(count.n)
  const rows = await base
    .select((eb) => [
      'p.id', 'p.email', 'p.name', 'p.department', 'p.title', 'p.status', 'p.employment_type', 'p.end_date', 'p.roster_missing_since',
      eb.selectFrom('accounts as a').select((e) => e.fn.countAll<number>().as('n')).whereRef('a.person_id', '=', 'p.id').where('a.gone_at', 'is', null).as('accounts'),
      eb.selectFrom('grants as g').select((e) => e.fn.countAll<number>().as('n')).whereRef('g.person_id', '=', 'p.id').where('g.revoked_at', 'is', null).as('grants'),
      sql<number>`(select count(*) from (
        select a.app_id from accounts a where a.person_id = p.id and a.gone_at is null
        union select g.app_id from grants g where g.person_id = p.id and g.revoked_at is null and g.app_id is not null
      ) x)`.as('apps'),
    ])
    .orderBy(sql`lower(coalesce(p.name, p.email))`)
    .orderBy('p.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  return {
    rows: rows.map((r) => ({
      id: r.id, email: r.email, name: r.name, department: r.department, title: r.title, status: r.status, employmentType: r.employment_type,
      endDate: r.end_date, rosterMissingSince: r.roster_missing_since, apps: Number(r.apps ?? 0), accounts: Number(r.accounts ?? 0), grants: Number(r.grants ?? 0),
      leaver: isLeaver({ status: r.status, end_date: r.end_date }, today),
    })),
    page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)),
  }
}

export async function listDepartments(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('people').select('department').distinct().where('department', 'is not', null).orderBy('department').execute()
  return rows.map((r) => r.department!).filter((d) => d !== '')
}

export interface PersonAccount {
  id: number
  appId: number
  appName: string
  appStatus: string
  source: string
  username: string | null
  status: string | null
  lastActivityAt: string | null
  lastSignInAt: string | null
  goneAt: string | null
  entitlements: string[]
}

export interface PersonGrant {
  id: number
  appId: number | null
  appName: string | null
  clientName: string | null
  source: string
  risk: string | null
  scopes: { scope: string; level: RiskLevel; meaning: string }[]
  firstSeenAt: string
  revokedAt: string | null
}

export interface PersonSpendMonth {
  month: string
  currency: string
  totalMinor: number
  transactions: number
}

export interface PersonFinding {
  id: number
  kind: string
  severity: Severity
  status: string
  title: string
}

export interface PersonDetail {
  person: Person
  leaver: boolean
  identities: { source: string; externalId: string; status: string | null; lastSeenAt: string; goneAt: string | null }[]
  accounts: PersonAccount[]
  grants: PersonGrant[]
  spendByMonth: PersonSpendMonth[]
  /** Card lines dated after the person's end date (leavers). */
  spendAfterEnd: { postedOn: string; merchant: string; appName: string | null; amountMinor: number; currency: string }[]
  /** Apps seen only through sign-ins or the browser (no account or grant), with the last time. */
  otherActivity: { appId: number; appName: string; lastAt: string }[]
  findings: PersonFinding[]
}

/** The meaning of each scope, from the shipped scope tables (Google, Microsoft Graph). */
export function scopesInPlainWords(scopesJson: string): PersonGrant['scopes'] {
  let scopes: unknown
  try {
    scopes = JSON.parse(scopesJson)
  } catch {
    scopes = []
  }
  if (!Array.isArray(scopes)) return []
  return scopes
    .filter((s): s is string => typeof s === 'string')
    .map((s) => {
      const r = classifyScope(s)
      return { scope: s, level: r.level, meaning: r.known ? r.reason.slice(r.reason.indexOf(': ') + 2) : 'not in Sightline\u2019s scope tables: check what it allows' }
    })
}

/** Everything one person holds, or undefined when there is no such person. */
export async function personDetail(db: Kysely<Database>, personId: number, today: string): Promise<PersonDetail | undefined> {
  const person = await db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst()
  if (!person) return undefined
  const identities = await db
    .selectFrom('person_identities')
    .select(['source', 'external_id', 'status', 'last_seen_at', 'gone_at'])
    .where('person_id', '=', personId)
    .orderBy('source')
    .execute()
  const accounts = await db
    .selectFrom('accounts as a')
    .innerJoin('apps', 'apps.id', 'a.app_id')
    .select([
      'a.id', 'a.app_id', 'apps.name as app_name', 'apps.status as app_status', 'a.source', 'a.username', 'a.status', 'a.last_activity_at', 'a.gone_at',
      (eb) => eb.selectFrom('signin_daily as d').select((e) => e.fn.max('d.last_at').as('m')).whereRef('d.app_id', '=', 'a.app_id').where('d.person_id', '=', personId).where('d.successes', '>', 0).as('last_signin'),
    ])
    .where('a.person_id', '=', personId)
    .orderBy(sql`a.gone_at is not null`)
    .orderBy('apps.name')
    .execute()
  const entitlementRows = accounts.length === 0 ? [] : await db
    .selectFrom('entitlements')
    .select(['account_id', 'kind', 'name'])
    .where('account_id', 'in', accounts.map((a) => a.id))
    .where('gone_at', 'is', null)
    .orderBy('name')
    .execute()
  const entitlements = new Map<number, string[]>()
  for (const e of entitlementRows) entitlements.set(e.account_id, [...(entitlements.get(e.account_id) ?? []), `${e.name} (${e.kind})`])

  const grants = await db
    .selectFrom('grants as g')
    .leftJoin('apps', 'apps.id', 'g.app_id')
    .select(['g.id', 'g.app_id', 'apps.name as app_name', 'g.client_name', 'g.source', 'g.risk', 'g.scopes', 'g.first_seen_at', 'g.revoked_at'])
    .where('g.person_id', '=', personId)
    .orderBy(sql`g.revoked_at is not null`)
    .orderBy(sql`coalesce(apps.name, g.client_name)`)
    .execute()

  const spendByMonth = await db
    .selectFrom('spend_transactions')
    .select([sql<string>`substr(posted_on, 1, 7)`.as('month'), 'currency', (eb) => eb.fn.sum<number>('amount_minor').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('person_id', '=', personId)
    .groupBy([sql`substr(posted_on, 1, 7)`, 'currency'])
    .orderBy(sql`substr(posted_on, 1, 7)`, 'desc')
    .orderBy('currency')
    .limit(36)
    .execute()
  const leaver = isLeaver(person, today)
  const endDate = person.end_date
  const spendAfterEnd = leaver && endDate
    ? await db
        .selectFrom('spend_transactions as s')
        .leftJoin('apps', 'apps.id', 's.app_id')
        .select(['s.posted_on', 's.merchant_raw', 'apps.name as app_name', 's.amount_minor', 's.currency'])
        .where('s.person_id', '=', personId)
        .where('s.posted_on', '>', endDate)
        .orderBy('s.posted_on', 'desc')
        .limit(100)
        .execute()
    : []

  const heldApps = new Set([...accounts.map((a) => a.app_id), ...grants.map((g) => g.app_id).filter((x): x is number => x !== null)])
  const activity = await sql<{ app_id: number; name: string; last_at: string }>`
    select s.app_id, apps.name, max(s.last_at) as last_at from (
      select app_id, last_at from signin_daily where person_id = ${personId} and app_id is not null and successes > 0
      union all select app_id, occurred_at from telemetry_events where person_id = ${personId} and app_id is not null
    ) s join apps on apps.id = s.app_id group by s.app_id, apps.name order by max(s.last_at) desc
  `.execute(db)

  const accountIds = accounts.map((a) => a.id)
  const grantIds = grants.map((g) => g.id)
  const findings = await db
    .selectFrom('findings')
    .select(['id', 'kind', 'severity', 'status', 'title'])
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'person'), eb('subject_id', '=', personId)]),
        ...(accountIds.length ? [eb.and([eb('subject_type', '=', 'account'), eb('subject_id', 'in', accountIds)])] : []),
        ...(grantIds.length ? [eb.and([eb('subject_type', '=', 'grant'), eb('subject_id', 'in', grantIds)])] : []),
      ]),
    )
    .orderBy(sql`case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end`)
    .orderBy('id')
    .execute()

  return {
    person, leaver,
    identities: identities.map((i) => ({ source: i.source, externalId: i.external_id, status: i.status, lastSeenAt: i.last_seen_at, goneAt: i.gone_at })),
    accounts: accounts.map((a) => ({
      id: a.id, appId: a.app_id, appName: a.app_name, appStatus: a.app_status, source: a.source, username: a.username, status: a.status,
      lastActivityAt: a.last_activity_at, lastSignInAt: (a.last_signin as string | null) ?? null, goneAt: a.gone_at, entitlements: entitlements.get(a.id) ?? [],
    })),
    grants: grants.map((g) => ({
      id: g.id, appId: g.app_id, appName: g.app_name, clientName: g.client_name, source: g.source, risk: g.risk, scopes: scopesInPlainWords(g.scopes),
      firstSeenAt: g.first_seen_at, revokedAt: g.revoked_at,
    })),
    spendByMonth: spendByMonth.map((s) => ({ month: s.month, currency: s.currency, totalMinor: Number(s.total), transactions: Number(s.n) })),
    spendAfterEnd: spendAfterEnd.map((s) => ({ postedOn: s.posted_on, merchant: s.merchant_raw, appName: s.app_name, amountMinor: Number(s.amount_minor), currency: s.currency })),
    otherActivity: activity.rows.filter((r) => !heldApps.has(Number(r.app_id))).map((r) => ({ appId: Number(r.app_id), appName: r.name, lastAt: r.last_at })),
    findings: findings as PersonFinding[],
  }
}

export type { Finding }

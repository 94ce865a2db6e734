// Read model for the per-app page: who uses it and how we know, what it costs, what the analyzer found.
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'
import { scopesInPlainWords, type PersonGrant } from './people-view.js'
import type { App } from './tables/apps.table.js'
import type { Severity } from './tables/findings.table.js'

export interface AppUser {
  personId: number | null
  email: string | null
  name: string | null
  personStatus: string | null
  source: string
  accountStatus: string | null
  lastSignInAt: string | null
  goneAt: string | null
}

export interface AppDetail {
  app: App
  identifiers: { kind: string; value: string; exampleRaw: string; rule: string; confidence: number; confirmed: boolean; confirmedBy: string | null; seenCount: number; lastSeenAt: string }[]
  sourceApps: { source: string; label: string; status: string | null; signOnMode: string | null; goneAt: string | null }[]
  /** Accounts, newest activity first, at most `userLimit`. */
  users: AppUser[]
  usersTotal: number
  /** Null when the viewer may not see OAuth scopes (finance). */
  grants: (PersonGrant & { personId: number | null; userEmail: string | null })[] | null
  spendByMonth: { month: string; currency: string; totalMinor: number; transactions: number }[]
  spendByCardholder: { cardholder: string; currency: string; totalMinor: number; transactions: number }[]
  findings: { id: number; kind: string; severity: Severity; status: string; title: string }[]
}

export async function appDetail(db: Kysely<Database>, appId: number, options: { includeGrants: boolean; userLimit?: number }): Promise<AppDetail | undefined> {
  const app = await db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst()
  if (!app) return undefined
  const userLimit = options.userLimit ?? 200
  const identifiers = await db
    .selectFrom('identifiers')
    .select(['kind', 'value', 'example_raw', 'rule', 'confidence', 'confirmed', 'confirmed_by', 'seen_count', 'last_seen_at'])
    .where('app_id', '=', appId)
    .orderBy('seen_count', 'desc')
    .orderBy('kind')
    .orderBy('value')
    .limit(200)
    .execute()
  const sourceApps = await db
    .selectFrom('source_apps')
    .select(['source', 'label', 'status', 'sign_on_mode', 'gone_at'])
    .where('app_id', '=', appId)
    .orderBy('source')
    .execute()
  const usersTotal = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', appId).executeTakeFirstOrThrow()
  const users = await db
    .selectFrom('accounts as a')
    .leftJoin('people as p', 'p.id', 'a.person_id')
    .select([
      'a.person_id', 'p.email as person_email', 'a.email as account_email', 'p.name', 'p.status as person_status', 'a.source', 'a.status', 'a.gone_at', 'a.last_activity_at',
      (eb) => eb.selectFrom('signin_daily as d').select((e) => e.fn.max('d.last_at').as('m')).whereRef('d.person_id', '=', 'a.person_id').where('d.app_id', '=', appId).where('d.successes', '>', 0).as('last_signin'),
    ])
    .where('a.app_id', '=', appId)
    .orderBy(sql`a.gone_at is not null`)
    .orderBy(sql`coalesce(a.last_activity_at, '')`, 'desc')
    .orderBy('a.id')
    .limit(userLimit)
    .execute()

  const grants = options.includeGrants
    ? await db
        .selectFrom('grants as g')
        .leftJoin('apps', 'apps.id', 'g.app_id')
        .select(['g.id', 'g.app_id', 'apps.name as app_name', 'g.client_name', 'g.source', 'g.risk', 'g.scopes', 'g.first_seen_at', 'g.revoked_at', 'g.person_id', 'g.user_email'])
        .where('g.app_id', '=', appId)
        .orderBy(sql`g.revoked_at is not null`)
        .orderBy('g.user_email')
        .limit(200)
        .execute()
    : null

  const spendByMonth = await db
    .selectFrom('spend_transactions')
    .select([sql<string>`substr(posted_on, 1, 7)`.as('month'), 'currency', (eb) => eb.fn.sum<number>('amount_minor').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('app_id', '=', appId)
    .groupBy([sql`substr(posted_on, 1, 7)`, 'currency'])
    .orderBy(sql`substr(posted_on, 1, 7)`, 'desc')
    .orderBy('currency')
    .limit(36)
    .execute()
  const holder = sql<string>`coalesce(cardholder, cardholder_email, '(none)')`
  const spendByCardholder = await db
    .selectFrom('spend_transactions')
    .select([holder.as('cardholder'), 'currency', (eb) => eb.fn.sum<number>('amount_minor').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('app_id', '=', appId)
    .groupBy([sql`coalesce(cardholder, cardholder_email, '(none)')`, 'currency'])
    .orderBy(sql`sum(amount_minor)`, 'desc')
    .limit(50)
    .execute()

  const findings = await db
    .selectFrom('findings')
    .select(['id', 'kind', 'severity', 'status', 'title'])
    .where('subject_type', '=', 'app')
    .where('subject_id', '=', appId)
    .orderBy(sql`case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end`)
    .orderBy('id')
    .execute()

  return {
    app,
    identifiers: identifiers.map((i) => ({
      kind: i.kind, value: i.value, exampleRaw: i.example_raw, rule: i.rule, confidence: Number(i.confidence), confirmed: i.confirmed !== 0, confirmedBy: i.confirmed_by,
      seenCount: Number(i.seen_count), lastSeenAt: i.last_seen_at,
    })),
    sourceApps: sourceApps.map((s) => ({ source: s.source, label: s.label, status: s.status, signOnMode: s.sign_on_mode, goneAt: s.gone_at })),
    users: users.map((u) => ({
      personId: u.person_id, email: u.person_email ?? u.account_email, name: u.name, personStatus: u.person_status, source: u.source, accountStatus: u.status,
      lastSignInAt: (u.last_signin as string | null) ?? u.last_activity_at, goneAt: u.gone_at,
    })),
    usersTotal: Number(usersTotal.n),
    grants: grants === null ? null : grants.map((g) => ({
      id: g.id, appId: g.app_id, appName: g.app_name, clientName: g.client_name, source: g.source, risk: g.risk, scopes: scopesInPlainWords(g.scopes),
      firstSeenAt: g.first_seen_at, revokedAt: g.revoked_at, personId: g.person_id, userEmail: g.user_email,
    })),
    spendByMonth: spendByMonth.map((s) => ({ month: s.month, currency: s.currency, totalMinor: Number(s.total), transactions: Number(s.n) })),
    spendByCardholder: spendByCardholder.map((s) => ({ cardholder: s.cardholder, currency: s.currency, totalMinor: Number(s.total), transactions: Number(s.n) })),
    findings: findings as AppDetail['findings'],
  }
}

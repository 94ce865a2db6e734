import { hash as digest } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { canonicalJson } from '../audit.js'
import { classifyScope } from '../catalog/scope-risk.js'
import type { Database } from '../database.js'
import type { ReviewItemKind } from '../tables/reviews.table.js'
import type { CampaignScope } from './scope.js'

/** What a remediation acts on, in the source's own ids (never a credential). */
export interface RemediationTarget {
  source: string
  kind: 'account' | 'grant'
  /** accounts.external_id (Okta: `appId/userId`; Entra: the user's object id) or the grant's identity id. */
  externalId: string
  /** The user's id in the source (Okta user id, Entra object id, Google user id). */
  userExternalId: string | null
  userEmail: string | null
  /** Grants: the OAuth client id. */
  clientId: string | null
  /** Accounts: the source's ids of the application object (Okta app id, Entra appId). */
  sourceAppIds: string[]
}

export interface MoneyAmount {
  currency: string
  amountMinor: number
}

/** Everything a reviewer sees about one access, frozen at launch. */
export interface ItemSnapshot {
  kind: ReviewItemKind
  person: {
    id: number
    email: string
    name: string | null
    title: string | null
    department: string | null
    managerEmail: string | null
    status: string
    employmentType: string | null
    endDate: string | null
  } | null
  app: { id: number; name: string; category: string | null; status: string; ownerEmail: string | null; shadow: boolean } | null
  account: {
    id: number
    source: string
    externalId: string
    username: string | null
    email: string | null
    status: string | null
    licensed: boolean
    firstSeenAt: string
    lastSeenAt: string
    entitlements: Array<{ kind: string; name: string }>
  } | null
  grant: {
    id: number
    source: string
    clientId: string
    clientName: string | null
    risk: string | null
    consentType: string | null
    firstSeenAt: string
    /** Each scope with what it allows, in words. */
    scopes: Array<{ scope: string; level: string; meaning: string }>
  } | null
  /** Sources that prove the access: the account's or grant's source, sign-ins, browser, card. */
  sources: string[]
  lastActivityAt: string | null
  /** Whole days since the last activity (null: never seen active). */
  daysInactive: number | null
  spend: {
    /** What this person's card paid this app in the last 12 months, per currency. */
    person: MoneyAmount[]
    /** The app's spend over 12 months divided by 12 and by its accounts: an estimate of one seat a month. */
    seatMonthly: MoneyAmount | null
  }
  findings: Array<{ id: number; kind: string; severity: string; title: string }>
  /** People in the same department, and how many of them have access to the same app. */
  peers: { department: string; withAccess: number; total: number } | null
  target: RemediationTarget | null
}

/** One access in scope, ready to become a review item. */
export interface AccessInScope {
  kind: ReviewItemKind
  accessKey: string
  fingerprint: string
  personId: number | null
  subjectEmail: string | null
  appId: number | null
  accountId: number | null
  grantId: number | null
  source: string | null
  managerEmail: string | null
  ownerEmail: string | null
  snapshot: ItemSnapshot
}

const DAY_MS = 86_400_000
const RISKY_LEVELS = new Set(['high', 'critical'])

function hash(value: unknown): string {
  return fingerprintOfCanonical(canonicalJson(value))
}

const fingerprintOfCanonical = (canonical: string) => digest('sha256', canonical, 'hex').slice(0, 32)
const json = (v: unknown) => JSON.stringify(v ?? null)

/**
 * An account's fingerprint: what a delta campaign compares to decide whether the access changed. The canonical
 * JSON of `{ app, status, licensed, ents }` written out directly (a launch computes one per account; the generic
 * writer sorts keys per object): the same text, so fingerprints stay comparable with campaigns already closed.
 */
export function accountFingerprint(appId: number | null, status: string | null, licensed: number, ents: ReadonlyArray<{ kind: string; name: string }>): string {
  const list = ents.map((e) => `{"kind":${json(e.kind)},"name":${json(e.name)}}`).join(',')
  return fingerprintOfCanonical(`{"app":${json(appId)},"ents":[${list}],"licensed":${json(licensed)},"status":${json(status)}}`)
}

function parseJsonArray(text: string | null): string[] {
  if (!text) return []
  try {
    const v = JSON.parse(text) as unknown
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

const pairKey = (personId: number | null, appId: number | null) => `${personId ?? '-'}:${appId ?? '-'}`

/**
 * Every account, grant and (for apps with no integration) observed use in scope, with what a reviewer needs:
 * last activity, sources, spend, findings and peers. Set-based: a fixed number of queries whatever the size.
 */
export async function collectAccessInScope(db: Kysely<Database>, scope: CampaignScope, now: string): Promise<AccessInScope[]> {
  const nowMs = Date.parse(now)
  const today = now.slice(0, 10)

  // Apps in scope (null = no app condition: every app, and grants whose app is not resolved yet).
  let appQuery = db.selectFrom('apps').selectAll()
  const appFiltered = Boolean(scope.apps || scope.categories || scope.appStatuses)
  if (scope.apps) {
    const ids = scope.apps.filter((a): a is number => typeof a === 'number')
    const keys = scope.apps.filter((a): a is string => typeof a === 'string')
    appQuery = appQuery.where((eb) =>
      eb.or([
        ...(ids.length ? [eb('id', 'in', ids)] : []),
        ...(keys.length ? [eb('catalog_key', 'in', keys), eb('candidate_key', 'in', keys), eb('name', 'in', keys)] : []),
      ]),
    )
  }
  if (scope.categories) appQuery = appQuery.where('category', 'in', scope.categories)
  if (scope.appStatuses) {
    const statuses = scope.appStatuses.filter((s) => s !== 'shadow')
    const shadow = scope.appStatuses.includes('shadow')
    appQuery = appQuery.where((eb) =>
      eb.or([...(statuses.length ? [eb('status', 'in', statuses)] : []), ...(shadow ? [eb('candidate_key', 'is not', null)] : [])]),
    )
  }
  const apps = await appQuery.execute()
  const appById = new Map(apps.map((a) => [a.id, a]))
  const inAppScope = (appId: number | null) => (appFiltered ? appId != null && appById.has(appId) : true)

  const people = await db.selectFrom('people').selectAll().execute()
  const personById = new Map(people.map((p) => [p.id, p]))
  const departments = scope.departments ? new Set(scope.departments.map((d) => d.toLowerCase())) : null
  const isLeaver = (p: (typeof people)[number]) => p.status === 'terminated' || (p.end_date != null && p.end_date.slice(0, 10) < today)
  const inPersonScope = (personId: number | null) => {
    if (!departments && !scope.leaversOnly) return true
    const p = personId == null ? undefined : personById.get(personId)
    if (!p) return false
    if (departments && !departments.has((p.department ?? '').toLowerCase())) return false
    if (scope.leaversOnly && !isLeaver(p)) return false
    return true
  }

  const accounts = (await db.selectFrom('accounts').selectAll().where('gone_at', 'is', null).execute()).filter(
    (a) => inAppScope(a.app_id) && inPersonScope(a.person_id),
  )
  const accountIds = new Set(accounts.map((a) => a.id))
  const entitlementsByAccount = new Map<number, Array<{ kind: string; name: string }>>()
  const entRows = await db
    .selectFrom('entitlements')
    .innerJoin('accounts', 'accounts.id', 'entitlements.account_id')
    .select(['entitlements.account_id', 'entitlements.kind', 'entitlements.name'])
    .where('entitlements.gone_at', 'is', null)
    .where('accounts.gone_at', 'is', null)
    .execute()
  for (const e of entRows) {
    if (!accountIds.has(e.account_id)) continue
    const list = entitlementsByAccount.get(e.account_id) ?? []
    list.push({ kind: e.kind, name: e.name })
    entitlementsByAccount.set(e.account_id, list)
  }
  const grants = (await db.selectFrom('grants').selectAll().where('revoked_at', 'is', null).execute()).filter(
    (g) => inAppScope(g.app_id) && inPersonScope(g.person_id),
  )

  // Observed use without an account or grant: sign-ins, browser activity, card lines. The unary plus keeps SQLite
  // from walking signin_daily through its (app, person) index with a row lookup each (4x slower than a scan and
  // a sort at 340k rows); it means the same on PostgreSQL.
  const usage = await sql<{ person_id: number; app_id: number; src: string; last_at: string | null }>`
    select +person_id as person_id, +app_id as app_id, 'sign-ins' as src, max(last_at) as last_at from signin_daily
      where +person_id is not null and +app_id is not null and successes > 0 group by 1, 2
    union all
    select person_id, app_id, 'browser' as src, max(occurred_at) as last_at from telemetry_events
      where person_id is not null and app_id is not null group by person_id, app_id
    union all
    select person_id, app_id, 'card' as src, null as last_at from spend_transactions
      where person_id is not null and app_id is not null group by person_id, app_id
  `.execute(db)
  const usageSources = new Map<string, Set<string>>()
  const lastUse = new Map<string, string>()
  for (const u of usage.rows) {
    const key = pairKey(u.person_id, u.app_id)
    const set = usageSources.get(key) ?? new Set<string>()
    set.add(u.src)
    usageSources.set(key, set)
    if (u.last_at && (lastUse.get(key) ?? '') < u.last_at) lastUse.set(key, u.last_at)
  }
  for (const a of accounts) {
    if (a.person_id == null || a.app_id == null || !a.last_activity_at) continue
    const key = pairKey(a.person_id, a.app_id)
    if ((lastUse.get(key) ?? '') < a.last_activity_at) lastUse.set(key, a.last_activity_at)
  }

  const yearAgo = new Date(nowMs - 365 * DAY_MS).toISOString().slice(0, 10)
  const personSpend = new Map<string, MoneyAmount[]>()
  const appSpend = new Map<number, MoneyAmount[]>()
  const spendRows = await db
    .selectFrom('spend_transactions')
    .select(['person_id', 'app_id', 'currency', (eb) => eb.fn.sum<number>('amount_minor').as('total')])
    .where('app_id', 'is not', null)
    .where('posted_on', '>=', yearAgo)
    .groupBy(['person_id', 'app_id', 'currency'])
    .execute()
  for (const s of spendRows) {
    const total = Number(s.total)
    if (s.person_id != null) {
      const key = pairKey(s.person_id, s.app_id)
      const list = personSpend.get(key) ?? []
      list.push({ currency: s.currency, amountMinor: total })
      personSpend.set(key, list)
    }
    const list = appSpend.get(s.app_id!) ?? []
    const same = list.find((m) => m.currency === s.currency)
    if (same) same.amountMinor += total
    else list.push({ currency: s.currency, amountMinor: total })
    appSpend.set(s.app_id!, list)
  }
  const seatsByApp = new Map<number, number>()
  for (const r of await db.selectFrom('accounts').select(['app_id', (eb) => eb.fn.countAll<number>().as('n')]).where('gone_at', 'is', null).groupBy('app_id').execute()) {
    seatsByApp.set(r.app_id, Number(r.n))
  }
  const seatMonthlyByApp = new Map<number, MoneyAmount | null>()
  const seatMonthly = (appId: number | null): MoneyAmount | null => {
    if (appId == null) return null
    if (seatMonthlyByApp.has(appId)) return seatMonthlyByApp.get(appId)!
    const spend = appSpend.get(appId)
    let seat: MoneyAmount | null = null
    if (spend?.length) {
      const top = [...spend].sort((a, b) => b.amountMinor - a.amountMinor)[0]!
      const seats = Math.max(1, seatsByApp.get(appId) ?? 0)
      seat = { currency: top.currency, amountMinor: Math.round(top.amountMinor / 12 / seats) }
    }
    seatMonthlyByApp.set(appId, seat)
    return seat
  }

  const findingsBy = new Map<string, ItemSnapshot['findings']>()
  const findingRows = await db
    .selectFrom('findings')
    .select(['id', 'kind', 'severity', 'title', 'subject_type', 'subject_id'])
    .where('status', 'in', ['open', 'acknowledged'])
    .where('subject_id', 'is not', null)
    .execute()
  for (const f of findingRows) {
    const key = `${f.subject_type}:${f.subject_id}`
    const list = findingsBy.get(key) ?? []
    list.push({ id: f.id, kind: f.kind, severity: f.severity, title: f.title })
    findingsBy.set(key, list)
  }

  const sourceApps = new Map<string, string[]>()
  for (const s of await db.selectFrom('source_apps').select(['source', 'app_id', 'external_id']).where('gone_at', 'is', null).where('app_id', 'is not', null).execute()) {
    const key = `${s.source}:${s.app_id}`
    sourceApps.set(key, [...(sourceApps.get(key) ?? []), s.external_id])
  }
  const identityBySource = new Map<string, string>()
  for (const i of await db.selectFrom('person_identities').select(['source', 'person_id', 'external_id']).where('person_id', 'is not', null).where('gone_at', 'is', null).execute()) {
    identityBySource.set(`${i.source}:${i.person_id}`, i.external_id)
  }

  const personOf = (id: number | null): ItemSnapshot['person'] => {
    const p = id == null ? undefined : personById.get(id)
    return p
      ? { id: p.id, email: p.email, name: p.name, title: p.title, department: p.department, managerEmail: p.manager_email, status: p.status, employmentType: p.employment_type, endDate: p.end_date }
      : null
  }
  const appOf = (id: number | null): ItemSnapshot['app'] => {
    const a = id == null ? undefined : appById.get(id)
    return a ? { id: a.id, name: a.name, category: a.category, status: a.status, ownerEmail: a.owner_email, shadow: a.candidate_key != null } : null
  }
  const findingsFor = (...keys: string[]) => keys.flatMap((k) => findingsBy.get(k) ?? [])
  const daysSince = (at: string | null) => (at ? Math.max(0, Math.floor((nowMs - Date.parse(at)) / DAY_MS)) : null)

  const out: AccessInScope[] = []
  const withAccessPairs = new Set<string>()
  const base = (personId: number | null, appId: number | null, sources: string[]) => {
    const key = pairKey(personId, appId)
    const usageSet = usageSources.get(key)
    const lastActivityAt = lastUse.get(key) ?? null
    return {
      person: personOf(personId),
      app: appOf(appId),
      sources: [...new Set([...sources, ...(usageSet ?? [])])].sort(),
      lastActivityAt,
      daysInactive: daysSince(lastActivityAt),
      spend: { person: personSpend.get(key) ?? [], seatMonthly: seatMonthly(appId) },
    }
  }

  for (const a of accounts) {
    const ents = (entitlementsByAccount.get(a.id) ?? []).sort((x, y) => (x.kind + x.name < y.kind + y.name ? -1 : 1))
    const b = base(a.person_id, a.app_id, [a.source])
    withAccessPairs.add(pairKey(a.person_id, a.app_id))
    const snapshot: ItemSnapshot = {
      kind: 'account',
      ...b,
      account: {
        id: a.id, source: a.source, externalId: a.external_id, username: a.username, email: a.email, status: a.status,
        licensed: a.licensed === 1, firstSeenAt: a.first_seen_at, lastSeenAt: a.last_seen_at, entitlements: ents,
      },
      grant: null,
      findings: findingsFor(`account:${a.id}`, `person:${a.person_id}`, `app:${a.app_id}`),
      peers: null,
      target: {
        source: a.source,
        kind: 'account',
        externalId: a.external_id,
        userExternalId: a.person_id != null ? (identityBySource.get(`${a.source}:${a.person_id}`) ?? null) : null,
        userEmail: b.person?.email ?? a.email,
        clientId: null,
        sourceAppIds: sourceApps.get(`${a.source}:${a.app_id}`) ?? [],
      },
    }
    out.push({
      kind: 'account', accessKey: `account:${a.source}:${a.app_id}:${a.external_id}`,
      fingerprint: accountFingerprint(a.app_id, a.status, a.licensed, ents),
      personId: a.person_id, subjectEmail: b.person?.email ?? a.email, appId: a.app_id, accountId: a.id, grantId: null, source: a.source,
      managerEmail: b.person?.managerEmail ?? null, ownerEmail: b.app?.ownerEmail ?? null, snapshot,
    })
  }

  for (const g of grants) {
    const scopes = parseJsonArray(g.scopes).sort()
    const b = base(g.person_id, g.app_id, [g.source])
    withAccessPairs.add(pairKey(g.person_id, g.app_id))
    const snapshot: ItemSnapshot = {
      kind: 'grant',
      ...b,
      account: null,
      grant: {
        id: g.id, source: g.source, clientId: g.client_id, clientName: g.client_name, risk: g.risk, consentType: g.consent_type, firstSeenAt: g.first_seen_at,
        scopes: scopes.map((s) => {
          const r = classifyScope(s)
          return { scope: s, level: r.level, meaning: r.reason }
        }),
      },
      findings: findingsFor(`grant:${g.id}`, `person:${g.person_id}`, `app:${g.app_id}`),
      peers: null,
      target: {
        source: g.source, kind: 'grant', externalId: g.identity_external_id, userExternalId: g.identity_external_id,
        userEmail: b.person?.email ?? g.user_email, clientId: g.client_id, sourceAppIds: [],
      },
    }
    out.push({
      kind: 'grant', accessKey: `grant:${g.source}:${g.identity_external_id}:${g.client_id}`,
      fingerprint: hash({ app: g.app_id, scopes, consent: g.consent_type }),
      personId: g.person_id, subjectEmail: b.person?.email ?? g.user_email, appId: g.app_id, accountId: null, grantId: g.id, source: g.source,
      managerEmail: b.person?.managerEmail ?? null, ownerEmail: b.app?.ownerEmail ?? null, snapshot,
    })
  }

  // Use with no account or grant (a card line, sign-ins, browser visits) is access to review too: shadow apps have nothing else.
  for (const [key, srcs] of usageSources) {
    if (withAccessPairs.has(key)) continue
    const [p, a] = key.split(':')
    const personId = Number(p)
    const appId = Number(a)
    if (!inAppScope(appId) || !inPersonScope(personId) || !personById.has(personId)) continue
    const b = base(personId, appId, [...srcs])
    withAccessPairs.add(key)
    out.push({
      kind: 'observed', accessKey: `observed:${personId}:${appId}`, fingerprint: hash({ app: appId, sources: b.sources }),
      personId, subjectEmail: b.person?.email ?? null, appId, accountId: null, grantId: null, source: null,
      managerEmail: b.person?.managerEmail ?? null, ownerEmail: b.app?.ownerEmail ?? null,
      snapshot: { kind: 'observed', ...b, account: null, grant: null, findings: findingsFor(`person:${personId}`, `app:${appId}`), peers: null, target: null },
    })
  }

  // Risk conditions: risky grants OR inactive for more than N days.
  let selected = out
  if (scope.riskyGrants || scope.inactiveDays) {
    const cutoff = scope.inactiveDays ? new Date(nowMs - scope.inactiveDays * DAY_MS).toISOString() : null
    selected = out.filter(
      (i) =>
        (scope.riskyGrants && i.kind === 'grant' && RISKY_LEVELS.has(i.snapshot.grant?.risk ?? '')) ||
        (cutoff != null && (i.snapshot.lastActivityAt == null || i.snapshot.lastActivityAt < cutoff)),
    )
  }

  // Peers: people of the same department, and how many of them have access to the same app.
  const deptSize = new Map<string, number>()
  for (const p of people) if (p.department && p.status !== 'terminated') deptSize.set(p.department, (deptSize.get(p.department) ?? 0) + 1)
  const deptApp = new Map<string, Set<number>>()
  for (const key of withAccessPairs) {
    const [p, a] = key.split(':')
    const person = personById.get(Number(p))
    if (!person?.department || a === '-') continue
    const k = `${person.department}\u0000${a}`
    const set = deptApp.get(k) ?? new Set<number>()
    set.add(person.id)
    deptApp.set(k, set)
  }
  for (const i of selected) {
    const dept = i.snapshot.person?.department
    if (!dept || i.appId == null) continue
    const total = deptSize.get(dept) ?? 0
    const withAccess = deptApp.get(`${dept}\u0000${i.appId}`)?.size ?? 0
    i.snapshot.peers = { department: dept, withAccess, total }
  }
  return selected
}

/** One line saying whose access to what, for mails, the CLI and audit payloads. */
export function describeAccess(s: ItemSnapshot): string {
  const who = s.person?.email ?? s.account?.email ?? s.account?.username ?? 'unknown person'
  const what = s.app?.name ?? s.grant?.clientName ?? s.grant?.clientId ?? 'unknown app'
  if (s.kind === 'grant') return `${who}: OAuth grant to ${what}`
  if (s.kind === 'observed') return `${who}: uses ${what} (${s.sources.join(', ')})`
  const ents = s.account?.entitlements.map((e) => e.name).join(', ')
  return `${who}: account in ${what}${ents ? ` (${ents})` : ''}`
}

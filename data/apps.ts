// The one writer of `apps` (and of the company's catalog entries): list, create on demand, set status and owner,
// add a custom app, map an identifier. Every change a person makes is audited in the same transaction.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import { CATEGORIES, loadCatalog } from './catalog/index.js'
import { catalogEntrySchema } from './catalog/schema.js'
import { validateCatalog } from './catalog/validate-catalog.js'
import { findEntry, loadAllEntries, loadCustomEntries, saveCustomEntry } from './custom-catalog.js'
import type { Database } from './database.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'
import { applyIdentifierMapping, type MappedApp, type MapIdentifierResult, type Normalizer } from './identifiers.js'
import type { AppStatus, IdentifierKind } from './tables/apps.table.js'

type Db = Kysely<Database> | Transaction<Database>

export const APP_STATUSES: readonly AppStatus[] = ['sanctioned', 'unsanctioned', 'blocked', 'unknown']
export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['merchant', 'domain', 'oauth_client', 'sso_app', 'name']
export const APP_SORT_KEYS = ['name', 'status', 'category', 'spend', 'users', 'lastUsed', 'firstSeen'] as const
export type AppSortKey = (typeof APP_SORT_KEYS)[number]

/** Largest page `listApps` returns; a front end pages past it. */
export const MAX_PAGE_SIZE = 500

const nowIso = (): string => new Date().toISOString()

/** Throws InvalidInputError unless `value` is one of APP_STATUSES. */
export function parseAppStatus(value: string): AppStatus {
  if (!APP_STATUSES.includes(value as AppStatus)) throw new InvalidInputError(`status ${value}: expected one of ${APP_STATUSES.join(', ')}`)
  return value as AppStatus
}

/** Throws InvalidInputError unless `value` is an identifier kind. */
export function parseIdentifierKind(value: string): IdentifierKind {
  if (!IDENTIFIER_KINDS.includes(value as IdentifierKind)) throw new InvalidInputError(`identifier kind ${value}: expected one of ${IDENTIFIER_KINDS.join(', ')}`)
  return value as IdentifierKind
}

// ── creating app rows on demand (collectors, the analyzer, admins) ──────────────────────────────────────────

/**
 * The `apps` row of a catalog (shipped or custom) entry, created with status `unknown` when missing. Safe when
 * two imports create the same app at once: the insert does nothing on a key clash and the row is read back.
 * Discovery is not audited here: the run that saw the app is its provenance (`first_seen_at`, scan_runs).
 */
export async function ensureCatalogApp(db: Db, app: MappedApp, at: string): Promise<number> {
  const existing = await db.selectFrom('apps').select('id').where('catalog_key', '=', app.catalogKey).executeTakeFirst()
  if (existing) return existing.id
  await db
    .insertInto('apps')
    .values({
      catalog_key: app.catalogKey, candidate_key: null, name: app.name.slice(0, 200), vendor: app.vendor,
      category: app.category, status: 'unknown', first_seen_at: at, updated_at: at,
    })
    .onConflict((oc) => oc.column('catalog_key').doNothing())
    .execute()
  const row = await db.selectFrom('apps').select('id').where('catalog_key', '=', app.catalogKey).executeTakeFirstOrThrow()
  return row.id
}

/**
 * The `apps` row of an unknown vendor (candidate key), created with status `unknown` when missing; race-free like
 * ensureCatalogApp. `created` says whether this call made it; `notes` records why it was made.
 */
export async function ensureCandidateApp(
  db: Db,
  app: { candidateKey: string; name: string; category: string | null; notes?: string | null },
  at: string,
): Promise<{ id: number; created: boolean }> {
  const existing = await db.selectFrom('apps').select('id').where('candidate_key', '=', app.candidateKey).executeTakeFirst()
  if (existing) return { id: existing.id, created: false }
  const inserted = await db
    .insertInto('apps')
    .values({ catalog_key: null, candidate_key: app.candidateKey, name: app.name.slice(0, 200), category: app.category, notes: app.notes ?? null, status: 'unknown', first_seen_at: at, updated_at: at })
    .onConflict((oc) => oc.column('candidate_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) return { id: inserted.id, created: true }
  const row = await db.selectFrom('apps').select('id').where('candidate_key', '=', app.candidateKey).executeTakeFirstOrThrow()
  return { id: row.id, created: false }
}

/**
 * An app integrated with an identity provider and active there was set up by IT: `unknown` becomes `sanctioned`.
 * An admin's explicit verdict (blocked, unsanctioned, sanctioned) is never changed. Returns whether it changed;
 * provenance is the scan run that saw the integration, not an audit event.
 */
export async function sanctionIntegratedApp(db: Db, appId: number, at: string): Promise<boolean> {
  const r = await db.updateTable('apps').set({ status: 'sanctioned', updated_at: at }).where('id', '=', appId).where('status', '=', 'unknown').executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

// ── listing ──────────────────────────────────────────────────────────────────────────────────────────────

export interface AppListQuery {
  statuses?: readonly AppStatus[]
  categories?: readonly string[]
  /** Catalog functions (what job the app does, e.g. `video-meetings`); candidate apps have none. */
  functions?: readonly string[]
  /** Sources that saw the app: a collector id (`okta`, `entra`, `google` …), `spend` or `browser-extension`. */
  sources?: readonly string[]
  /** Case-insensitive substring of the name, vendor or key. */
  search?: string
  sort?: AppSortKey
  direction?: 'asc' | 'desc'
  /** 1..MAX_PAGE_SIZE, default 100. */
  limit?: number
  offset?: number
}

export interface AppListRow {
  id: number
  /** Catalog key, else candidate key. */
  key: string
  name: string
  vendor: string | null
  category: string | null
  /** The catalog function, null for candidates and entries without one. */
  function: string | null
  status: AppStatus
  owner: string | null
  identifiers: number
  /** Distinct people with a live account, an unrevoked grant or a sign-in on the app. */
  users: number
  /** Net spend per currency over every stored card line (currencies are never added together). */
  spend: { currency: string; totalMinor: number }[]
  /** Latest sign-in or browser activity (UTC ISO text), null when never seen used. */
  lastUsedAt: string | null
  firstSeenAt: string
  sources: string[]
}

export interface AppListPage {
  rows: AppListRow[]
  /** Rows matching the filters, before paging. */
  total: number
  limit: number
  offset: number
}

function pageBounds(limit: number | undefined, offset: number | undefined): { limit: number; offset: number } {
  const l = limit ?? 100
  const o = offset ?? 0
  if (!Number.isInteger(l) || l < 1 || l > MAX_PAGE_SIZE) throw new InvalidInputError(`limit ${l}: expected a whole number from 1 to ${MAX_PAGE_SIZE}`)
  if (!Number.isInteger(o) || o < 0) throw new InvalidInputError(`offset ${o}: expected a whole number ≥ 0`)
  return { limit: l, offset: o }
}

/** `%` and `_` typed by a person are literal, not wildcards. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * One page of apps with their usage figures, filtered, sorted and paged in SQL. Sorting by `spend` uses each
 * app's largest single-currency net total; ties fall back to name and id, so pages are stable.
 * Throws InvalidInputError for an unknown status, sort key or page bound.
 */
export async function listApps(db: Db, query: AppListQuery = {}): Promise<AppListPage> {
  const { limit, offset } = pageBounds(query.limit, query.offset)
  const sort = query.sort ?? 'name'
  if (!APP_SORT_KEYS.includes(sort)) throw new InvalidInputError(`sort ${sort}: expected one of ${APP_SORT_KEYS.join(', ')}`)
  const direction = query.direction ?? (sort === 'name' || sort === 'status' || sort === 'category' ? 'asc' : 'desc')
  if (direction !== 'asc' && direction !== 'desc') throw new InvalidInputError(`direction ${String(direction)}: expected asc or desc`)
  for (const s of query.statuses ?? []) parseAppStatus(s)

  const entries = await loadAllEntries(db)
  const functionOf = new Map(entries.map((e) => [e.entry.key, e.entry.function ?? null]))
  const where: RawBuilder<unknown>[] = []
  if (query.statuses?.length) where.push(sql`a.status in (${sql.join([...query.statuses])})`)
  if (query.categories?.length) where.push(sql`a.category in (${sql.join([...query.categories])})`)
  if (query.functions?.length) {
    const wanted = new Set(query.functions)
    const keys = [...functionOf.entries()].filter(([, fn]) => fn !== null && wanted.has(fn)).map(([k]) => k)
    where.push(keys.length > 0 ? sql`a.catalog_key in (${sql.join(keys)})` : sql`1 = 0`)
  }
  if (query.sources?.length) {
    const ors = query.sources.map((source) => {
      if (source === 'spend') return sql`exists (select 1 from spend_transactions s where s.app_id = a.id)`
      if (source === 'browser-extension') return sql`exists (select 1 from telemetry_events t where t.app_id = a.id)`
      return sql`(exists (select 1 from source_apps x where x.app_id = a.id and x.source = ${source})
        or exists (select 1 from accounts x where x.app_id = a.id and x.source = ${source})
        or exists (select 1 from grants x where x.app_id = a.id and x.source = ${source}))`
    })
    where.push(sql`(${sql.join(ors, sql` or `)})`)
  }
  const search = query.search?.trim()
  if (search) {
    const p = likePattern(search)
    where.push(sql`(lower(a.name) like ${p} escape '\\' or lower(coalesce(a.vendor, '')) like ${p} escape '\\' or lower(coalesce(a.catalog_key, a.candidate_key, '')) like ${p} escape '\\')`)
  }
  const filter = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``
  const dir = direction === 'asc' ? sql`asc` : sql`desc`
  const order = {
    name: sql`lower(a.name) ${dir}`,
    status: sql`a.status ${dir}, lower(a.name) asc`,
    category: sql`coalesce(a.category, '') ${dir}, lower(a.name) asc`,
    spend: sql`coalesce(spend.top, 0) ${dir}`,
    users: sql`coalesce(people.n, 0) ${dir}`,
    // never-used apps go last either way
    lastUsed: sql`case when used.last_at is null then 1 else 0 end asc, used.last_at ${dir}`,
    firstSeen: sql`a.first_seen_at ${dir}`,
  }[sort]

  const result = await sql<{
    id: number; catalog_key: string | null; candidate_key: string | null; name: string; vendor: string | null; category: string | null
    status: AppStatus; owner_email: string | null; first_seen_at: string; identifiers: number; users: number; last_at: string | null; total: number
  }>`
    with spend as (
      select app_id, max(total) as top from (
        select app_id, currency, sum(amount_minor) as total from spend_transactions where app_id is not null group by app_id, currency
      ) s group by app_id
    ),
    people as (
      select app_id, count(distinct person_id) as n from (
        select app_id, person_id from accounts where gone_at is null and person_id is not null
        union select app_id, person_id from grants where revoked_at is null and person_id is not null and app_id is not null
        union select app_id, person_id from signin_daily where app_id is not null and person_id is not null
      ) u group by app_id
    ),
    used as (
      select app_id, max(at) as last_at from (
        select app_id, max(last_at) as at from signin_daily where app_id is not null group by app_id
        union all select app_id, max(occurred_at) from telemetry_events where app_id is not null group by app_id
      ) x group by app_id
    ),
    ids as (select app_id, count(*) as n from identifiers where app_id is not null group by app_id)
    select a.id, a.catalog_key, a.candidate_key, a.name, a.vendor, a.category, a.status, a.owner_email, a.first_seen_at,
           coalesce(ids.n, 0) as identifiers, coalesce(people.n, 0) as users, used.last_at, count(*) over () as total
    from apps a
    left join spend on spend.app_id = a.id
    left join people on people.app_id = a.id
    left join used on used.app_id = a.id
    left join ids on ids.app_id = a.id
    ${filter}
    order by ${order}, lower(a.name) asc, a.id asc
    limit ${limit} offset ${offset}
  `.execute(db)

  const ids = result.rows.map((r) => Number(r.id))
  const spendByApp = new Map<number, { currency: string; totalMinor: number }[]>()
  const sourcesByApp = new Map<number, Set<string>>()
  if (ids.length > 0) {
    const spend = await db
      .selectFrom('spend_transactions')
      .select(['app_id', 'currency', (eb) => eb.fn.sum<number>('amount_minor').as('total')])
      .where('app_id', 'in', ids)
      .groupBy(['app_id', 'currency'])
      .orderBy('app_id')
      .orderBy('currency')
      .execute()
    for (const s of spend) {
      const list = spendByApp.get(Number(s.app_id)) ?? []
      list.push({ currency: s.currency, totalMinor: Number(s.total) })
      spendByApp.set(Number(s.app_id), list)
    }
    const seen = await sql<{ app_id: number; source: string }>`
      select distinct app_id, source from source_apps where app_id in (${sql.join(ids)})
      union select distinct app_id, source from accounts where app_id in (${sql.join(ids)})
      union select distinct app_id, source from grants where app_id in (${sql.join(ids)})
      union select distinct app_id, 'spend' from spend_transactions where app_id in (${sql.join(ids)})
      union select distinct app_id, 'browser-extension' from telemetry_events where app_id in (${sql.join(ids)})
    `.execute(db)
    for (const s of seen.rows) {
      const set = sourcesByApp.get(Number(s.app_id)) ?? new Set<string>()
      set.add(s.source)
      sourcesByApp.set(Number(s.app_id), set)
    }
  }
  return {
    rows: result.rows.map((r) => {
      const id = Number(r.id)
      return {
        id,
        key: r.catalog_key ?? r.candidate_key ?? String(id),
        name: r.name,
        vendor: r.vendor,
        category: r.category,
        function: r.catalog_key ? functionOf.get(r.catalog_key) ?? null : null,
        status: r.status,
        owner: r.owner_email,
        identifiers: Number(r.identifiers),
        users: Number(r.users),
        spend: spendByApp.get(id) ?? [],
        lastUsedAt: r.last_at === null ? null : String(r.last_at),
        firstSeenAt: r.first_seen_at,
        sources: [...(sourcesByApp.get(id) ?? [])].sort(),
      }
    }),
    total: result.rows.length > 0 ? Number(result.rows[0]!.total) : 0,
    limit,
    offset,
  }
}

// ── changes people make ──────────────────────────────────────────────────────────────────────────────────

/** An app by its row id, or by catalog or candidate key (a catalog entry not yet in the inventory gets its row). */
export type AppRef = { id: number } | { key: string }

async function resolveAppRef(db: Db, ref: AppRef, at: string): Promise<number> {
  if ('id' in ref) {
    const row = await db.selectFrom('apps').select('id').where('id', '=', ref.id).executeTakeFirst()
    if (!row) throw new NotFoundError(`app ${ref.id}: no such app`)
    return row.id
  }
  const row = await db
    .selectFrom('apps')
    .select('id')
    .where((eb) => eb.or([eb('catalog_key', '=', ref.key), eb('candidate_key', '=', ref.key)]))
    .orderBy('catalog_key')
    .executeTakeFirst()
  if (row) return row.id
  const found = await findEntry(db, ref.key)
  if (!found) throw new NotFoundError(`app ${ref.key}: no app in the inventory or the catalog has this key`)
  return ensureCatalogApp(db, { catalogKey: found.entry.key, name: found.entry.name, vendor: found.entry.vendor, category: found.entry.category }, at)
}

function parseOwner(owner: string | null): string | null {
  if (owner === null) return null
  const email = owner.trim().toLowerCase()
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new InvalidInputError(`owner ${owner}: expected an email address`)
  return email
}

export interface SetAppStatusInput {
  app: AppRef
  status: string
  /** A new owner's email, or null to clear it; left as is when undefined. */
  owner?: string | null
  actor: Actor
  at?: string
}

/**
 * Sets an app's status (and optionally its owner) and appends `app.status.set` to the audit trail in the same
 * transaction. Throws InvalidInputError (status, owner) or NotFoundError (no such app or catalog key).
 */
export async function setAppStatus(db: Kysely<Database>, input: SetAppStatusInput): Promise<{ id: number; status: AppStatus; owner: string | null }> {
  const status = parseAppStatus(input.status)
  const owner = input.owner === undefined ? undefined : parseOwner(input.owner)
  const at = input.at ?? nowIso()
  return db.transaction().execute(async (trx) => {
    const id = await resolveAppRef(trx, input.app, at)
    const before = await trx.selectFrom('apps').select(['status', 'owner_email']).where('id', '=', id).executeTakeFirstOrThrow()
    await trx
      .updateTable('apps')
      .set({ status, updated_at: at, ...(owner !== undefined ? { owner_email: owner } : {}) })
      .where('id', '=', id)
      .execute()
    const after = { status, owner: owner === undefined ? before.owner_email : owner }
    await appendAuditEvent(trx, {
      actor: input.actor, action: 'app.status.set', subjectType: 'app', subjectId: id, occurredAt: at,
      payload: { from: { status: before.status, owner: before.owner_email }, to: after },
    })
    return { id, ...after }
  })
}

/** Sets or clears (null) an app's owner and audits `app.owner.set`. Throws InvalidInputError or NotFoundError. */
export async function setAppOwner(db: Kysely<Database>, input: { app: AppRef; owner: string | null; actor: Actor; at?: string }): Promise<{ id: number; owner: string | null }> {
  const owner = parseOwner(input.owner)
  const at = input.at ?? nowIso()
  return db.transaction().execute(async (trx) => {
    const id = await resolveAppRef(trx, input.app, at)
    const before = await trx.selectFrom('apps').select('owner_email').where('id', '=', id).executeTakeFirstOrThrow()
    await trx.updateTable('apps').set({ owner_email: owner, updated_at: at }).where('id', '=', id).execute()
    await appendAuditEvent(trx, { actor: input.actor, action: 'app.owner.set', subjectType: 'app', subjectId: id, occurredAt: at, payload: { from: before.owner_email, to: owner } })
    return { id, owner }
  })
}

export interface AddAppInput {
  key: string
  name: string
  category: string
  vendor?: string
  domains?: readonly string[]
  merchants?: readonly string[]
  /** Overwrite an existing custom entry with this key. */
  replace?: boolean
  actor: Actor
  at?: string
}

/**
 * Validates and stores a company catalog entry, so signals resolve to it from the next resolver load; audits
 * `catalog.custom.created` or `.replaced`. Throws InvalidInputError (bad field, clash with another entry's
 * domain or pattern, a shipped key) or ConflictError (the key exists and `replace` is not set).
 */
export async function addCustomApp(db: Kysely<Database>, input: AddAppInput): Promise<'created' | 'replaced'> {
  if (!(CATEGORIES as readonly string[]).includes(input.category)) {
    throw new InvalidInputError(`category ${input.category}: expected one of ${CATEGORIES.join(', ')}`)
  }
  const parsed = catalogEntrySchema.safeParse({
    key: input.key.trim(),
    name: input.name.trim(),
    vendor: (input.vendor ?? input.name).trim(),
    category: input.category,
    domains: (input.domains ?? []).map((d) => d.trim().toLowerCase()),
    merchantPatterns: (input.merchants ?? []).map((m) => m.trim().toUpperCase()),
  })
  if (!parsed.success) {
    throw new InvalidInputError(`custom app: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ')}`)
  }
  const entry = parsed.data
  if (loadCatalog().byKey(entry.key)) throw new InvalidInputError(`custom app: ${entry.key} is a shipped catalog entry; pick another key`)
  const at = input.at ?? nowIso()
  return db.transaction().execute(async (trx) => {
    const stored = await loadCustomEntries(trx)
    const others = stored.filter((e) => (e as { key?: unknown }).key !== entry.key)
    if (!input.replace && others.length !== stored.length) throw new ConflictError(`custom app: ${entry.key} exists; replace it explicitly`)
    const problems = validateCatalog([...loadCatalog().entries, ...others, entry]).filter((p) => p.entry.split(', ').includes(entry.key))
    if (problems.length > 0) throw new InvalidInputError(`custom app: ${problems.map((p) => p.message).join('; ')}`)
    const outcome = await saveCustomEntry(trx, { key: entry.key, entry, by: input.actor, at, replace: Boolean(input.replace) })
    await appendAuditEvent(trx, { actor: input.actor, action: `catalog.custom.${outcome}`, subjectType: 'catalog_entry', subjectId: entry.key, occurredAt: at, payload: { entry } })
    return outcome
  })
}

export interface MapIdentifierInput {
  kind: IdentifierKind
  /** Already normalised, exactly as collectors store it. */
  value: string
  /** What the admin typed; kept as the example when the identifier is new. */
  exampleRaw: string
  /** null = "this is not an app": every record from the identifier is detached. */
  app: MappedApp | null
  normalize: Normalizer
  actor: Actor
  at: string
}

/**
 * Confirms or overrides what an identifier means, applies it to everything already stored from it, and audits
 * `identifier.map`, in one transaction: either every record moves and the event is written, or nothing is.
 */
export async function mapIdentifier(db: Kysely<Database>, input: MapIdentifierInput): Promise<MapIdentifierResult> {
  return db.transaction().execute(async (trx) => {
    const appId = input.app ? await ensureCatalogApp(trx, input.app, input.at) : null
    const result = await applyIdentifierMapping(trx, { ...input, appId, confirmedBy: input.actor })
    await appendAuditEvent(trx, {
      actor: input.actor, action: 'identifier.map', subjectType: 'identifier', subjectId: result.identifierId, occurredAt: input.at,
      payload: { kind: input.kind, value: input.value, app: input.app?.catalogKey ?? null, previousAppId: result.previousAppId, appId, moved: result.moved },
    })
    return result
  })
}

/**
 * The admin's "this identifier is that app": `appKey` is a shipped or custom catalog key, or null for "not an
 * app". `normalize` is the resolver's rule for the kind (analyzer/resolve `normalizerFor`), so the stored value
 * matches what collectors store. Throws InvalidInputError (nothing left after normalising) or NotFoundError
 * (no catalog entry with that key).
 */
export async function mapIdentifierToApp(
  db: Kysely<Database>,
  input: { kind: IdentifierKind; raw: string; appKey: string | null; normalize: Normalizer; actor: Actor; at?: string },
): Promise<MapIdentifierResult & { kind: IdentifierKind; value: string }> {
  const kind = parseIdentifierKind(input.kind)
  let app: MappedApp | null = null
  if (input.appKey !== null) {
    const found = await findEntry(db, input.appKey)
    if (!found) throw new NotFoundError(`app ${input.appKey}: no catalog entry has this key (add a custom app first, or map to none)`)
    app = { catalogKey: found.entry.key, name: found.entry.name, vendor: found.entry.vendor, category: found.entry.category }
  }
  const value = input.normalize(input.raw)
  if (value === '') throw new InvalidInputError(`identifier ${kind}:${input.raw}: nothing is left of the value after normalisation`)
  const result = await mapIdentifier(db, { kind, value, exampleRaw: input.raw, app, normalize: input.normalize, actor: input.actor, at: input.at ?? nowIso() })
  return { ...result, kind, value }
}

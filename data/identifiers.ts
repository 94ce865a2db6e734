import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import type { Database } from './database.js'
import { attributeCardLines, linkCardLinesToIdentifier } from './spend-attribution.js'
import type { Identifier, IdentifierKind } from './tables/apps.table.js'

/** Turns a raw source value into the identifier's normalised value; the caller owns the rules (analyzer/resolve). */
export type Normalizer = (raw: string) => string

/** The catalog app an identifier is mapped to; its `apps` row is created when missing. */
export interface MappedApp {
  catalogKey: string
  name: string
  vendor: string | null
  category: string | null
}

/** What applyIdentifierMapping needs: the identifier, the verdict (an app row id, or null = "not an app"), and who decided. */
export interface ApplyMappingInput {
  kind: IdentifierKind
  /** Already normalised, exactly as collectors store it. */
  value: string
  /** What the admin typed; kept as the example when the identifier is new. */
  exampleRaw: string
  appId: number | null
  normalize: Normalizer
  confirmedBy: string
  at: string
}

export interface MovedCounts {
  spend: number
  grants: number
  sourceApps: number
  telemetry: number
  signinEvents: number
  signinDaily: number
}

export interface MapIdentifierResult {
  identifierId: number
  created: boolean
  previousAppId: number | null
  appId: number | null
  moved: MovedCounts
}

/** Values per `in (…)` list: far under SQLite's parameter limit, and small enough for PostgreSQL plans. */
const CHUNK = 500

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK))
  return out
}

/** The distinct raw values that normalise to `value`; normalising in JS keeps one rule set for collectors and admins. */
export function rawValuesMatching(raws: Iterable<string | null>, value: string, normalize: Normalizer): string[] {
  const out = new Set<string>()
  for (const raw of raws) if (raw !== null && raw !== '' && normalize(raw) === value) out.add(raw)
  return [...out]
}

export async function findIdentifier(db: Kysely<Database>, kind: IdentifierKind, value: string): Promise<Identifier | undefined> {
  return db.selectFrom('identifiers').selectAll().where('kind', '=', kind).where('value', '=', value).executeTakeFirst()
}

/** Writes the admin's verdict on the identifier (confirmed = 1 wins over the resolver from now on). */
export async function confirmIdentifier(
  db: Kysely<Database>,
  input: { kind: IdentifierKind; value: string; exampleRaw: string; appId: number | null; confirmedBy: string; at: string },
): Promise<{ id: number; created: boolean; previousAppId: number | null }> {
  const verdict = {
    app_id: input.appId, candidate_key: null, rule: 'override', confidence: 1, confirmed: 1,
    confirmed_by: input.confirmedBy, confirmed_at: input.at,
  }
  const existing = await findIdentifier(db, input.kind, input.value)
  if (existing) {
    await db.updateTable('identifiers').set(verdict).where('id', '=', existing.id).execute()
    return { id: existing.id, created: false, previousAppId: existing.app_id }
  }
  const row = await db
    .insertInto('identifiers')
    .values({
      kind: input.kind, value: input.value, example_raw: input.exampleRaw.slice(0, 500), ...verdict,
      first_seen_at: input.at, last_seen_at: input.at, seen_count: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, created: true, previousAppId: null }
}

/**
 * Card lines of the identifier, plus lines without one whose descriptor normalises to it (linked to it first),
 * get their app from data/spend-attribution.ts. Returns how many lines changed app or rule.
 */
export async function repointSpend(db: Kysely<Database>, identifierId: number, value: string, normalize: Normalizer): Promise<number> {
  const loose = await db.selectFrom('spend_transactions').select('merchant_raw').distinct().where('identifier_id', 'is', null).execute()
  await linkCardLinesToIdentifier(db, identifierId, rawValuesMatching(loose.map((l) => l.merchant_raw), value, normalize))
  return attributeCardLines(db, { identifierIds: [identifierId] })
}

/** OAuth grants whose client id or client name normalises to the value. */
export async function repointGrants(db: Kysely<Database>, value: string, normalize: Normalizer, appId: number | null): Promise<number> {
  const ids = await db.selectFrom('grants').select('client_id').distinct().execute()
  const names = await db.selectFrom('grants').select('client_name').distinct().where('client_name', 'is not', null).execute()
  const matchIds = rawValuesMatching(ids.map((g) => g.client_id), value, normalize)
  const matchNames = rawValuesMatching(names.map((g) => g.client_name), value, normalize)
  let moved = 0
  for (const [column, raws] of [['client_id', matchIds], ['client_name', matchNames]] as const) {
    for (const part of chunks(raws)) {
      // a grant matched by both columns is updated twice to the same app; count it once
      const r = await db
        .updateTable('grants')
        .set({ app_id: appId })
        .where(column, 'in', part)
        .where((eb) => (appId === null ? eb('app_id', 'is not', null) : eb.or([eb('app_id', 'is', null), eb('app_id', '!=', appId)])))
        .executeTakeFirst()
      moved += Number(r.numUpdatedRows)
    }
  }
  return moved
}

export interface SourceAppRef {
  source: string
  externalId: string
}

/**
 * Identity-provider apps: by label for an SSO app name, by external id for an OAuth client (Entra keys
 * enterprise apps by their application id). Returns every matching app, moved or already in place.
 */
export async function repointSourceApps(
  db: Kysely<Database>,
  kind: IdentifierKind,
  value: string,
  normalize: Normalizer,
  appId: number | null,
): Promise<{ moved: number; refs: SourceAppRef[] }> {
  const column = kind === 'oauth_client' ? 'external_id' : kind === 'sso_app' || kind === 'name' ? 'label' : null
  if (column === null) return { moved: 0, refs: [] }
  const all = await db.selectFrom('source_apps').select(['id', 'source', 'external_id', 'label', 'app_id']).execute()
  const hits = all.filter((a) => {
    const raw = a[column]
    return raw !== '' && normalize(raw) === value
  })
  let moved = 0
  for (const part of chunks(hits.filter((h) => h.app_id !== appId).map((h) => h.id))) {
    const r = await db.updateTable('source_apps').set({ app_id: appId }).where('id', 'in', part).executeTakeFirst()
    moved += Number(r.numUpdatedRows)
  }
  return { moved, refs: hits.map((h) => ({ source: h.source, externalId: h.external_id })) }
}

/** Browser telemetry events whose domain normalises to the value. */
export async function repointTelemetry(db: Kysely<Database>, value: string, normalize: Normalizer, appId: number | null): Promise<number> {
  const domains = await db.selectFrom('telemetry_events').select('domain').distinct().execute()
  let moved = 0
  for (const part of chunks(rawValuesMatching(domains.map((d) => d.domain), value, normalize))) {
    const r = await db.updateTable('telemetry_events').set({ app_id: appId }).where('domain', 'in', part).executeTakeFirst()
    moved += Number(r.numUpdatedRows)
  }
  return moved
}

/**
 * Sign-in events whose app reference is the value (a label) or one of the matched source apps, and the daily
 * rollup rows those events were counted in. The rollup is moved first, while events still show their old app.
 */
export async function repointSignins(
  db: Kysely<Database>,
  value: string,
  normalize: Normalizer,
  sourceApps: readonly SourceAppRef[],
  appId: number | null,
): Promise<{ events: number; daily: number }> {
  const refs = await db.selectFrom('signin_events').select('app_ref').distinct().where('app_ref', 'is not', null).execute()
  const labels = rawValuesMatching(refs.map((r) => r.app_ref), value, normalize)
  const groups: { labels: string[]; apps: SourceAppRef[] }[] = [
    ...chunks(labels).map((part) => ({ labels: part, apps: [] })),
    ...chunks(sourceApps).map((part) => ({ labels: [], apps: part })),
  ]
  let events = 0
  let daily = 0
  for (const group of groups) {
    const fromIdentifier = (eb: ExpressionBuilder<Database, 'signin_events'>): Expression<SqlBool> =>
      eb.or([
        ...(group.labels.length > 0 ? [eb('signin_events.app_ref', 'in', group.labels)] : []),
        ...group.apps.map((a) => eb.and([eb('signin_events.source', '=', a.source), eb('signin_events.app_ref', '=', a.externalId)])),
      ])
    const d = await db
      .updateTable('signin_daily')
      .set({ app_id: appId })
      .where((eb) =>
        eb.or([
          // rows rolled up before the events had an app are keyed by the reference itself
          ...(group.labels.length > 0 ? [eb.and([eb('signin_daily.app_id', 'is', null), eb('signin_daily.app_key', 'in', group.labels)])] : []),
          ...group.apps.map((a) => eb.and([eb('signin_daily.app_id', 'is', null), eb('signin_daily.source', '=', a.source), eb('signin_daily.app_key', '=', a.externalId)])),
          eb.exists(
            eb
              .selectFrom('signin_events')
              .select(sql<number>`1`.as('one'))
              .whereRef('signin_events.source', '=', 'signin_daily.source')
              .where(sql<SqlBool>`substr(signin_events.occurred_at, 1, 10) = signin_daily.day`)
              .where(sql<SqlBool>`coalesce(cast(signin_events.person_id as text), signin_events.user_email, signin_events.user_external_id, '?') = signin_daily.user_key`)
              .where((e) => e.or([e('signin_events.app_id', '=', e.ref('signin_daily.app_id')), e.and([e('signin_events.app_id', 'is', null), e('signin_daily.app_id', 'is', null)])]))
              // same predicate, qualified columns only, so the narrower builder type is safe here
              .where((e) => fromIdentifier(e as unknown as ExpressionBuilder<Database, 'signin_events'>)),
          ),
        ]),
      )
      .where((eb) => (appId === null ? eb('signin_daily.app_id', 'is not', null) : eb.or([eb('signin_daily.app_id', 'is', null), eb('signin_daily.app_id', '!=', appId)])))
      .executeTakeFirst()
    daily += Number(d.numUpdatedRows)
    const e = await db
      .updateTable('signin_events')
      .set({ app_id: appId })
      .where((eb) => fromIdentifier(eb))
      .where((eb) => (appId === null ? eb('app_id', 'is not', null) : eb.or([eb('app_id', 'is', null), eb('app_id', '!=', appId)])))
      .executeTakeFirst()
    events += Number(e.numUpdatedRows)
  }
  return { events, daily }
}

/**
 * Writes the admin's verdict on an identifier and re-points everything already stored from it. Runs inside the
 * caller's transaction (data/apps.ts `mapIdentifier` opens it, creates the app row and audits).
 */
export async function applyIdentifierMapping(trx: Kysely<Database>, input: ApplyMappingInput): Promise<MapIdentifierResult> {
  const { appId } = input
  const identifier = await confirmIdentifier(trx, input)
  const { kind, value, normalize } = input
  const moved: MovedCounts = { spend: 0, grants: 0, sourceApps: 0, telemetry: 0, signinEvents: 0, signinDaily: 0 }
  if (kind === 'merchant') moved.spend = await repointSpend(trx, identifier.id, value, normalize)
  if (kind === 'oauth_client') moved.grants = await repointGrants(trx, value, normalize, appId)
  if (kind === 'domain') moved.telemetry = await repointTelemetry(trx, value, normalize, appId)
  if (kind === 'oauth_client' || kind === 'sso_app' || kind === 'name') {
    const sourceApps = await repointSourceApps(trx, kind, value, normalize, appId)
    moved.sourceApps = sourceApps.moved
    const signins = await repointSignins(trx, value, normalize, sourceApps.refs, appId)
    moved.signinEvents = signins.events
    moved.signinDaily = signins.daily
  }
  return { identifierId: identifier.id, created: identifier.created, previousAppId: identifier.previousAppId, appId, moved }
}

/** Admin-confirmed identifiers with the catalog key they point at (null = "not an app"): the resolver's overrides. */
export async function confirmedIdentifiers(db: Kysely<Database>): Promise<{ kind: IdentifierKind; value: string; catalogKey: string | null }[]> {
  const rows = await db
    .selectFrom('identifiers')
    .leftJoin('apps', 'apps.id', 'identifiers.app_id')
    .select(['identifiers.kind', 'identifiers.value', 'apps.catalog_key'])
    .where('identifiers.confirmed', '=', 1)
    .execute()
  return rows.map((r) => ({ kind: r.kind, value: r.value, catalogKey: r.catalog_key ?? null }))
}

// ── what collectors and the analyzer write about identifiers ───────────────────────────────────────────────

/** An identifier as the resolver saw it (never an admin's verdict: that is confirmIdentifier). */
export interface ResolvedIdentifier {
  kind: IdentifierKind
  value: string
  exampleRaw: string
  appId: number | null
  candidateKey: string | null
  rule: string
  confidence: number
  at: string
}

export interface StoredIdentifier {
  id: number
  appId: number | null
  rule: string
  confidence: number
  confirmed: boolean
}

/**
 * Records a resolved identifier, or returns the row already stored for (kind, value). Race-free: when another
 * import inserts the same identifier first, the insert does nothing and the stored row is read back (on
 * PostgreSQL the insert waits for the other transaction to commit). An unconfirmed row whose resolution changed
 * is updated; a confirmed one (an admin's verdict) is never touched.
 */
export async function recordResolvedIdentifier(db: Kysely<Database>, input: ResolvedIdentifier): Promise<StoredIdentifier> {
  const values = { app_id: input.appId, candidate_key: input.candidateKey, rule: input.rule, confidence: input.confidence }
  const read = () =>
    db.selectFrom('identifiers').select(['id', 'app_id', 'rule', 'confidence', 'confirmed']).where('kind', '=', input.kind).where('value', '=', input.value).executeTakeFirst()
  let row = await read()
  if (!row) {
    const inserted = await db
      .insertInto('identifiers')
      .values({ kind: input.kind, value: input.value, example_raw: input.exampleRaw.slice(0, 500), ...values, first_seen_at: input.at, last_seen_at: input.at, seen_count: 0 })
      .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted) return { id: inserted.id, appId: input.appId, rule: input.rule, confidence: input.confidence, confirmed: false }
    row = await read()
    if (!row) throw new Error(`identifiers: ${input.kind} ${input.value}: the insert conflicted but no row is there`)
  }
  if (row.confirmed === 1) return { id: row.id, appId: row.app_id, rule: 'override', confidence: 1, confirmed: true }
  if (row.app_id !== input.appId || row.rule !== input.rule) {
    await db.updateTable('identifiers').set(values).where('id', '=', row.id).where('confirmed', '=', 0).execute()
  }
  return { id: row.id, appId: input.appId, rule: input.rule, confidence: input.confidence, confirmed: false }
}

/** Points unconfirmed identifiers at an app (a candidate app just created for them); confirmed ones keep the admin's verdict. */
export async function pointIdentifiersAtApp(db: Kysely<Database>, where: { id: number } | { candidateKey: string; onlyUnattributed: boolean }, appId: number): Promise<number> {
  let q = db.updateTable('identifiers').set({ app_id: appId }).where('confirmed', '=', 0)
  if ('id' in where) q = q.where('id', '=', where.id)
  else {
    q = q.where('candidate_key', '=', where.candidateKey)
    if (where.onlyUnattributed) q = q.where('app_id', 'is', null)
  }
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Adds sightings to identifiers (`seen_count`; a negative count takes back an over-count) and sets `last_seen_at`. */
export async function addIdentifierSightings(db: Kysely<Database>, counts: ReadonlyMap<number, number> | readonly (readonly [number, number])[], at: string): Promise<void> {
  const entries = [...counts].filter(([, n]) => n !== 0)
  for (let i = 0; i < entries.length; i += 1000) {
    const part = entries.slice(i, i + 1000)
    const byCount = new Map<number, number[]>()
    for (const [id, n] of part) byCount.set(n, [...(byCount.get(n) ?? []), id])
    // Most identifiers in a batch share a small count (1, 2 …): one update per distinct count.
    for (const [n, ids] of byCount) {
      await db
        .updateTable('identifiers')
        .set((eb) => ({ last_seen_at: at, seen_count: eb('seen_count', '+', n) }))
        .where('id', 'in', ids)
        .execute()
    }
  }
}

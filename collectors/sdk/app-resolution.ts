import type { Kysely } from 'kysely'
import { findCandidateApp } from '../../data/candidates.js'
import type { Database } from '../../data/database.js'
import type { IdentifierKind } from '../../data/tables/apps.table.js'
import type { AppSignal } from './records.js'

/** The part of the resolver (analyzer/resolve) the collectors depend on. */
export interface SignalResolution {
  app: { key: string; name: string; category: string } | null
  confidence: number
  rule: string
  explanation: string
  normalized: string
  candidate: { key: string; name: string } | null
}
export interface SignalResolver {
  resolve(signal: { kind: IdentifierKind; value: string }): SignalResolution
}

export interface ResolvedApp {
  appId: number
  identifierId: number
  rule: string
  confidence: number
}

interface IdentifierState {
  id: number
  appId: number | null
  candidateKey: string | null
  candidateName: string | null
  rule: string
  confidence: number
  touched: number
  raw: string
}

const RAW_CACHE_LIMIT = 50_000

/**
 * Turns signals into app ids for one run: resolves each distinct (kind, value) once, records it as an
 * identifier (admin-confirmed identifiers win over the resolver), and creates catalog or candidate apps on demand.
 */
export class AppResolution {
  private readonly identifiers = new Map<string, IdentifierState>()
  /** The same states by the signal as written (kind + raw value): a hit skips running the resolver again. */
  private readonly byRaw = new Map<string, IdentifierState>()
  private readonly apps = new Map<string, number>()

  constructor(
    private readonly resolver: SignalResolver,
    private readonly now: () => string,
  ) {}

  /**
   * The first signal that resolves to a catalogued (or admin-mapped) app wins. If none does and
   * `createCandidate` is set, the first signal's unknown candidate becomes an app of status `unknown`.
   */
  async resolve(db: Kysely<Database>, signals: readonly AppSignal[], createCandidate: boolean): Promise<ResolvedApp | null> {
    let fallback: IdentifierState | null = null
    for (const signal of signals) {
      if (!signal.value || signal.value.trim() === '') continue
      const state = await this.identifier(db, signal)
      state.touched += 1
      if (state.appId !== null) return { appId: state.appId, identifierId: state.id, rule: state.rule, confidence: state.confidence }
      if (!fallback && state.candidateKey && state.rule !== 'override') fallback = state
    }
    if (!createCandidate || !fallback || !fallback.candidateKey) return null
    const appId = await this.ensureApp(db, { candidateKey: fallback.candidateKey, name: fallback.candidateName ?? fallback.raw, category: null })
    fallback.appId = appId
    await db.updateTable('identifiers').set({ app_id: appId }).where('id', '=', fallback.id).where('confirmed', '=', 0).execute()
    return { appId, identifierId: fallback.id, rule: fallback.rule, confidence: fallback.confidence }
  }

  /**
   * resolve() without a query or an await, when every signal it needs was seen before in this run (the common
   * case: an export names the same few hundred apps a million times). Undefined when the store must be asked.
   */
  resolveCached(signals: readonly AppSignal[], createCandidate: boolean): ResolvedApp | null | undefined {
    let found: IdentifierState | null = null
    let fallback: IdentifierState | null = null
    let last = -1
    for (let i = 0; i < signals.length; i++) {
      const signal = signals[i]!
      if (!signal.value || signal.value.trim() === '') continue
      const state = this.byRaw.get(`${signal.kind}\u0000${signal.value}`)
      if (!state) return undefined
      last = i
      if (state.appId !== null) {
        found = state
        break
      }
      if (!fallback && state.candidateKey && state.rule !== 'override') fallback = state
    }
    // A candidate app still to be created needs the store.
    if (!found && createCandidate && fallback?.candidateKey) return undefined
    // Count what resolve() would have counted: each signal looked at, up to the one that answered.
    for (let i = 0; i <= last; i++) {
      const signal = signals[i]!
      if (signal.value && signal.value.trim() !== '') this.byRaw.get(`${signal.kind}\u0000${signal.value}`)!.touched += 1
    }
    return found ? { appId: found.appId!, identifierId: found.id, rule: found.rule, confidence: found.confidence } : null
  }

  /** Writes last-seen and seen counts of the identifiers touched since the previous flush. */
  async flush(db: Kysely<Database>): Promise<void> {
    const at = this.now()
    for (const state of this.identifiers.values()) {
      if (state.touched === 0) continue
      await db
        .updateTable('identifiers')
        .set((eb) => ({ last_seen_at: at, seen_count: eb('seen_count', '+', state.touched) }))
        .where('id', '=', state.id)
        .execute()
      state.touched = 0
    }
  }

  /** Forget cached ids, e.g. after a rolled-back transaction. */
  reset(): void {
    this.identifiers.clear()
    this.byRaw.clear()
    this.apps.clear()
  }

  private async identifier(db: Kysely<Database>, signal: AppSignal): Promise<IdentifierState> {
    const rawKey = `${signal.kind}\u0000${signal.value}`
    const known = this.byRaw.get(rawKey)
    if (known) return known
    const resolution = this.resolver.resolve(signal)
    const cacheKey = `${signal.kind}\u0000${resolution.normalized}`
    const cached = this.identifiers.get(cacheKey)
    if (cached) {
      this.remember(rawKey, cached)
      return cached
    }
    const at = this.now()
    const existing = await db
      .selectFrom('identifiers')
      .select(['id', 'app_id', 'rule', 'confidence', 'confirmed'])
      .where('kind', '=', signal.kind)
      .where('value', '=', resolution.normalized)
      .executeTakeFirst()
    let state: IdentifierState
    if (existing && existing.confirmed === 1) {
      // An admin's mapping wins over anything the resolver says; app_id null means "not an app".
      state = { id: existing.id, appId: existing.app_id, candidateKey: null, candidateName: null, rule: 'override', confidence: 1, touched: 0, raw: signal.value }
    } else {
      const appId = resolution.app
        ? await this.ensureApp(db, { catalogKey: resolution.app.key, name: resolution.app.name, category: resolution.app.category })
        : null
      const candidateAppId = !appId && resolution.candidate ? this.apps.get(`candidate:${resolution.candidate.key}`) ?? (await this.findCandidateApp(db, resolution.candidate.key)) : null
      const values = { app_id: appId ?? candidateAppId, candidate_key: appId ? null : resolution.candidate?.key ?? null, rule: resolution.rule, confidence: resolution.confidence }
      let id: number
      if (existing) {
        id = existing.id
        if (existing.app_id !== values.app_id || existing.rule !== values.rule) {
          await db.updateTable('identifiers').set(values).where('id', '=', id).execute()
        }
      } else {
        const row = await db
          .insertInto('identifiers')
          .values({ kind: signal.kind, value: resolution.normalized, example_raw: signal.value.slice(0, 500), ...values, first_seen_at: at, last_seen_at: at, seen_count: 0 })
          .returning('id')
          .executeTakeFirstOrThrow()
        id = row.id
      }
      state = {
        id,
        appId: values.app_id,
        candidateKey: resolution.candidate?.key ?? null,
        candidateName: resolution.candidate?.name ?? null,
        rule: resolution.rule,
        confidence: resolution.confidence,
        touched: 0,
        raw: signal.value,
      }
    }
    this.identifiers.set(cacheKey, state)
    this.remember(rawKey, state)
    return state
  }

  /** Raw spellings are unbounded (a file of unique descriptors): the map starts over past a limit. */
  private remember(rawKey: string, state: IdentifierState): void {
    if (this.byRaw.size >= RAW_CACHE_LIMIT) this.byRaw.clear()
    this.byRaw.set(rawKey, state)
  }

  private async findCandidateApp(db: Kysely<Database>, candidateKey: string): Promise<number | null> {
    const found = await findCandidateApp(db, candidateKey)
    if (found) this.apps.set(`candidate:${candidateKey}`, found.id)
    return found?.id ?? null
  }

  async ensureApp(
    db: Kysely<Database>,
    app: { catalogKey?: string; candidateKey?: string; name: string; category: string | null },
  ): Promise<number> {
    const cacheKey = app.catalogKey ? `catalog:${app.catalogKey}` : `candidate:${app.candidateKey}`
    const cached = this.apps.get(cacheKey)
    if (cached !== undefined) return cached
    const key = (app.catalogKey ?? app.candidateKey)!
    const existing = app.catalogKey
      ? await db.selectFrom('apps').select('id').where('catalog_key', '=', key).executeTakeFirst()
      : await findCandidateApp(db, key)
    let id = existing?.id
    if (id === undefined) {
      const at = this.now()
      const row = await db
        .insertInto('apps')
        .values({
          catalog_key: app.catalogKey ?? null,
          candidate_key: app.catalogKey ? null : key,
          name: app.name.slice(0, 200),
          category: app.category,
          status: 'unknown',
          first_seen_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      id = row.id
    }
    this.apps.set(cacheKey, id)
    return id
  }
}

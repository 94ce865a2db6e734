import type { Kysely } from 'kysely'
import { ensureCandidateApp, ensureCatalogApp } from '../../data/apps.js'
import { findCandidateApp } from '../../data/candidates.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { addIdentifierSightings, pointIdentifiersAtApp, recordResolvedIdentifier } from '../../data/identifiers.js'
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
    await pointIdentifiersAtApp(db, { id: fallback.id }, appId)
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
    const touched: [number, number][] = []
    for (const state of this.identifiers.values()) {
      if (state.touched === 0) continue
      touched.push([state.id, state.touched])
      state.touched = 0
    }
    await addIdentifierSightings(db, touched, this.now())
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
    const appId = resolution.app
      ? await this.ensureApp(db, { catalogKey: resolution.app.key, name: resolution.app.name, category: resolution.app.category })
      : null
    const candidateAppId = !appId && resolution.candidate ? this.apps.get(`candidate:${resolution.candidate.key}`) ?? (await this.findCandidateApp(db, resolution.candidate.key)) : null
    const stored = await recordResolvedIdentifier(db, {
      kind: signal.kind, value: resolution.normalized, exampleRaw: signal.value, appId: appId ?? candidateAppId,
      candidateKey: appId ? null : resolution.candidate?.key ?? null, rule: resolution.rule, confidence: resolution.confidence, at: this.now(),
    })
    // An admin's mapping wins over anything the resolver says; app_id null means "not an app".
    const state: IdentifierState = stored.confirmed
      ? { id: stored.id, appId: stored.appId, candidateKey: null, candidateName: null, rule: 'override', confidence: 1, touched: 0, raw: signal.value }
      : {
          id: stored.id, appId: stored.appId, candidateKey: resolution.candidate?.key ?? null, candidateName: resolution.candidate?.name ?? null,
          rule: resolution.rule, confidence: resolution.confidence, touched: 0, raw: signal.value,
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
    const at = this.now()
    const id = app.catalogKey
      ? await ensureCatalogApp(db, { catalogKey: app.catalogKey, name: app.name, vendor: loadCatalog().byKey(app.catalogKey)?.vendor ?? null, category: app.category }, at)
      : (await findCandidateApp(db, app.candidateKey!))?.id ?? (await ensureCandidateApp(db, { candidateKey: app.candidateKey!, name: app.name, category: app.category }, at)).id
    this.apps.set(cacheKey, id)
    return id
  }
}

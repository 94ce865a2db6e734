import type { Kysely } from 'kysely'
import type { Database } from '../../data/database.js'

/** Opaque to the runner: only the collector that made a cursor knows what it means. */
export type Cursor = string

export interface Page<T> {
  items: readonly T[]
  next: Cursor | null
  /** Where the collector is within what it knows the size of (bytes of a file, users listed…), for progress bars. */
  progress?: { done: number; total: number; unit: string }
}

/** One configuration value a collector needs; declared as data so docs and `.env.example` come from it. */
export interface ConfigField {
  key: string
  env: string
  description: string
  secret?: boolean
  required?: boolean
  default?: string
}

export interface CollectorManifest<K extends string = string> {
  id: string
  description: string
  config: readonly ConfigField[]
  /** Every permission or OAuth scope the collector uses at run time. */
  scopes: readonly string[]
  /** Record kinds in the order they are listed (people before the accounts that refer to them). */
  kinds: readonly K[]
  /** Kinds whose listing is complete, so that what a completed run did not see is gone. Event streams are not. */
  snapshotKinds: readonly K[]
}

export interface ItemError {
  kind: string
  /** What failed, e.g. the user whose tokens could not be read. */
  item: string
  code: string
  message: string
}

export interface CollectorContext<Config> {
  readonly config: Config
  readonly signal: AbortSignal
  /** Records a per-item failure; the run goes on and ends `partial`, which marks nothing gone. */
  reportItemError(error: ItemError): void
}

export interface ListRequest {
  cursor: Cursor | null
  signal: AbortSignal
}

export interface Collector<Config, Rec, K extends string = string> {
  readonly manifest: CollectorManifest<K>
  /** The cheapest authenticated call, to fail fast on bad credentials before a long scan. */
  validate(ctx: CollectorContext<Config>): Promise<void>
  list(kind: K, request: ListRequest, ctx: CollectorContext<Config>): Promise<Page<Rec>>
}

/** What a run knows about itself while writing a page. */
export interface RunInfo {
  readonly runId: number
  /** This run and the interrupted runs it resumed, whose writes count as seen by it. */
  readonly chainRunIds: readonly number[]
  readonly collector: string
  readonly source: string
  readonly startedAt: string
  /** The clock of this run: one timestamp per page, so rows written together agree. */
  now(): string
}

export type Counts = Record<string, number>

/** Writes one page of records inside the page's transaction and returns counters to add to the run's. */
export type PageWriter<Rec, K extends string = string> = (
  tx: Kysely<Database>,
  kind: K,
  items: readonly Rec[],
  run: RunInfo,
) => Promise<Counts>

import { hostname } from 'node:os'
import type { Kysely } from 'kysely'
import type { Store } from '../../data/connection.js'
import type { Database } from '../../data/database.js'
import type { ScanStatus } from '../../data/tables/scans.table.js'
import type { Collector, CollectorContext, Counts, ItemError, PageWriter, RunInfo } from './contract.js'
import { CollectorError, errorMessage } from './errors.js'
import { markGoneAfterCompleteRun } from './mark-gone.js'
import { verifyRemediationsAfterRun } from '../../data/campaigns/verify.js'
import { withRetry, type RetryPolicy } from './retry.js'

export type ProgressEvent =
  | { type: 'start'; runId: number; collector: string; resumedFrom: number | null }
  | { type: 'page'; kind: string; items: number; totalItems: number; pages: number; progress?: { done: number; total: number; unit: string } }
  | { type: 'retry'; kind: string; attempt: number; delayMs: number; message: string }
  | { type: 'item-error'; error: ItemError }
  | { type: 'done'; runId: number; status: ScanStatus; counts: Counts }

export interface RunOptions<Config, Rec, K extends string> {
  store: Store
  collector: Collector<Config, Rec, K>
  config: Config
  /** Which tenant, file or device feed this run covers; resume and "gone" are per collector × source. */
  sourceKey: string
  mode: 'live' | 'file' | 'push'
  write: PageWriter<Rec, K>
  /**
   * `page`: each page and its checkpoint commit together (live scans resume mid-way).
   * `run`: the whole run is one transaction (file imports: all or nothing).
   */
  transaction?: 'page' | 'run'
  /** Source name stamped on rows for the "gone" comparison; defaults to the collector id. */
  source?: string
  file?: { name: string; sha256: string }
  /** Start over instead of resuming an interrupted run of the same collector and source. */
  fresh?: boolean
  retry?: Partial<RetryPolicy>
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
  /** Called inside the final transaction of a completed run, after marking gone (e.g. rollups). */
  finalize?: (tx: Kysely<Database>, run: RunInfo, counts: Counts) => Promise<void>
  now?: () => Date
}

export interface RunResult {
  runId: number
  status: ScanStatus
  counts: Counts
  itemErrors: ItemError[]
  error: Error | null
}

const MAX_STORED_ITEM_ERRORS = 500

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Runs left `running` by a process that no longer exists were interrupted (SIGKILL, power loss). */
export async function markInterruptedRuns(db: Kysely<Database>, collector: string, sourceKey: string, now: string): Promise<void> {
  const host = hostname()
  const running = await db
    .selectFrom('scan_runs')
    .select(['id', 'pid', 'host', 'heartbeat_at'])
    .where('collector', '=', collector)
    .where('source_key', '=', sourceKey)
    .where('status', '=', 'running')
    .execute()
  const staleBefore = new Date(Date.parse(now) - 15 * 60_000).toISOString()
  for (const run of running) {
    const dead = run.host === host ? run.pid == null || !isProcessAlive(run.pid) : run.heartbeat_at < staleBefore
    if (dead) {
      await db
        .updateTable('scan_runs')
        .set({ status: 'interrupted', finished_at: now, error: 'the process running this scan stopped before it finished' })
        .where('id', '=', run.id)
        .where('status', '=', 'running')
        .execute()
    }
  }
}

async function findResumable(db: Kysely<Database>, collector: string, sourceKey: string): Promise<{ id: number; chain: number[] } | null> {
  const last = await db
    .selectFrom('scan_runs')
    .select(['id', 'status'])
    .where('collector', '=', collector)
    .where('source_key', '=', sourceKey)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (!last || (last.status !== 'interrupted' && last.status !== 'failed')) return null
  const checkpoints = await db.selectFrom('scan_checkpoints').select('kind').where('scan_run_id', '=', last.id).execute()
  if (checkpoints.length === 0) return null
  const chain = [last.id]
  let cursor: number | null = last.id
  while (cursor !== null && chain.length < 100) {
    const row: { resumed_from_run_id: number | null } | undefined = await db
      .selectFrom('scan_runs')
      .select('resumed_from_run_id')
      .where('id', '=', cursor)
      .executeTakeFirst()
    cursor = row?.resumed_from_run_id ?? null
    if (cursor !== null) chain.push(cursor)
  }
  return { id: last.id, chain }
}

function addCounts(target: Counts, more: Counts): void {
  for (const [key, value] of Object.entries(more)) target[key] = (target[key] ?? 0) + value
}

/**
 * The one loop every collector shares: list a page, write it with its checkpoint in one transaction,
 * retry what is retryable, record the run, and mark things gone only after a complete run.
 */
export async function runCollector<Config, Rec, K extends string>(options: RunOptions<Config, Rec, K>): Promise<RunResult> {
  const { store, collector, sourceKey } = options
  const db = store.db
  const clock = options.now ?? (() => new Date())
  const iso = () => clock().toISOString()
  const collectorId = collector.manifest.id
  const source = options.source ?? collectorId
  const startedAt = iso()
  const emit = options.onProgress ?? (() => undefined)
  const controller = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal

  await markInterruptedRuns(db, collectorId, sourceKey, startedAt)
  const resumable = options.fresh ? null : await findResumable(db, collectorId, sourceKey)

  const inserted = await db
    .insertInto('scan_runs')
    .values({
      collector: collectorId,
      source_key: sourceKey,
      mode: options.mode,
      status: 'running',
      started_at: startedAt,
      heartbeat_at: startedAt,
      pid: process.pid,
      host: hostname(),
      counts: '{}',
      item_errors: '[]',
      file_name: options.file?.name ?? null,
      file_sha256: options.file?.sha256 ?? null,
      resumed_from_run_id: resumable?.id ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const runId = inserted.id
  emit({ type: 'start', runId, collector: collectorId, resumedFrom: resumable?.id ?? null })

  const cursors = new Map<string, { cursor: string | null; done: boolean; pages: number; items: number }>()
  if (resumable) {
    const rows = await db.selectFrom('scan_checkpoints').selectAll().where('scan_run_id', '=', resumable.id).execute()
    for (const row of rows) cursors.set(row.kind, { cursor: row.cursor, done: row.done === 1, pages: row.pages, items: row.items })
  }

  let pageNow = startedAt
  const run: RunInfo = {
    runId,
    chainRunIds: [runId, ...(resumable?.chain ?? [])],
    collector: collectorId,
    source,
    startedAt,
    now: () => pageNow,
  }
  const counts: Counts = {}
  const itemErrors: ItemError[] = []
  const ctx: CollectorContext<Config> = {
    config: options.config,
    signal,
    reportItemError(error) {
      itemErrors.push(error)
      emit({ type: 'item-error', error })
    },
  }

  const listAll = async (tx: Kysely<Database>): Promise<void> => {
    for (const kind of collector.manifest.kinds) {
      const state = cursors.get(kind) ?? { cursor: null, done: false, pages: 0, items: 0 }
      cursors.set(kind, state)
      while (!state.done) {
        signal.throwIfAborted()
        const page = await withRetry(() => collector.list(kind, { cursor: state.cursor, signal }, ctx), {
          policy: options.retry,
          signal,
          onRetry: ({ attempt, delayMs, error }) => emit({ type: 'retry', kind, attempt, delayMs, message: errorMessage(error) }),
        })
        pageNow = iso()
        const writePage = async (w: Kysely<Database>) => {
          const written = await options.write(w, kind, page.items, run)
          state.cursor = page.next
          state.done = page.next === null
          state.pages += 1
          state.items += page.items.length
          await w
            .insertInto('scan_checkpoints')
            .values({ scan_run_id: runId, kind, cursor: state.cursor, done: state.done ? 1 : 0, pages: state.pages, items: state.items, updated_at: pageNow })
            .onConflict((oc) =>
              oc.columns(['scan_run_id', 'kind']).doUpdateSet({ cursor: state.cursor, done: state.done ? 1 : 0, pages: state.pages, items: state.items, updated_at: pageNow }),
            )
            .execute()
          await w.updateTable('scan_runs').set({ heartbeat_at: pageNow }).where('id', '=', runId).execute()
          return written
        }
        const written = options.transaction === 'run' ? await writePage(tx) : await db.transaction().execute(writePage)
        addCounts(counts, written)
        emit({ type: 'page', kind, items: page.items.length, totalItems: state.items, pages: state.pages, progress: page.progress })
      }
    }
  }

  const complete = async (tx: Kysely<Database>): Promise<ScanStatus> => {
    const status: ScanStatus = itemErrors.length > 0 ? 'partial' : 'completed'
    if (status === 'completed') {
      const gone = await markGoneAfterCompleteRun(tx, { source, chainRunIds: run.chainRunIds, kinds: collector.manifest.snapshotKinds, at: pageNow })
      addCounts(counts, gone)
      // Closed loop: what campaigns revoked in this source is now verified gone, or found still present.
      const checked = await verifyRemediationsAfterRun(tx, { source, runId, chainRunIds: run.chainRunIds, kinds: collector.manifest.snapshotKinds, at: pageNow })
      if (checked.verified) counts['remediations.verified'] = checked.verified
      if (checked.stillPresent) counts['remediations.still-present'] = checked.stillPresent
    }
    await options.finalize?.(tx, run, counts)
    await tx
      .updateTable('scan_runs')
      .set({ status, finished_at: iso(), counts: JSON.stringify(counts), item_errors: JSON.stringify(itemErrors.slice(0, MAX_STORED_ITEM_ERRORS)) })
      .where('id', '=', runId)
      .execute()
    return status
  }

  try {
    await collector.validate(ctx)
    let status: ScanStatus
    if (options.transaction === 'run') {
      status = await db.transaction().execute(async (tx) => {
        await listAll(tx)
        return complete(tx)
      })
    } else {
      await listAll(db)
      status = await db.transaction().execute(complete)
    }
    emit({ type: 'done', runId, status, counts })
    return { runId, status, counts, itemErrors, error: null }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error))
    const status: ScanStatus = signal.aborted ? 'interrupted' : 'failed'
    const code = error instanceof CollectorError ? `${error.code}: ` : ''
    await db
      .updateTable('scan_runs')
      .set({
        status,
        finished_at: iso(),
        error: `${code}${failure.message}`,
        // A run-mode failure rolled its writes back; its counters would describe nothing that exists.
        counts: JSON.stringify(options.transaction === 'run' ? {} : counts),
        item_errors: JSON.stringify(itemErrors.slice(0, MAX_STORED_ITEM_ERRORS)),
      })
      .where('id', '=', runId)
      .execute()
    emit({ type: 'done', runId, status, counts })
    return { runId, status, counts, itemErrors, error: failure }
  } finally {
    controller.abort()
  }
}

import type { Kysely } from 'kysely'
import type { Store } from '../../data/connection.js'
import type { Database } from '../../data/database.js'
import { findResumableRun, finishRun, loadCheckpoints, markInterruptedRuns, saveCheckpoint, startRun, type CheckpointState } from '../../data/runs.js'
import type { ScanStatus } from '../../data/tables/scans.table.js'
import type { Collector, CollectorContext, Counts, ItemError, PageWriter, RunInfo } from './contract.js'
import { CollectorError, errorMessage } from './errors.js'
import { markGoneAfterCompleteRun } from './mark-gone.js'
import { verifyRemediationsAfterRun } from '../../data/campaigns/verify.js'
import { withRetry, type RetryPolicy } from './retry.js'
import { safeMessage } from './redact.js'
import { isConnectionLoss } from '../../data/postgres-pool.js'

/** Re-exported for callers of the SDK; the function lives with the other run writes in data/runs.ts. */
export { markInterruptedRuns }

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
  const resumable = options.fresh ? null : await findResumableRun(db, collectorId, sourceKey)
  const runId = await startRun(db, { collector: collectorId, sourceKey, mode: options.mode, startedAt, file: options.file, resumedFromRunId: resumable?.id ?? null })
  emit({ type: 'start', runId, collector: collectorId, resumedFrom: resumable?.id ?? null })

  const cursors = resumable ? await loadCheckpoints(db, resumable.id) : new Map<string, CheckpointState>()

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
    reportItemError(reported) {
      const error = { ...reported, message: safeMessage(reported.message) }
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
          onRetry: ({ attempt, delayMs, error }) => emit({ type: 'retry', kind, attempt, delayMs, message: safeMessage(errorMessage(error)) }),
        })
        pageNow = iso()
        const writePage = async (w: Kysely<Database>) => {
          const written = await options.write(w, kind, page.items, run)
          state.cursor = page.next
          state.done = page.next === null
          state.pages += 1
          state.items += page.items.length
          await saveCheckpoint(w, runId, kind, state, pageNow)
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
    await finishRun(tx, runId, { status, finishedAt: iso(), counts, itemErrors })
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
    const status: ScanStatus = signal.aborted ? 'interrupted' : 'failed'
    const code = error instanceof CollectorError ? `${error.code}: ` : ''
    // What the caller prints and the run stores never carries a secret a vendor echoed, nor a megabyte of it.
    const failure = error instanceof Error ? error : new Error(String(error))
    const cleaned = safeMessage(failure.message)
    if (cleaned !== failure.message) failure.message = cleaned
    try {
      await finishRun(db, runId, {
        status,
        finishedAt: iso(),
        error: `${code}${failure.message}`,
        // A run-mode failure rolled its writes back; its counters would describe nothing that exists.
        counts: options.transaction === 'run' ? {} : counts,
        itemErrors,
      })
    } catch (recording) {
      // With the database gone the run cannot be marked now; the next command marks it interrupted. The failure
      // the caller reports stays the one that stopped the run.
      if (!isConnectionLoss(recording)) throw recording
    }
    emit({ type: 'done', runId, status, counts })
    return { runId, status, counts, itemErrors, error: failure }
  } finally {
    controller.abort()
  }
}

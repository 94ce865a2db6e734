// The one writer of `scan_runs` and `scan_checkpoints`: every import, scan and analysis is recorded as a run
// through these functions (the collectors' runner and the analyzer alike).
import { hostname } from 'node:os'
import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import type { ScanRunsTable, ScanStatus } from './tables/scans.table.js'

/** Item errors kept on a run; the rest are counted, not stored. */
export const MAX_STORED_ITEM_ERRORS = 500

/** A run on another host counts as dead after this long without a heartbeat. */
const STALE_HEARTBEAT_MS = 15 * 60_000

export interface StartRunInput {
  collector: string
  sourceKey: string
  mode: ScanRunsTable['mode']
  startedAt: string
  file?: { name: string; sha256: string | null }
  resumedFromRunId?: number | null
}

/** Inserts a `running` run for this process and host; returns its id. */
export async function startRun(db: Kysely<Database>, input: StartRunInput): Promise<number> {
  const row = await db
    .insertInto('scan_runs')
    .values({
      collector: input.collector,
      source_key: input.sourceKey,
      mode: input.mode,
      status: 'running',
      started_at: input.startedAt,
      heartbeat_at: input.startedAt,
      pid: process.pid,
      host: hostname(),
      counts: '{}',
      item_errors: '[]',
      file_name: input.file?.name ?? null,
      file_sha256: input.file?.sha256 ?? null,
      resumed_from_run_id: input.resumedFromRunId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface FinishRunInput {
  status: Exclude<ScanStatus, 'running'>
  finishedAt: string
  counts?: Record<string, unknown>
  itemErrors?: readonly unknown[]
  error?: string | null
}

/** Ends a run with its status, counters, capped item errors and error text. */
export async function finishRun(db: Kysely<Database>, runId: number, input: FinishRunInput): Promise<void> {
  await db
    .updateTable('scan_runs')
    .set({
      status: input.status,
      finished_at: input.finishedAt,
      ...(input.counts !== undefined ? { counts: JSON.stringify(input.counts) } : {}),
      ...(input.itemErrors !== undefined ? { item_errors: JSON.stringify(input.itemErrors.slice(0, MAX_STORED_ITEM_ERRORS)) } : {}),
      ...(input.error !== undefined ? { error: input.error } : {}),
    })
    .where('id', '=', runId)
    .execute()
}

export interface CheckpointState {
  cursor: string | null
  done: boolean
  pages: number
  items: number
}

/** Saves one kind's cursor and beats the run's heartbeat; call it in the transaction that wrote the page. */
export async function saveCheckpoint(db: Kysely<Database>, runId: number, kind: string, state: CheckpointState, at: string): Promise<void> {
  const values = { cursor: state.cursor, done: state.done ? 1 : 0, pages: state.pages, items: state.items, updated_at: at }
  await db
    .insertInto('scan_checkpoints')
    .values({ scan_run_id: runId, kind, ...values })
    .onConflict((oc) => oc.columns(['scan_run_id', 'kind']).doUpdateSet(values))
    .execute()
  await db.updateTable('scan_runs').set({ heartbeat_at: at }).where('id', '=', runId).execute()
}

/** The checkpoints of a run, by kind. */
export async function loadCheckpoints(db: Kysely<Database>, runId: number): Promise<Map<string, CheckpointState>> {
  const rows = await db.selectFrom('scan_checkpoints').selectAll().where('scan_run_id', '=', runId).execute()
  return new Map(rows.map((r) => [r.kind, { cursor: r.cursor, done: r.done === 1, pages: r.pages, items: r.items }]))
}

/** Records the SHA-256 of the file a run imported. */
export async function setRunFileHash(db: Kysely<Database>, runId: number, sha256: string): Promise<void> {
  await db.updateTable('scan_runs').set({ file_sha256: sha256 }).where('id', '=', runId).execute()
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Runs left `running` by a process that no longer exists were interrupted (SIGKILL, power loss): on this host by
 * its pid, on another by a heartbeat older than 15 minutes.
 */
export async function markInterruptedRuns(db: Kysely<Database>, collector: string, sourceKey: string, now: string): Promise<number> {
  const host = hostname()
  const running = await db
    .selectFrom('scan_runs')
    .select(['id', 'pid', 'host', 'heartbeat_at'])
    .where('collector', '=', collector)
    .where('source_key', '=', sourceKey)
    .where('status', '=', 'running')
    .execute()
  const staleBefore = new Date(Date.parse(now) - STALE_HEARTBEAT_MS).toISOString()
  let marked = 0
  for (const run of running) {
    const dead = run.host === host ? run.pid == null || !isProcessAlive(run.pid) : run.heartbeat_at < staleBefore
    if (!dead) continue
    const r = await db
      .updateTable('scan_runs')
      .set({ status: 'interrupted', finished_at: now, error: 'the process running this scan stopped before it finished' })
      .where('id', '=', run.id)
      .where('status', '=', 'running')
      .executeTakeFirst()
    marked += Number(r.numUpdatedRows)
  }
  return marked
}

/**
 * The last run of this collector and source when it was interrupted or failed with checkpoints to resume from,
 * and the chain of runs it resumed (newest first, at most 100).
 */
export async function findResumableRun(db: Kysely<Database>, collector: string, sourceKey: string): Promise<{ id: number; chain: number[] } | null> {
  const last = await db
    .selectFrom('scan_runs')
    .select(['id', 'status'])
    .where('collector', '=', collector)
    .where('source_key', '=', sourceKey)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (!last || (last.status !== 'interrupted' && last.status !== 'failed')) return null
  const checkpoint = await db.selectFrom('scan_checkpoints').select('kind').where('scan_run_id', '=', last.id).executeTakeFirst()
  if (!checkpoint) return null
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

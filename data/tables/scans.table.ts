import type { Generated, Selectable } from 'kysely'

export type ScanStatus = 'running' | 'completed' | 'partial' | 'failed' | 'interrupted'

/** One run of a collector (a live scan or a file import). It counts only once completed. */
export interface ScanRunsTable {
  id: Generated<number>
  collector: string
  source_key: string
  mode: 'live' | 'file' | 'push'
  status: ScanStatus
  started_at: string
  finished_at: string | null
  heartbeat_at: string
  pid: number | null
  host: string | null
  /** JSON object of counters (read, imported, duplicates, rejected, per kind …). */
  counts: Generated<string>
  error: string | null
  /** JSON array of item-level errors (capped) for partial runs. */
  item_errors: Generated<string>
  file_name: string | null
  file_sha256: string | null
  resumed_from_run_id: number | null
}

/** The opaque cursor of one record kind within a run, saved after each committed page. */
export interface ScanCheckpointsTable {
  scan_run_id: number
  kind: string
  cursor: string | null
  done: Generated<number>
  pages: Generated<number>
  items: Generated<number>
  updated_at: string
}

export type ScanRun = Selectable<ScanRunsTable>

// Read model for the Imports & scans page: every run with its counts, errors and who started it.
import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import type { ScanStatus } from './tables/scans.table.js'

export interface RunRow {
  id: number
  collector: string
  sourceKey: string
  mode: string
  status: ScanStatus
  startedAt: string
  finishedAt: string | null
  /** The file's name only (never the server's directory layout). */
  fileName: string | null
  counts: Record<string, number>
  error: string | null
  itemErrors: string[]
  /** A web user's email for uploads, else where the command ran. */
  startedBy: string
  /** The web job that ran it, when it came from an upload (its rejects can be downloaded). */
  jobId: number | null
  hasRejects: boolean
}

export interface RunsPage {
  rows: RunRow[]
  page: number
  pages: number
  total: number
}

function parseCounts(text: string): Record<string, number> {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    const out: Record<string, number> = {}
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number') out[k] = v
    return out
  } catch {
    return {}
  }
}

function parseErrors(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as unknown
    return Array.isArray(parsed) ? parsed.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : []
  } catch {
    return []
  }
}

/** Messages quote the file's path; the page shows its name only, never the server's directories. */
function withoutDirOf(path: string | null, text: string): string {
  if (!path) return text
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return cut <= 0 ? text : text.split(path.slice(0, cut + 1)).join('')
}

const baseName = (path: string | null): string | null => (path === null ? null : path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1))

export async function listRuns(db: Kysely<Database>, query: { page?: number; pageSize?: number; collector?: string; status?: ScanStatus } = {}): Promise<RunsPage> {
  const pageSize = Math.min(Math.max(query.pageSize ?? 50, 1), 200)
  const page = Math.max(query.page ?? 1, 1)
  let base = db.selectFrom('scan_runs as r')
  if (query.collector) base = base.where('r.collector', '=', query.collector)
  if (query.status) base = base.where('r.status', '=', query.status)
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const total = Number(count.n)
  const rows = await base
    .leftJoin('ui_jobs as j', 'j.scan_run_id', 'r.id')
    .select([
      'r.id', 'r.collector', 'r.source_key', 'r.mode', 'r.status', 'r.started_at', 'r.finished_at', 'r.file_name', 'r.counts', 'r.error', 'r.item_errors', 'r.host',
      'j.id as job_id', 'j.requested_by', 'j.rejects_csv',
    ])
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  return {
    rows: rows.map((r) => ({
      id: r.id, collector: r.collector, sourceKey: r.source_key, mode: r.mode, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at,
      fileName: baseName(r.file_name), counts: parseCounts(r.counts), error: r.error === null ? null : withoutDirOf(r.file_name, r.error),
      itemErrors: parseErrors(r.item_errors).map((e) => withoutDirOf(r.file_name, e)),
      startedBy: r.requested_by ?? (r.collector === 'analyzer' ? 'analyzer' : `command line${r.host ? ` on ${r.host}` : ''}`),
      jobId: r.job_id ?? null, hasRejects: Boolean(r.rejects_csv),
    })),
    page, pages: Math.max(1, Math.ceil(total / pageSize)), total,
  }
}

export async function listCollectors(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('scan_runs').select('collector').distinct().orderBy('collector').execute()
  return rows.map((r) => r.collector)
}

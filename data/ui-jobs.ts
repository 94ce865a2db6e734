// The one writer of `ui_jobs`: statement uploads the web app runs off the request path. The import itself is a
// scan run (data/runs.ts); the job ties it to the person who uploaded and keeps the rejects for download.
import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import type { Database } from './database.js'
import { NotFoundError } from './errors.js'
import type { UiJob, UiJobStatus } from './tables/auth.table.js'

export const SPEND_UPLOAD_JOB = 'spend-upload'

/** What the upload page shows about a job, kept as JSON in `ui_jobs.detail`. */
export interface SpendUploadDetail {
  /** SHA-256 of the uploaded bytes, taken while they were written to disk. */
  sha256: string
  bytes: number
  /** How the import was told to read the file (absent: the layout was detected from the header). */
  mapping?: { profile?: string; columns: Record<string, string> }
  /** The import's counts, once it ran. */
  layout?: string
  read?: number
  imported?: number
  duplicates?: number
  rejected?: number
  skipped?: number
  skippedBy?: Record<string, number>
  /** The first rejects as `file: line N: field F: reason`. */
  errors?: string[]
  warnings?: string[]
  /** For a layout inferred from the header: which header was read as which field. */
  columns?: Record<string, string>
  /** Set when no layout matched: the file's header row, so a person can map its columns (the file is kept a while). */
  headers?: string[]
  headerLine?: number
  /** The job that re-ran this file with a mapping. */
  rerunAs?: number
}

export interface SpendUploadJob {
  id: number
  status: UiJobStatus
  requestedBy: string
  fileName: string
  scanRunId: number | null
  detail: SpendUploadDetail
  hasRejects: boolean
  error: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

function toJob(row: Omit<UiJob, 'rejects_csv'> & { has_rejects: number | boolean | null }): SpendUploadJob {
  let detail: SpendUploadDetail
  try {
    detail = JSON.parse(row.detail) as SpendUploadDetail
  } catch {
    detail = { sha256: '', bytes: 0 }
  }
  return {
    id: row.id, status: row.status, requestedBy: row.requested_by, fileName: row.file_name ?? '', scanRunId: row.scan_run_id, detail,
    hasRejects: Boolean(row.has_rejects), error: row.error, createdAt: row.created_at, startedAt: row.started_at, finishedAt: row.finished_at,
  }
}

const JOB_COLUMNS = ['id', 'kind', 'status', 'requested_by', 'file_name', 'scan_run_id', 'detail', 'error', 'created_at', 'started_at', 'finished_at'] as const

/** Queues an upload of one file; the uploader is the job's owner. */
export async function createSpendUploadJob(db: Kysely<Database>, input: { requestedBy: Actor; fileName: string; detail: SpendUploadDetail; at: string }): Promise<number> {
  const row = await db
    .insertInto('ui_jobs')
    .values({ kind: SPEND_UPLOAD_JOB, status: 'queued', requested_by: input.requestedBy, file_name: input.fileName, detail: JSON.stringify(input.detail), created_at: input.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function markJobRunning(db: Kysely<Database>, id: number, at: string): Promise<void> {
  await db.updateTable('ui_jobs').set({ status: 'running', started_at: at }).where('id', '=', id).execute()
}

/**
 * Ends an upload job with the import's outcome and appends `import.spend.upload` (actor, file, SHA-256, counts
 * or error) in the same transaction: the audit trail says who put which bytes into the inventory.
 */
export async function finishSpendUploadJob(
  db: Kysely<Database>,
  id: number,
  input: { status: 'completed' | 'failed'; scanRunId: number | null; detail: SpendUploadDetail; rejectsCsv: string | null; error: string | null; at: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const job = await tx.selectFrom('ui_jobs').select(['requested_by', 'file_name']).where('id', '=', id).executeTakeFirst()
    if (!job) throw new NotFoundError(`upload ${id} does not exist`)
    await tx
      .updateTable('ui_jobs')
      .set({ status: input.status, scan_run_id: input.scanRunId, detail: JSON.stringify(input.detail), rejects_csv: input.rejectsCsv, error: input.error, finished_at: input.at })
      .where('id', '=', id)
      .execute()
    const d = input.detail
    await appendAuditEvent(tx, {
      actor: job.requested_by,
      action: 'import.spend.upload',
      subjectType: 'ui_job',
      subjectId: id,
      payload: {
        file: job.file_name, sha256: d.sha256, bytes: d.bytes, status: input.status, scanRunId: input.scanRunId, layout: d.layout ?? null,
        counts: { read: d.read ?? 0, imported: d.imported ?? 0, duplicates: d.duplicates ?? 0, rejected: d.rejected ?? 0, skipped: d.skipped ?? 0 },
        ...(d.mapping ? { mapping: d.mapping } : {}),
        ...(input.error ? { error: input.error.slice(0, 500) } : {}),
      },
      occurredAt: input.at,
    })
  })
}

/** Notes on a job that asked for a column mapping that it was re-run as another job. */
export async function noteSpendUploadRerun(db: Kysely<Database>, id: number, rerunAs: number): Promise<void> {
  const job = await getSpendUploadJob(db, id)
  await db.updateTable('ui_jobs').set({ detail: JSON.stringify({ ...job.detail, rerunAs }) }).where('id', '=', id).execute()
}

export async function getSpendUploadJob(db: Kysely<Database>, id: number): Promise<SpendUploadJob> {
  const row = await db
    .selectFrom('ui_jobs')
    .select([...JOB_COLUMNS, (eb) => eb('rejects_csv', 'is not', null).as('has_rejects')])
    .where('id', '=', id)
    .where('kind', '=', SPEND_UPLOAD_JOB)
    .executeTakeFirst()
  if (!row) throw new NotFoundError(`upload ${id} does not exist`)
  return toJob(row)
}

/** The newest upload jobs, optionally only some ids. */
export async function listSpendUploadJobs(db: Kysely<Database>, query: { ids?: readonly number[]; limit?: number } = {}): Promise<SpendUploadJob[]> {
  let q = db
    .selectFrom('ui_jobs')
    .select([...JOB_COLUMNS, (eb) => eb('rejects_csv', 'is not', null).as('has_rejects')])
    .where('kind', '=', SPEND_UPLOAD_JOB)
  if (query.ids) {
    if (query.ids.length === 0) return []
    q = q.where('id', 'in', [...query.ids])
  }
  const rows = await q.orderBy('id', 'desc').limit(Math.min(query.limit ?? 25, 100)).execute()
  return rows.map(toJob)
}

/** The rejects CSV an upload wrote, or null when it rejected nothing. */
export async function spendUploadRejects(db: Kysely<Database>, id: number): Promise<{ fileName: string; csv: string } | null> {
  const row = await db.selectFrom('ui_jobs').select(['file_name', 'rejects_csv']).where('id', '=', id).where('kind', '=', SPEND_UPLOAD_JOB).executeTakeFirst()
  if (!row) throw new NotFoundError(`upload ${id} does not exist`)
  return row.rejects_csv === null ? null : { fileName: row.file_name ?? 'upload.csv', csv: row.rejects_csv }
}

/** Jobs a stopped process left queued or running are failed, so no page waits for them forever. */
export async function failAbandonedJobs(db: Kysely<Database>, at: string): Promise<number> {
  const result = await db
    .updateTable('ui_jobs')
    .set({ status: 'failed', error: 'The server stopped before this upload finished; upload the file again.', finished_at: at })
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

// Runs statement uploads off the request path, one at a time, through the CLI's spend importer.
import { mkdtempSync } from 'node:fs'
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadResolver } from '../../analyzer/resolve/load-resolver.js'
import { readHeaderRow } from '../../collectors/spend-csv/header-row.js'
import { importSpendFile } from '../../collectors/spend-csv/import-spend.js'
import { detectLayout, inferLayout } from '../../collectors/spend-csv/detect-layout.js'
import type { SpendReadOptions } from '../../collectors/spend-csv/types.js'
import { explainNothingImported } from '../../collectors/sdk/nothing-imported.js'
import type { Store } from '../../data/connection.js'
import { createSpendUploadJob, finishSpendUploadJob, markJobRunning, noteSpendUploadRerun, type SpendUploadDetail } from '../../data/ui-jobs.js'
import type { Clock, Logger } from '../env.js'
import type { ReceivedFile } from './multipart-files.js'

/** How long a file whose layout was not recognised is kept for its uploader to map its columns. */
export const HOLD_UNMAPPED_MS = 60 * 60_000

export interface UploadRequest {
  actor: string
  file: ReceivedFile
  readOptions?: SpendReadOptions
  mapping?: SpendUploadDetail['mapping']
}

export interface SpendUploadRunner {
  /** A private (0700) directory for request bodies; everything in it is deleted when its job ends. */
  readonly workDir: string
  /** Queues the import of a received file (the runner takes the file over); returns the job id. */
  submit(request: UploadRequest): Promise<number>
  /** Whether the file of a job that asked for a column mapping is still kept. */
  isHeld(jobId: number): boolean
  /** Queues the held file of `jobId` again with a mapping; returns the new job id, or null when the file is gone. */
  rerun(jobId: number, request: Omit<UploadRequest, 'file'>): Promise<number | null>
  /** Resolves when every queued job has ended (tests, shutdown). */
  idle(): Promise<void>
  /** Deletes held files and the work directory. */
  close(): Promise<void>
}

interface Held {
  file: ReceivedFile
  dir: string
  timer: NodeJS.Timeout
}

/** The file's directory-free name in messages: the server's temporary paths are nobody's business. */
function withoutDir(text: string, dir: string): string {
  return text.split(`${dir}/`).join('')
}

export function createSpendUploadRunner(deps: { store: Store; clock: Clock; logger: Logger; workDir?: string }): SpendUploadRunner {
  const { store, clock, logger } = deps
  // Made on first use: most apps built in tests never receive an upload.
  let dirMade: string | undefined = deps.workDir
  const workDir = (): string => (dirMade ??= mkdtempSync(join(tmpdir(), 'sightline-uploads-')))
  const held = new Map<number, Held>()
  let tail: Promise<void> = Promise.resolve()
  let seq = 0

  const release = async (jobId: number): Promise<void> => {
    const h = held.get(jobId)
    if (!h) return
    held.delete(jobId)
    clearTimeout(h.timer)
    await rm(h.dir, { recursive: true, force: true })
  }

  const run = async (jobId: number, request: UploadRequest, dir: string): Promise<void> => {
    const { file } = request
    const base: SpendUploadDetail = { sha256: file.sha256, bytes: file.bytes, ...(request.mapping ? { mapping: request.mapping } : {}) }
    let keep = false
    try {
      await markJobRunning(store.db, jobId, clock.now())
      try {
        const summary = await importSpendFile(store, file.path, { resolver: await loadResolver(store.db), readOptions: request.readOptions, rejectsDir: dir })
        const nothing = explainNothingImported(summary)
        const detail: SpendUploadDetail = {
          ...base, layout: summary.layout, read: summary.read, imported: summary.imported, duplicates: summary.duplicates, rejected: summary.rejected,
          skipped: summary.skipped, skippedBy: summary.skippedBy, errors: summary.errors.slice(0, 200).map((e) => withoutDir(e, dir)),
          warnings: [...summary.warnings, ...(nothing ? [`${file.name}: ${nothing.message}`] : [])].map((w) => withoutDir(w, dir)),
          ...(summary.columns ? { columns: summary.columns as Record<string, string> } : {}),
        }
        const rejectsCsv = summary.rejectsReport ? await readFile(summary.rejectsReport, 'utf8') : null
        await finishSpendUploadJob(store.db, jobId, { status: 'completed', scanRunId: summary.runId, detail, rejectsCsv, error: null, at: clock.now() })
      } catch (error) {
        const message = withoutDir((error as Error).message, dir)
        const detail: SpendUploadDetail = { ...base }
        // No layout matched and none could be inferred: keep the file so its uploader can map the columns.
        if (!request.readOptions?.mapping) {
          const header = await readHeaderRow(file.path).catch(() => null)
          if (header && header.headers.length > 0 && !detectLayout(header.headers)) {
            const inferred = inferLayout(header.headers)
            if (!inferred || 'refusal' in inferred) {
              detail.headers = header.headers
              detail.headerLine = header.line
              keep = true
            }
          }
        }
        const runId = await store.db
          .selectFrom('scan_runs').select('id').where('file_name', '=', file.path).orderBy('id', 'desc').executeTakeFirst()
        await finishSpendUploadJob(store.db, jobId, { status: 'failed', scanRunId: runId?.id ?? null, detail, rejectsCsv: null, error: message, at: clock.now() })
      }
    } catch (error) {
      logger.error('upload.job.error', { jobId, error: (error as Error).message })
    } finally {
      if (keep) {
        const timer = setTimeout(() => void release(jobId), HOLD_UNMAPPED_MS)
        timer.unref()
        held.set(jobId, { file, dir, timer })
      } else await rm(dir, { recursive: true, force: true })
    }
  }

  const enqueue = async (request: UploadRequest, dir: string): Promise<number> => {
    const jobId = await createSpendUploadJob(store.db, {
      requestedBy: request.actor, fileName: request.file.name, at: clock.now(),
      detail: { sha256: request.file.sha256, bytes: request.file.bytes, ...(request.mapping ? { mapping: request.mapping } : {}) },
    })
    tail = tail.then(() => run(jobId, request, dir))
    return jobId
  }

  return {
    get workDir() {
      return workDir()
    },
    async submit(request) {
      // Each job gets its own directory holding the file under its own name: the run and the rejects report name it.
      const dir = join(workDir(), `job-${process.pid}-${++seq}`)
      await mkdir(dir, { mode: 0o700 })
      const path = join(dir, request.file.name)
      await rename(request.file.path, path)
      return enqueue({ ...request, file: { ...request.file, path } }, dir)
    },
    isHeld: (jobId) => held.has(jobId),
    async rerun(jobId, request) {
      const h = held.get(jobId)
      if (!h) return null
      held.delete(jobId)
      clearTimeout(h.timer)
      const next = await enqueue({ ...request, file: h.file }, h.dir)
      await noteSpendUploadRerun(store.db, jobId, next)
      return next
    },
    idle: async () => {
      let seen: Promise<void>
      do {
        seen = tail
        await seen
      } while (seen !== tail)
    },
    async close() {
      for (const id of [...held.keys()]) await release(id)
      if (dirMade) await rm(dirMade, { recursive: true, force: true })
    },
  }
}

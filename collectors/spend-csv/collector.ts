// A spend file as a collector: one kind (`spend`), one page per parser batch; row errors go to the run and a report.
import { closeSync, openSync, writeSync } from 'node:fs'
import type { Collector } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { SpendFileError } from './errors.js'
import { moduleUrl, openWorkerBatches, WorkerBatchError, type WorkerBatchReader } from '../sdk/worker-batches.js'
import { createOccurrenceCounter } from './fingerprint.js'
import { newSpendStats, readSpendBatches } from './read-spend-file.js'
import type { SpendReadOptions, SpendReadStats, SpendRow, SpendRowError } from './types.js'

export interface SpendCollectorConfig {
  path: string
  readOptions?: SpendReadOptions
  /** Where rejected rows are written as CSV (created only when a row is rejected). */
  rejectsPath: string
}

/** A validated row with its file-stable fingerprint (occurrence-counted, so genuine same-day repeats stay distinct). */
export interface SpendRecord extends SpendRow {
  fingerprint: string
}

/** Rows per page handed to the writer. */
const PAGE_ROWS = 2000
/** Item errors kept on the run; the rejects report holds every one. */
const MAX_REPORTED_REJECTS = 500

function csvCell(value: string | number): string {
  const s = String(value)
  // A leading = + - @ makes spreadsheets evaluate the cell; the report holds untrusted file content.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function describeReject(file: string, e: SpendRowError): string {
  return `${file}: line ${e.line}: field ${e.field}: ${e.reason}`
}

export interface SpendCollector extends Collector<SpendCollectorConfig, SpendRecord, 'spend'> {
  /** Read counters, final once the last page was listed. */
  readonly stats: SpendReadStats
  /** The first rejects (line order), as `file: line N: field F: reason`. */
  readonly rejects: readonly string[]
  /** Path of the rejects report if any row was rejected. */
  readonly rejectsReport: string | undefined
  /** Closes the file and the rejects report; safe to call twice. */
  close(): Promise<void>
}

/** One page as the reader thread sends it: fingerprinted rows and row errors in line order, and the counters so far. */
interface SpendPage {
  items: (SpendRecord | SpendRowError)[]
  stats: SpendReadStats
}

/**
 * Runs in a worker thread (see collectors/sdk/worker-batches.ts): parses the file, fingerprints each row (the
 * occurrence counter sees every row in file order) and yields pages of about PAGE_ROWS items.
 */
export async function* spendPages(args: { path: string; readOptions?: SpendReadOptions }): AsyncGenerator<SpendPage> {
  const stats = newSpendStats()
  const counter = createOccurrenceCounter()
  let items: (SpendRecord | SpendRowError)[] = []
  for await (const batch of readSpendBatches(args.path, { ...args.readOptions, stats })) {
    for (const item of batch) {
      // Extended in place: copying a dozen fields a row costs more than the parse of it.
      if (!('error' in item)) (item as SpendRecord).fingerprint = counter.fingerprint(item)
      items.push(item as SpendRecord | SpendRowError)
    }
    if (items.length >= PAGE_ROWS) {
      yield { items, stats }
      items = []
    }
  }
  yield { items, stats }
}

export function createSpendCollector(config: SpendCollectorConfig, fileLabel: string): SpendCollector {
  const stats = newSpendStats()
  const rejects: string[] = []
  let pages: WorkerBatchReader<SpendPage> | null = null
  let pending: { batch: SpendPage; done: boolean } | null = null
  let exhausted = false
  let rejectsFd: number | null = null
  let rejectsReport: string | undefined

  const pull = async (): Promise<{ batch: SpendPage; done: boolean }> => {
    try {
      const page = await pages!.next()
      Object.assign(stats, page.batch.stats)
      return page
    } catch (error) {
      // The parser's refusals (unreadable file, unknown layout, ambiguous dates) are bad data, worded for the user.
      if (error instanceof WorkerBatchError && error.errorName === 'SpendFileError') throw new CollectorError('bad-data', error.message, { cause: error })
      throw error
    }
  }

  const writeRejects = (errors: readonly SpendRowError[]): void => {
    if (errors.length === 0) return
    if (rejectsFd === null) {
      rejectsFd = openSync(config.rejectsPath, 'w')
      rejectsReport = config.rejectsPath
      writeSync(rejectsFd, 'file,line,field,reason,raw\n')
    }
    let text = ''
    for (const e of errors) text += `${csvCell(fileLabel)},${e.line},${e.field},${csvCell(e.reason)},${csvCell(e.raw)}\n`
    writeSync(rejectsFd, text)
  }

  const closeRejects = (): void => {
    if (rejectsFd !== null) closeSync(rejectsFd)
    rejectsFd = null
  }

  return {
    manifest: {
      id: 'spend',
      description: 'Card and expense statement files (Brex, Ramp, Amex, Expensify, Navan, Chase, Capital One, Mercury, BILL/Divvy, or any CSV with a column mapping)',
      config: [],
      scopes: [],
      kinds: ['spend'],
      // Transactions are events: a later statement not listing an old charge does not make it gone.
      snapshotKinds: [],
    },
    stats,
    rejects,
    get rejectsReport() {
      return rejectsReport
    },
    async validate() {
      pages = openWorkerBatches<SpendPage>({ module: moduleUrl(import.meta.url, './collector'), name: 'spendPages' }, { path: config.path, readOptions: config.readOptions })
      // The parser refuses an unreadable file, unknown layout or ambiguous dates before its first page.
      pending = await pull()
    },
    async list(_kind, _request, ctx) {
      if (!pages || !pending) throw new CollectorError('invalid-config', 'spend-csv: list before validate')
      if (exhausted) {
        closeRejects()
        return { items: [], next: null }
      }
      const rows: SpendRecord[] = []
      const errors: SpendRowError[] = []
      const page = pending
      for (const item of page.batch.items) {
        if ('error' in item) errors.push(item)
        else rows.push(item)
      }
      const lastLine = page.batch.items[page.batch.items.length - 1]?.line ?? 0
      if (page.done) exhausted = true
      else pending = await pull()
      writeRejects(errors)
      for (const e of errors) {
        if (rejects.length >= MAX_REPORTED_REJECTS) break
        const message = describeReject(fileLabel, e)
        rejects.push(message)
        ctx.reportItemError({ kind: 'spend', item: `${fileLabel}:${e.line}`, code: 'bad-data', message })
      }
      if (exhausted) closeRejects()
      return { items: rows, next: exhausted ? null : String(lastLine) }
    },
    async close() {
      closeRejects()
      await pages?.close()
    },
  }
}

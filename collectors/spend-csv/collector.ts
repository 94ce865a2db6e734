// A spend file as a collector: one kind (`spend`), one page per parser batch; row errors go to the run and a report.
import { closeSync, writeSync } from 'node:fs'
import type { Collector } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { SpendFileError } from './errors.js'
import { sha256File } from '../sdk/file-hash.js'
import { moduleUrl, openWorkerBatches, WorkerBatchError, type WorkerBatchReader } from '../sdk/worker-batches.js'
import { createOccurrenceCounter } from './fingerprint.js'
import { MAX_SPEND_FIELD_CHARS, newSpendStats, readSpendBatches } from './read-spend-file.js'
import { abbreviate } from '../sdk/limits.js'
import { createPrivateReport } from '../sdk/private-report.js'
import type { SpendReadOptions, SpendReadStats, SpendRow, SpendRowError } from './types.js'

export interface SpendCollectorConfig {
  path: string
  readOptions?: SpendReadOptions
  /** Where rejected rows are written as CSV (created only when a row is rejected, exclusively, mode 0600). */
  rejectsPath: string
}

/** A validated row with its file-stable fingerprint (occurrence-counted, so genuine same-day repeats stay distinct). */
export interface SpendRecord extends SpendRow {
  fingerprint: string
}

export const REJECTS_SUFFIX = '.rejects.csv'

/** Rows per page handed to the writer: small pages keep the pages in flight out of V8's large-object space (peak RSS). */
const PAGE_ROWS = 500
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
  /** SHA-256 of the file, once the last page was read. */
  readonly sha256: string | undefined
  /** Closes the file and the rejects report; safe to call twice. */
  close(): Promise<void>
}

/**
 * One page as the reader thread sends it: fingerprinted rows, row errors, the counters so far. Rows travel as
 * one string, their ROW_FIELDS joined by FIELD_SEPARATOR (absent fields empty): splitting it costs a fraction of
 * parsing the same rows as JSON. A page where any value holds the separator travels as a JSON array instead.
 */
interface SpendPage {
  text: string | null
  rows: (string | number | null)[] | null
  errors: SpendRowError[]
  lastLine: number
  stats: SpendReadStats
  /** On the last page: the SHA-256 of the file, hashed in the reader thread while it parsed. */
  sha256?: string
}

const ROW_FIELDS = ['line', 'postedOn', 'amountMinor', 'currency', 'merchantRaw', 'fingerprint', 'cardholder', 'cardholderEmail', 'cardLast4', 'department', 'category', 'memo', 'externalId'] as const
const WIDTH = ROW_FIELDS.length
/** Fields from here on are optional (absent when empty: the parser never yields an empty string for them). */
const OPTIONAL_FROM = 6
/** A private-use character: JSON leaves it unescaped, and statements do not contain it (when one does, see above). */
const FIELD_SEPARATOR = '\uE000'

/** Builds one page's rows. */
class PageRows {
  private values: (string | number | null)[] = []
  private plain = true

  add(record: SpendRecord): void {
    for (const field of ROW_FIELDS) {
      const value = record[field] ?? null
      if (this.plain && typeof value === 'string' && value.includes(FIELD_SEPARATOR)) this.plain = false
      this.values.push(value)
    }
  }

  /** The page's rows in their wire form; starts a new page. */
  take(): Pick<SpendPage, 'text' | 'rows'> {
    const out = this.plain ? { text: this.values.map((v) => (v === null ? '' : v)).join(FIELD_SEPARATOR), rows: null } : { text: null, rows: this.values }
    this.values = []
    this.plain = true
    return out
  }
}

function recordsOf(page: SpendPage): SpendRecord[] {
  const out: SpendRecord[] = []
  if (page.text === '' || (page.text === null && !page.rows?.length)) return out
  const values: readonly (string | number | null)[] = page.text !== null ? page.text.split(FIELD_SEPARATOR) : page.rows!
  for (let i = 0; i < values.length; i += WIDTH) {
    const record = {
      line: Number(values[i]),
      postedOn: values[i + 1],
      amountMinor: Number(values[i + 2]),
      currency: values[i + 3],
      merchantRaw: values[i + 4],
      fingerprint: values[i + 5],
    } as SpendRecord
    for (let f = OPTIONAL_FROM; f < WIDTH; f++) {
      const value = values[i + f]
      if (value !== null && value !== '') (record as unknown as Record<string, unknown>)[ROW_FIELDS[f]!] = value
    }
    out.push(record)
  }
  return out
}

/**
 * Runs in a worker thread (see collectors/sdk/worker-batches.ts): parses the file, fingerprints each row (the
 * occurrence counter sees every row in file order) and yields pages of about PAGE_ROWS items.
 */
export async function* spendPages(args: { path: string; readOptions?: SpendReadOptions }): AsyncGenerator<SpendPage> {
  const stats = newSpendStats()
  const counter = createOccurrenceCounter()
  // Read a second time beside the parse: the thread waits on the main thread's inserts more than on the disk.
  const hashing = sha256File(args.path)
  hashing.catch(() => undefined)
  const rows = new PageRows()
  let page: SpendPage = { text: null, rows: null, errors: [], lastLine: 0, stats }
  let count = 0
  for await (const batch of readSpendBatches(args.path, { ...args.readOptions, stats })) {
    for (const item of batch) {
      if ('error' in item) page.errors.push(item)
      else {
        // Extended in place: copying a dozen fields a row costs more than the parse of it.
        const record = item as SpendRecord
        record.fingerprint = counter.fingerprint(item)
        rows.add(record)
      }
      page.lastLine = item.line
      count++
    }
    if (count >= PAGE_ROWS) {
      yield { ...page, ...rows.take() }
      page = { text: null, rows: null, errors: [], lastLine: page.lastLine, stats }
      count = 0
    }
  }
  page.sha256 = await hashing
  yield { ...page, ...rows.take() }
}

export function createSpendCollector(config: SpendCollectorConfig, fileLabel: string): SpendCollector {
  const stats = newSpendStats()
  const rejects: string[] = []
  let pages: WorkerBatchReader<SpendPage> | null = null
  let pending: { batch: SpendPage; done: boolean } | null = null
  let exhausted = false
  let rejectsFd: number | null = null
  let rejectsReport: string | undefined
  let sha256: string | undefined

  const pull = async (): Promise<{ batch: SpendPage; done: boolean }> => {
    try {
      const page = await pages!.next()
      Object.assign(stats, page.batch.stats)
      if (page.batch.sha256) sha256 = page.batch.sha256
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
      const report = createPrivateReport(config.rejectsPath, REJECTS_SUFFIX)
      rejectsFd = report.fd
      rejectsReport = report.path
      writeSync(rejectsFd, 'file,line,field,reason,raw\n')
    }
    let text = ''
    for (const e of errors) text += `${csvCell(fileLabel)},${e.line},${e.field},${csvCell(e.reason)},${csvCell(abbreviate(e.raw, MAX_SPEND_FIELD_CHARS))}\n`
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
    get sha256() {
      return sha256
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
      const page = pending
      const rows = recordsOf(page.batch)
      const errors = page.batch.errors
      const lastLine = page.batch.lastLine
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

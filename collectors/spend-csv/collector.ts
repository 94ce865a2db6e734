// A spend file as a collector: one kind (`spend`), one page per parser batch; row errors go to the run and a report.
import { closeSync, openSync, writeSync } from 'node:fs'
import type { Collector } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { SpendFileError } from './errors.js'
import { createOccurrenceCounter } from './fingerprint.js'
import { newSpendStats, readSpendBatches } from './read-spend-file.js'
import type { SpendItem, SpendReadOptions, SpendReadStats, SpendRow, SpendRowError } from './types.js'

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

export function createSpendCollector(config: SpendCollectorConfig, fileLabel: string): SpendCollector {
  const stats = newSpendStats()
  const counter = createOccurrenceCounter()
  const rejects: string[] = []
  let batches: AsyncGenerator<SpendItem[]> | null = null
  let pending: IteratorResult<SpendItem[]> | null = null
  let rejectsFd: number | null = null
  let rejectsReport: string | undefined

  const pull = async (): Promise<IteratorResult<SpendItem[]>> => {
    try {
      return await batches!.next()
    } catch (error) {
      if (error instanceof SpendFileError) throw new CollectorError('bad-data', error.message, { cause: error })
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
      batches = readSpendBatches(config.path, { ...config.readOptions, stats })
      // The parser refuses an unreadable file, unknown layout or ambiguous dates before its first batch.
      pending = await pull()
    },
    async list(_kind, _request, ctx) {
      if (!batches || !pending) throw new CollectorError('invalid-config', 'spend-csv: list before validate')
      if (pending.done) {
        closeRejects()
        return { items: [], next: null }
      }
      const rows: SpendRecord[] = []
      const errors: SpendRowError[] = []
      let lastLine = 0
      // Parser batches are one read chunk (~700 rows); a page of several keeps the per-page checkpoint cheap.
      while (!pending.done && rows.length + errors.length < PAGE_ROWS) {
        for (const item of pending.value) {
          if ('error' in item) errors.push(item)
          else {
            // Extended in place: copying a dozen fields a row costs more than the parse of it.
            const record = item as SpendRecord
            record.fingerprint = counter.fingerprint(item)
            rows.push(record)
          }
        }
        lastLine = pending.value[pending.value.length - 1]?.line ?? lastLine
        pending = await pull()
      }
      writeRejects(errors)
      for (const e of errors) {
        if (rejects.length >= MAX_REPORTED_REJECTS) break
        const message = describeReject(fileLabel, e)
        rejects.push(message)
        ctx.reportItemError({ kind: 'spend', item: `${fileLabel}:${e.line}`, code: 'bad-data', message })
      }
      if (pending.done) closeRejects()
      return { items: rows, next: pending.done ? null : String(lastLine) }
    },
    async close() {
      closeRejects()
      await batches?.return(undefined)
    },
  }
}

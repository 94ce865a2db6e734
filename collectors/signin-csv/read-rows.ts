import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import iconv from 'iconv-lite'
import Papa from 'papaparse'

/** One data row: its first line in the file, its values by column, and a canonical text of the row. */
export interface SourceRow {
  line: number
  values: Record<string, string>
  raw: string
}

export type RowFormat = 'csv' | 'jsonl'

/** The header row (CSV) or the keys of the first record (JSON lines), then the rows. */
export interface RowStream {
  format: RowFormat
  headers: readonly string[]
  rows: AsyncGenerator<SourceRow | { line: number; error: string }>
}

/** BOM sniffing on the first bytes: Excel's "Unicode text" is UTF-16LE, its "CSV UTF-8" has a UTF-8 BOM. */
function openText(path: string): Readable {
  const head = Buffer.alloc(4)
  const fd = openSync(path, 'r')
  const n = readSync(fd, head, 0, 4, 0)
  closeSync(fd)
  if (n >= 2 && head[0] === 0xff && head[1] === 0xfe) return createReadStream(path, { start: 2 }).pipe(iconv.decodeStream('utf-16le')) as unknown as Readable
  if (n >= 2 && head[0] === 0xfe && head[1] === 0xff) return createReadStream(path, { start: 2 }).pipe(iconv.decodeStream('utf-16be')) as unknown as Readable
  const start = n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
  return createReadStream(path, { start, encoding: 'utf8' })
}

function firstChar(path: string): string {
  const head = Buffer.alloc(512)
  const fd = openSync(path, 'r')
  const n = readSync(fd, head, 0, 512, 0)
  closeSync(fd)
  return head.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart().charAt(0)
}

export function detectFormat(path: string): RowFormat {
  return /\.(jsonl|ndjson|json)$/i.test(path) || firstChar(path) === '{' ? 'jsonl' : 'csv'
}

/** Nested JSON (`{"actor": {"alternateId": …}}`) becomes dotted columns (`actor.alternateId`). */
function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else if (value !== null && value !== undefined && prefix) {
    out[prefix] = typeof value === 'string' ? value : JSON.stringify(value)
  }
}

async function openCsv(path: string): Promise<RowStream> {
  // papaparse's Node duplex: text in, one string[] per row out, with backpressure.
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: false }) as unknown as NodeJS.ReadWriteStream & Readable
  const iterator = (openText(path).pipe(parser) as Readable)[Symbol.asyncIterator]() as AsyncIterator<string[]>
  let line = 1
  let headers: string[] = []
  // The header row; blank lines before it are skipped.
  for (;;) {
    const r = await iterator.next()
    if (r.done) return { format: 'csv', headers: [], rows: (async function* () {})() }
    const row = r.value
    line += 1 + row.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0)
    if (row.some((f) => f.trim() !== '')) {
      headers = row.map((h) => h.trim())
      break
    }
  }
  async function* rows(): AsyncGenerator<SourceRow | { line: number; error: string }> {
    for (;;) {
      const r = await iterator.next()
      if (r.done) return
      const row = r.value
      const at = line
      line += 1 + row.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0)
      if (row.every((f) => f.trim() === '')) continue
      if (row.length !== headers.length) {
        yield { line: at, error: `has ${row.length} fields, the header has ${headers.length}` }
        continue
      }
      const values: Record<string, string> = {}
      headers.forEach((h, i) => (values[h] = row[i] ?? ''))
      yield { line: at, values, raw: JSON.stringify(row) }
    }
  }
  return { format: 'csv', headers, rows: rows() }
}

async function openJsonLines(path: string): Promise<RowStream> {
  const lines = createInterface({ input: openText(path), crlfDelay: Infinity })[Symbol.asyncIterator]()
  let line = 0
  const parse = (text: string): SourceRow | { line: number; error: string } => {
    try {
      const value = JSON.parse(text) as unknown
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, error: 'not a JSON object' }
      const values: Record<string, string> = {}
      flatten(value, '', values)
      return { line, values, raw: text.trim() }
    } catch (error) {
      return { line, error: `not valid JSON (${(error as Error).message})` }
    }
  }
  let first: SourceRow | { line: number; error: string } | null = null
  for (;;) {
    const r = await lines.next()
    if (r.done) break
    line++
    if (r.value.trim() === '') continue
    first = parse(r.value)
    break
  }
  const headers = first && 'values' in first ? Object.keys(first.values) : []
  async function* rows(): AsyncGenerator<SourceRow | { line: number; error: string }> {
    if (first) yield first
    for (;;) {
      const r = await lines.next()
      if (r.done) return
      line++
      if (r.value.trim() !== '') yield parse(r.value)
    }
  }
  return { format: 'jsonl', headers, rows: rows() }
}

/** Streams a sign-in log as rows; a file of millions of lines is never held in memory. */
export function openRows(path: string, format: RowFormat = detectFormat(path)): Promise<RowStream> {
  return format === 'csv' ? openCsv(path) : openJsonLines(path)
}

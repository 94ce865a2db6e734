import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import iconv from 'iconv-lite'
import Papa from 'papaparse'
import { decideFileEncoding, encodingFromBom, REPLACEMENT_CHAR } from '../sdk/text-encoding.js'

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

/**
 * The text of a file in the encoding its bytes show (collectors/sdk/text-encoding.ts, one streamed pass): a BOM
 * decides (Excel's "Unicode text" is UTF-16LE, its "CSV UTF-8" has a UTF-8 BOM); else UTF-8, or Windows-1252 (what
 * Excel on Windows writes) when bytes that are not UTF-8 outnumber those that are. `invalidUtf8` says whether
 * a UTF-8 file holds bad bytes: the rows holding them (U+FFFD) are rejected, never the whole file re-read.
 */
async function openText(path: string): Promise<{ text: Readable; invalidUtf8: boolean }> {
  const { encoding, invalidUtf8Bytes } = await decideFileEncoding(path)
  const bom = encodingFromBom(firstBytes(path, 4))?.bomBytes ?? 0
  const text =
    encoding === 'utf8'
      ? createReadStream(path, { start: bom, encoding: 'utf8' })
      : (createReadStream(path, { start: bom }).pipe(iconv.decodeStream(encoding === 'windows-1252' ? 'win1252' : encoding === 'utf16be' ? 'utf-16be' : 'utf-16le')) as unknown as Readable)
  return { text, invalidUtf8: invalidUtf8Bytes > 0 }
}

function firstBytes(path: string, count: number): Buffer {
  const head = Buffer.alloc(count)
  const fd = openSync(path, 'r')
  try {
    return head.subarray(0, readSync(fd, head, 0, count, 0))
  } finally {
    closeSync(fd)
  }
}

/** The first column holding U+FFFD, where a UTF-8 file had bytes that are not UTF-8. */
function badBytesColumn(values: Record<string, string>): string | undefined {
  return Object.keys(values).find((k) => values[k]!.includes(REPLACEMENT_CHAR))
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
  const { text, invalidUtf8 } = await openText(path)
  const iterator = (text.pipe(parser) as Readable)[Symbol.asyncIterator]() as AsyncIterator<string[]>
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
      const bad = invalidUtf8 ? badBytesColumn(values) : undefined
      if (bad !== undefined) {
        yield { line: at, error: `bytes that are not valid UTF-8 in column ${bad}` }
        continue
      }
      yield { line: at, values, raw: JSON.stringify(row) }
    }
  }
  return { format: 'csv', headers, rows: rows() }
}

async function openJsonLines(path: string): Promise<RowStream> {
  const { text: input, invalidUtf8 } = await openText(path)
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]()
  let line = 0
  const parse = (text: string): SourceRow | { line: number; error: string } => {
    try {
      const value = JSON.parse(text) as unknown
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, error: 'not a JSON object' }
      const values: Record<string, string> = {}
      flatten(value, '', values)
      const bad = invalidUtf8 ? badBytesColumn(values) : undefined
      if (bad !== undefined) return { line, error: `bytes that are not valid UTF-8 in field ${bad}` }
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

// Streams a delimited text file as batches of records with the physical line each record starts on.
import { createReadStream } from 'node:fs'
import Papa from 'papaparse'
import { createDecoder, type SpendEncoding } from './encoding.js'

export type Delimiter = ',' | ';' | '\t'
export type Newline = '\n' | '\r\n' | '\r'

export interface Dialect {
  delimiter: Delimiter
  newline: Newline
}

export interface RecordBatch {
  records: string[][]
  /** `lines[i]` is the 1-based physical line where `records[i]` starts. */
  lines: number[]
  /** Set on the file's last batch when its last record has no line break after it (a possible cut download). */
  unterminated?: boolean
}

/** How much decoded text is sniffed for the delimiter and line break. */
const SNIFF_CHARS = 64 * 1024
const SNIFF_LINES = 40
// Tab and semicolon win ties: appearing the same number of times on every line is rarely an accident for them,
// while a comma may be a decimal comma.
const CANDIDATES: readonly Delimiter[] = ['\t', ';', ',']

export function detectNewline(text: string): Newline {
  const lf = text.indexOf('\n')
  if (lf === -1) return text.indexOf('\r') === -1 ? '\n' : '\r'
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n'
}

/** Count of `delim` outside double quotes on one line. */
function countOutsideQuotes(line: string, delim: string): number {
  let count = 0
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    else if (c === delim && !quoted) count++
  }
  return count
}

/** The delimiter that splits the most sniffed lines into the same number of fields. */
export function detectDelimiter(text: string, newline: Newline): Delimiter {
  const lines = text
    .split(newline)
    .filter((l) => l.trim() !== '')
    .slice(0, SNIFF_LINES)
  let best: Delimiter = ','
  let bestLines = 0
  let bestCount = 0
  for (const delim of CANDIDATES) {
    const freq = new Map<number, number>()
    for (const line of lines) {
      const n = countOutsideQuotes(line, delim)
      if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1)
    }
    for (const [count, linesWithCount] of freq) {
      if (linesWithCount > bestLines || (linesWithCount === bestLines && count > bestCount)) {
        best = delim
        bestLines = linesWithCount
        bestCount = count
      }
    }
  }
  return best
}

export interface ReadRecordsOptions {
  encoding: SpendEncoding
  chunkBytes: number
  delimiter?: Delimiter
  /** Called once, before the first batch, with the dialect in use. */
  onDialect?: (dialect: Dialect) => void
}

/** Occurrences of `ch` in `text` from `from` to `to`. */
function countChar(text: string, ch: string, from: number, to: number): number {
  let count = 0
  let i = text.indexOf(ch, from)
  while (i !== -1 && i < to) {
    count++
    i = text.indexOf(ch, i + 1)
  }
  return count
}

/**
 * Decodes the file chunk by chunk and feeds papaparse's parser, carrying an unfinished record (for example a
 * quoted field with an embedded newline cut by the chunk seam) into the next chunk.
 */
export async function* readRecords(path: string, opts: ReadRecordsOptions): AsyncGenerator<RecordBatch> {
  const decoder = createDecoder(opts.encoding)
  let pending = ''
  let parser: Papa.Parser | undefined
  let lineBreakChar = '\n'
  let nextLine = 1

  const parse = (text: string, final: boolean): RecordBatch | undefined => {
    if (!parser) {
      const newline = detectNewline(text)
      const delimiter = opts.delimiter ?? detectDelimiter(text.slice(0, SNIFF_CHARS), newline)
      lineBreakChar = newline === '\r' ? '\r' : '\n'
      opts.onDialect?.({ delimiter, newline })
      parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' })
    }
    const result = parser.parse(text, 0, !final) as { data: string[][]; meta: { cursor: number } }
    const consumed = final ? text.length : result.meta.cursor
    pending = final ? '' : text.slice(consumed)
    const records = result.data
    // papaparse returns an empty record after the file's final line break; it is not a line of the file.
    const last = records[records.length - 1]
    if (final && last && last.length === 1 && last[0] === '') records.pop()
    if (records.length === 0) return undefined
    const lines = new Array<number>(records.length)
    const breaks = countChar(text, lineBreakChar, 0, consumed)
    // Every record ends with one line break except perhaps the last of the file; if the text holds exactly
    // that many, no field has an embedded newline and the lines simply count up.
    const unterminated = final && !text.endsWith(lineBreakChar)
    const expected = unterminated ? records.length - 1 : records.length
    if (breaks === expected) {
      for (let i = 0; i < records.length; i++) lines[i] = nextLine + i
      nextLine += records.length
    } else {
      for (let i = 0; i < records.length; i++) {
        lines[i] = nextLine
        let span = 1
        for (const field of records[i]!) if (field.includes(lineBreakChar)) span += countChar(field, lineBreakChar, 0, field.length)
        nextLine += span
      }
    }
    return unterminated ? { records, lines, unterminated } : { records, lines }
  }

  let sniffBuffer = ''
  for await (const chunk of createReadStream(path, { highWaterMark: opts.chunkBytes })) {
    const text = decoder.write(chunk as Buffer)
    if (!parser) {
      // Sniff the dialect on a decent amount of text even when chunks are tiny.
      sniffBuffer += text
      if (sniffBuffer.length < SNIFF_CHARS) continue
      const batch = parse(sniffBuffer, false)
      sniffBuffer = ''
      if (batch) yield batch
      continue
    }
    const batch = parse(pending + text, false)
    if (batch) yield batch
  }
  const rest = (parser ? pending : sniffBuffer) + decoder.end()
  if (rest !== '' || !parser) {
    const batch = parse(rest, true)
    if (batch) yield batch
  }
}

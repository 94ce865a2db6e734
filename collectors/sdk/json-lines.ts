import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import { jsonShapeOfFile } from './json-shape.js'

/** True when the file is JSON lines (each line a complete JSON value): SIEM and event-hub captures. See jsonShapeOf. */
export async function isJsonLinesFile(path: string): Promise<boolean> {
  return (await jsonShapeOfFile(path)) === 'lines'
}

export interface JsonLine {
  /** 1-based physical line number. */
  line: number
  /** The parsed value, or the parse error's message. */
  value: unknown
  error: string | null
}

/** Reads JSON lines a batch at a time (blank lines skipped, a BOM on line 1 dropped): memory stays flat. */
export interface JsonLinesReader {
  readonly file: string
  readonly size: number
  readonly bytesRead: number
  next(max: number): Promise<{ lines: JsonLine[]; done: boolean }>
  close(): void
}

export async function openJsonLines(path: string): Promise<JsonLinesReader> {
  const { size } = await stat(path)
  const input = createReadStream(path, { encoding: 'utf8' })
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]()
  let lineNo = 0
  let bytesRead = 0
  return {
    file: basename(path),
    size,
    get bytesRead() {
      return bytesRead
    },
    async next(max) {
      const out: JsonLine[] = []
      while (out.length < max) {
        const step = await lines.next()
        if (step.done) return { lines: out, done: true }
        lineNo += 1
        bytesRead += Buffer.byteLength(step.value) + 1
        const text = (lineNo === 1 ? step.value.replace(/^\uFEFF/, '') : step.value).trim()
        if (text === '') continue
        try {
          out.push({ line: lineNo, value: JSON.parse(text), error: null })
        } catch (error) {
          out.push({ line: lineNo, value: null, error: (error as Error).message })
        }
      }
      return { lines: out, done: false }
    },
    close() {
      input.destroy()
    },
  }
}

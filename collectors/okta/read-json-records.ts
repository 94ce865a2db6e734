import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { JsonDocumentError, jsonErrorOffset, jsonParseReason, jsonShapeOfFile, lineColumnAt, parseJsonDocument } from '../sdk/json-shape.js'

/** One record of a JSON-lines file or one element of a top-level JSON array, with the line it starts on. */
export type JsonRecord = { line: number; value: unknown } | { line: number; error: string }

/** The records of one JSON document that is not an array: a page (`items`, `value`) or one record. */
async function* readObjectDocument(path: string): AsyncGenerator<JsonRecord> {
  let value: unknown
  try {
    value = parseJsonDocument(await readFile(path, 'utf8'), path)
  } catch (error) {
    if (error instanceof JsonDocumentError) throw new JsonFileError(path, `${error.line}:${error.column}`, `not valid JSON (${error.reason})`)
    throw error
  }
  const page = value as { items?: unknown; value?: unknown }
  const list = Array.isArray(page.items) ? page.items : Array.isArray(page.value) ? page.value : [value]
  for (const record of list) yield { line: 1, value: record }
}

/**
 * Streams the records of a JSON array or JSON-lines file without loading it whole: a million-event export
 * fits in constant memory. In JSON lines, a line that is not valid JSON is yielded as an error naming its line;
 * a JSON document (array or object) that does not parse is refused whole (JsonFileError with line:column).
 */
export async function* readJsonRecords(path: string): AsyncGenerator<JsonRecord> {
  const shape = await jsonShapeOfFile(path)
  if (shape === 'other') throw new JsonFileError(path, '1', 'not JSON (expected a JSON array, an object or JSON lines)')
  if (shape === 'document') {
    const head = await readHead(path)
    if (head !== '[') {
      yield* readObjectDocument(path)
      return
    }
  }
  const decoder = new StringDecoder('utf8')
  let mode: 'unknown' | 'array' | 'lines' = 'unknown'
  let line = 1
  let buffer = ''
  let startLine = 1
  // Array scanning state: depth of nesting inside the array, string/escape flags.
  let depth = 0
  let inString = false
  let escaped = false
  let finished = false
  let first = true
  let sawElement = false
  // Column of the current character (array mode), and where the element being collected starts.
  let column = 0
  let startColumn = 1

  function* flushLine(text: string, at: number): Generator<JsonRecord> {
    const trimmed = text.trim()
    if (trimmed === '') return
    try {
      yield { line: at, value: JSON.parse(trimmed) }
    } catch (error) {
      yield { line: at, error: `not valid JSON (${(error as Error).message})` }
    }
  }

  for await (const chunk of createReadStream(path)) {
    let text = decoder.write(chunk as Buffer)
    if (first) {
      text = text.replace(/^\uFEFF/, '')
      first = false
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string
      if (mode === 'unknown') {
        if (ch === '\n') {
          line++
          column = 0
        } else column++
        if (/\s/.test(ch)) continue
        mode = ch === '[' ? 'array' : 'lines'
        if (mode === 'array') continue
        startLine = line
      }
      if (mode === 'lines') {
        // Whole slices up to each newline: JSON-lines exports are large and this is the hot path.
        const nl = text.indexOf('\n', i)
        if (nl === -1) {
          buffer += text.slice(i)
          break
        }
        const raw = buffer === '' ? text.slice(i, nl) : buffer + text.slice(i, nl)
        buffer = ''
        // Fast path: JSON.parse skips JSON whitespace itself; anything it rejects takes the trimming path.
        let value: unknown
        let parsed = false
        try {
          value = JSON.parse(raw)
          parsed = true
        } catch {
          // handled by flushLine below
        }
        if (parsed) yield { line: startLine, value }
        else yield* flushLine(raw, startLine)
        line++
        startLine = line
        i = nl
        continue
      }
      // Array mode: collect each top-level element's text between commas.
      if (ch === '\n') {
        line++
        column = 0
      } else column++
      if (finished) {
        if (!/\s/.test(ch)) throw new JsonFileError(path, `${line}:${column}`, 'text after the end of the JSON array')
        continue
      }
      if (inString) {
        buffer += ch
        if (escaped) escaped = false
        else if (ch === '\\') escaped = true
        else if (ch === '"') inString = false
        continue
      }
      if (depth === 0 && (ch === ',' || ch === ']')) {
        if (buffer.trim() !== '') yield parseElement(path, buffer, startLine, startColumn)
        else if (ch === ',' || sawElement) throw new JsonFileError(path, `${line}:${column}`, `not valid JSON (unexpected '${ch}': an empty array element or a trailing comma)`)
        sawElement = true
        buffer = ''
        if (ch === ']') finished = true
        continue
      }
      if (buffer.trim() === '' && /\s/.test(ch)) continue
      if (buffer === '') {
        startLine = line
        startColumn = column
      }
      if (ch === '"') inString = true
      else if (ch === '{' || ch === '[') depth++
      else if (ch === '}' || ch === ']') depth--
      buffer += ch
    }
  }
  const rest = buffer + decoder.end()
  if (mode === 'lines') yield* flushLine(rest, startLine)
  else if (mode === 'array' && !finished) {
    const at = buffer.trim() === '' ? `${line}:${column}` : `${startLine}:${startColumn}`
    throw new JsonFileError(path, at, 'the JSON array is not closed (truncated file?)')
  }
}

async function readHead(path: string): Promise<string> {
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 4096 })) {
    const text = (chunk as string).replace(/^\uFEFF/, '').trimStart()
    if (text !== '') return text[0] as string
  }
  return ''
}

/** One array element, parsed; one that does not parse refuses the whole document, at its line:column. */
function parseElement(path: string, text: string, line: number, column: number): JsonRecord {
  try {
    return { line, value: JSON.parse(text) }
  } catch (error) {
    const at = lineColumnAt(text, jsonErrorOffset(text))
    const where = at.line === 1 ? `${line}:${column + at.column - 1}` : `${line + at.line - 1}:${at.column}`
    throw new JsonFileError(path, where, `not valid JSON (${jsonParseReason((error as Error).message)})`)
  }
}

/** A file that cannot be read as records at all (as opposed to one bad record). */
export class JsonFileError extends Error {
  override readonly name = 'JsonFileError'
  constructor(file: string, at: string, reason: string) {
    super(`okta: read ${basename(file)}: line ${at}: ${reason}`)
  }
}

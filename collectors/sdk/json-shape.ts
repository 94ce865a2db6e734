import { open } from 'node:fs/promises'
import { basename } from 'node:path'

/**
 * What a JSON export is, decided once before reading it: one JSON `document` (an object, an array, a
 * `{"value": […]}` / `{"items": […]}` page, pretty-printed or not), JSON `lines` (one value per line: SIEM and
 * event-hub captures, page-per-line dumps), `empty`, or `other` (its first character cannot start JSON: CSV).
 */
export type JsonShape = 'document' | 'lines' | 'empty' | 'other'

const HEAD_BYTES = 1 << 20

function nextLine(text: string, from: number): { line: string; end: number } | null {
  let start = from
  while (start < text.length) {
    const nl = text.indexOf('\n', start)
    const end = nl === -1 ? text.length : nl
    const line = text.slice(start, end).trim()
    if (line !== '') return { line, end }
    if (nl === -1) break
    start = nl + 1
  }
  return null
}

/**
 * The shape of a JSON export from its beginning (the first MB is plenty). JSON lines when the first non-blank
 * line is a complete JSON value and another line follows — or when the first line is a broken object and the next
 * line starts an object of its own, so a bad first record is one rejected line, not a refused file. Anything else
 * that starts with `{` or `[` is one document: a pretty-printed page never has a complete value on its first line.
 */
export function jsonShapeOf(head: string): JsonShape {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head
  const first = nextLine(text, 0)
  if (!first) return 'empty'
  if (first.line[0] !== '{' && first.line[0] !== '[') return 'other'
  const second = nextLine(text, first.end + 1)
  if (!second) return 'document'
  let complete = true
  try {
    JSON.parse(first.line)
  } catch {
    complete = false
  }
  if (complete) return 'lines'
  return first.line[0] === '{' && first.line.endsWith('}') && second.line[0] === '{' ? 'lines' : 'document'
}

/** The shape of the file at `path`, from its first MB. */
export async function jsonShapeOfFile(path: string): Promise<JsonShape> {
  const handle = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0)
    // A multi-byte character cut at the end of the head only spoils the last line, which decides nothing.
    return jsonShapeOf(buffer.subarray(0, bytesRead).toString('utf8'))
  } finally {
    await handle.close()
  }
}

/** A JSON document that does not parse: refused whole, naming file, line:column and the parser's reason. */
export class JsonDocumentError extends Error {
  override readonly name = 'JsonDocumentError'
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}: line ${line}:${column}: not valid JSON (${reason}); a JSON document is read whole, so nothing was imported`)
  }
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++
    lineStart = nl + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/** V8's message without the echo of the input it sometimes quotes (`…, "{…" is not valid JSON`) or its offset. */
export function jsonParseReason(message: string): string {
  return message
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?$/, '')
    .replace(/^Unexpected end of JSON input$/, 'unexpected end of input (truncated file?)')
}

const WS = new Set([' ', '\t', '\n', '\r'])

/**
 * Offset of the first syntax error of `text` (which JSON.parse refused), found by a plain scan: V8 names the
 * offset for some errors only. Returns text.length when the input simply ends too early.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const skip = (): void => {
    while (i < text.length && WS.has(text[i] as string)) i++
  }
  const literal = (word: string): boolean => {
    if (text.startsWith(word, i)) {
      i += word.length
      return true
    }
    return false
  }
  const string = (): boolean => {
    if (text[i] !== '"') return false
    i++
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return true
      }
      if (c < 0x20) return false
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else return false
      } else i++
    }
    return false
  }
  const number = (): boolean => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m || m[0] === '') return false
    i += m[0].length
    return true
  }
  // An explicit stack and a state loop: neither deep nesting nor a million elements can overflow the call stack.
  const stack: ('{' | '[')[] = []
  let state: 'value' | 'firstValue' | 'key' | 'firstKey' | 'after' = 'value'
  for (;;) {
    skip()
    const c = text[i]
    if (state === 'after') {
      const top = stack[stack.length - 1]
      if (top === undefined) return i
      if (c === ',') {
        i++
        state = top === '{' ? 'key' : 'value'
      } else if (c === (top === '{' ? '}' : ']')) {
        stack.pop()
        i++
      } else return i
    } else if (state === 'key' || state === 'firstKey') {
      if (state === 'firstKey' && c === '}') {
        stack.pop()
        i++
        state = 'after'
        continue
      }
      if (!string()) return i
      skip()
      if (text[i] !== ':') return i
      i++
      state = 'value'
    } else {
      if (state === 'firstValue' && c === ']') {
        stack.pop()
        i++
        state = 'after'
      } else if (c === '{' || c === '[') {
        stack.push(c)
        i++
        state = c === '{' ? 'firstKey' : 'firstValue'
      } else if ((c === '"' && string()) || literal('true') || literal('false') || literal('null') || (c !== '"' && number())) state = 'after'
      else return i
    }
  }
}

/** Parses one JSON document (BOM dropped) or throws JsonDocumentError naming file, line:column and the reason. */
export function parseJsonDocument(text: string, path: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  try {
    return JSON.parse(body)
  } catch (error) {
    const offset = jsonErrorOffset(body)
    const { line, column } = lineColumnAt(body, offset)
    const reason = jsonParseReason((error as Error).message)
    const ended = offset >= body.trimEnd().length && !reason.startsWith('unexpected end')
    throw new JsonDocumentError(basename(path), line, column, ended ? `${reason}, where the file ends: truncated?` : reason)
  }
}

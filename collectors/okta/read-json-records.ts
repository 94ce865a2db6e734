import { createReadStream } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'

/** One record of a JSON-lines file or one element of a top-level JSON array, with the line it starts on. */
export type JsonRecord = { line: number; value: unknown } | { line: number; error: string }

/**
 * Streams the records of a JSON array or JSON-lines file without loading it whole: a million-event export
 * fits in constant memory. A record that is not valid JSON is yielded as an error naming its line.
 */
export async function* readJsonRecords(path: string): AsyncGenerator<JsonRecord> {
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
        if (ch === '\n') line++
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
      if (finished) {
        if (ch === '\n') line++
        else if (!/\s/.test(ch)) throw new JsonFileError(path, line, 'text after the end of the JSON array')
        continue
      }
      if (ch === '\n') line++
      if (inString) {
        buffer += ch
        if (escaped) escaped = false
        else if (ch === '\\') escaped = true
        else if (ch === '"') inString = false
        continue
      }
      if (depth === 0 && (ch === ',' || ch === ']')) {
        if (buffer.trim() !== '') yield* flushLine(buffer, startLine)
        else if (ch === ',') yield { line, error: 'empty array element' }
        buffer = ''
        if (ch === ']') finished = true
        continue
      }
      if (buffer.trim() === '' && /\s/.test(ch)) continue
      if (buffer === '') startLine = line
      if (ch === '"') inString = true
      else if (ch === '{' || ch === '[') depth++
      else if (ch === '}' || ch === ']') depth--
      buffer += ch
    }
  }
  const rest = buffer + decoder.end()
  if (mode === 'lines') yield* flushLine(rest, startLine)
  else if (mode === 'array' && !finished) {
    const at = buffer.trim() === '' ? line : startLine
    throw new JsonFileError(path, at, 'the JSON array is not closed (truncated file?)')
  }
}

/** A file that cannot be read as records at all (as opposed to one bad record). */
export class JsonFileError extends Error {
  override readonly name = 'JsonFileError'
  constructor(file: string, line: number, reason: string) {
    super(`okta: read ${file}: line ${line}: ${reason}`)
  }
}

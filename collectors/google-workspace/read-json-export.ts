import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { CollectorError } from '../sdk/errors.js'
import { decodeText } from '../sdk/decode-text.js'
import { JsonDocumentError, jsonShapeOf, parseJsonDocument } from '../sdk/json-shape.js'

/** One record of an export and where it sits, for error messages: `line 12` or `record 3`. */
export interface LocatedRecord {
  where: string
  value: unknown
}

export interface JsonExport {
  file: string
  records: LocatedRecord[]
  /** Lines that are not JSON, each naming file and line. */
  errors: string[]
}

/**
 * Reads an API response saved to disk in any of the usual shapes: one response page, a JSON array of pages or of
 * bare records, or JSON lines of either. `unwrap` returns a page's records, or null when the value is a record.
 */
export async function readJsonExport(path: string, unwrap: (value: unknown) => unknown[] | null): Promise<JsonExport> {
  const file = basename(path)
  let buffer: Buffer
  try {
    buffer = await readFile(path)
  } catch (cause) {
    throw new CollectorError('invalid-config', `google-workspace: read ${path}: ${(cause as Error).message}`, { cause })
  }
  const text = decodeText(buffer).text
  const trimmed = text.trim()
  const records: LocatedRecord[] = []
  const errors: string[] = []
  if (trimmed === '') return { file, records, errors }
  if (trimmed[0] !== '{' && trimmed[0] !== '[') {
    throw new CollectorError('bad-data', `google-workspace: read ${file}: line 1: not JSON (expected an API response, a JSON array or JSON lines)`)
  }
  if (jsonShapeOf(trimmed) === 'document') {
    let whole: unknown
    try {
      whole = parseJsonDocument(trimmed, file)
    } catch (error) {
      if (error instanceof JsonDocumentError) throw new CollectorError('bad-data', `google-workspace: read ${error.message}`, { cause: error })
      throw error
    }
    const top = Array.isArray(whole) ? whole : [whole]
    let n = 0
    for (const value of top) {
      for (const record of unwrap(value) ?? [value]) records.push({ where: `record ${++n}`, value: record })
    }
    return { file, records, errors }
  }
  const lines = text.split(/\r?\n/)
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (cause) {
      errors.push(`${file}: line ${i + 1}: not valid JSON (${(cause as Error).message})`)
      return
    }
    const inner = unwrap(value)
    if (inner === null) records.push({ where: `line ${i + 1}`, value })
    else inner.forEach((record, j) => records.push({ where: `line ${i + 1} record ${j + 1}`, value: record }))
  })
  return { file, records, errors }
}

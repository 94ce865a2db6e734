// The header row of a spend file as the importer reads it, for a person building a column mapping.
import { open } from 'node:fs/promises'
import { readRecords } from './csv-records.js'
import { detectEncoding } from './encoding.js'
import { SpendFileError } from './errors.js'

/** The importer looks this many non-blank records deep for a header; so does this. */
const HEADER_SEARCH_RECORDS = 50
const CHUNK_BYTES = 64 * 1024

export interface HeaderRow {
  /** Physical (1-based) line of the row. */
  line: number
  /** The row's cells, trimmed, empty ones left out. */
  headers: string[]
}

/**
 * The widest of the file's leading non-blank records (the same pick the importer reports as "headers found"),
 * read with the importer's own encoding and dialect detection. Null for a file with no rows.
 */
export async function readHeaderRow(path: string): Promise<HeaderRow | null> {
  let handle
  let encoding
  try {
    handle = await open(path, 'r')
    ;({ encoding } = await detectEncoding(path, handle, undefined, CHUNK_BYTES))
  } catch (cause) {
    throw new SpendFileError('open file', (cause as Error).message, { file: path }, { cause })
  } finally {
    await handle?.close()
  }
  let best: { record: string[]; line: number } | null = null
  let seen = 0
  const batches = readRecords(path, { encoding, chunkBytes: CHUNK_BYTES })
  try {
    for await (const batch of batches) {
      for (let i = 0; i < batch.records.length && seen < HEADER_SEARCH_RECORDS; i++) {
        const record = batch.records[i]!
        if (record.every((f) => f.trim() === '')) continue
        seen++
        if (!best || record.length > best.record.length) best = { record, line: batch.lines[i]! }
      }
      if (seen >= HEADER_SEARCH_RECORDS) break
    }
  } finally {
    await batches.return(undefined)
  }
  if (!best) return null
  const headers = best.record.map((h) => (h.charCodeAt(0) === 0xfeff ? h.slice(1) : h).trim()).filter((h) => h !== '')
  return { line: best.line, headers }
}

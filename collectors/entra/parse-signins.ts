import { readFile } from 'node:fs/promises'
import { openLineBatches, moduleUrl, type LineBatchMapper } from '../sdk/line-batches.js'
import { basename } from 'node:path'
import Papa from 'papaparse'
import { decodeText, lineIndex } from '../sdk/decode-text.js'
import { JsonDocumentError, jsonShapeOf, parseJsonDocument } from '../sdk/json-shape.js'
import type { SigninRecord } from '../sdk/records.js'
import type { GraphSignIn } from './graph-types.js'
import { FieldError, toSigninRecord } from './map-records.js'

export type SigninFileLayout = 'graph-json' | 'graph-jsonl' | 'portal-json' | 'portal-csv' | 'azure-monitor' | 'azure-monitor-jsonl'

export interface ParsedSigninFile {
  file: string
  layout: SigninFileLayout
  read: number
  records: SigninRecord[]
  /** Each names file, line or record, and field. */
  errors: string[]
  /** Diagnostic records of other categories (service principal, managed identity, audit) left out. */
  skipped: number
}

export class SigninFileError extends Error {
  override readonly name = 'SigninFileError'
}

/** Diagnostic-settings categories that hold user sign-ins (the others are workload identities or audit events). */
const USER_SIGNIN_CATEGORIES = new Set(['SignInLogs', 'NonInteractiveUserSignInLogs'])

export interface Collected {
  records: SigninRecord[]
  errors: string[]
  read: number
  skipped: number
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isDiagnosticRecord(v: Record<string, unknown>): boolean {
  return typeof v.category === 'string' && isObject(v.properties)
}

/** One JSON value of an export: a Graph page, an Azure Monitor blob, a diagnostic record or a bare signIn. */
export function collectValue(value: unknown, where: (i: number | null) => string, out: Collected): 'graph' | 'monitor' | 'portal' {
  const take = (item: unknown, i: number | null): 'graph' | 'monitor' | 'portal' => {
    if (!isObject(item)) {
      out.read++
      out.errors.push(`${where(i)}: field record: not a JSON object`)
      return 'portal'
    }
    if (isDiagnosticRecord(item)) {
      if (!USER_SIGNIN_CATEGORIES.has(item.category as string)) {
        out.skipped++
        return 'monitor'
      }
      const props = item.properties as Record<string, unknown>
      add({ ...props, createdDateTime: props.createdDateTime ?? item.time } as unknown as GraphSignIn, where(i), out)
      return 'monitor'
    }
    add(item as unknown as GraphSignIn, where(i), out)
    return 'portal'
  }
  if (Array.isArray(value)) {
    let kind: 'graph' | 'monitor' | 'portal' = 'portal'
    value.forEach((item, i) => {
      // An array of saved Graph pages (or blobs) holds its records one level down.
      if (isObject(item) && (Array.isArray(item.value) || Array.isArray(item.records))) kind = collectValue(item, (j) => `${where(i + 1)}: record ${j ?? 1}`, out)
      else kind = take(item, i + 1)
    })
    return kind
  }
  if (isObject(value) && Array.isArray(value.value)) {
    value.value.forEach((item, i) => take(item, i + 1))
    return 'graph'
  }
  if (isObject(value) && Array.isArray(value.records)) {
    value.records.forEach((item, i) => take(item, i + 1))
    return 'monitor'
  }
  return take(value, null)
}

function add(s: GraphSignIn, where: string, out: Collected): void {
  out.read++
  try {
    out.records.push(toSigninRecord(s))
  } catch (error) {
    const field = error instanceof FieldError ? error.field : 'record'
    const reason = error instanceof FieldError ? error.reason : (error as Error).message
    out.errors.push(`${where}: field ${field}: ${reason}`)
  }
}

/** "11/20/2026 8:01:02 AM" (the portal's en-US display) as UTC; ISO-8601 passes through. */
function portalTime(value: string): string | null {
  const v = value.trim()
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?$/i.exec(v)
  if (us) {
    let hour = Number(us[4])
    if (us[7]) hour = (hour % 12) + (us[7].toUpperCase() === 'PM' ? 12 : 0)
    const t = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), hour, Number(us[5]), Number(us[6] ?? 0))
    return Number.isNaN(t) ? null : new Date(t).toISOString()
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) return null
  const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v.replace(' ', 'T')}Z`)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/** The portal's "Download → CSV" of sign-ins (headers trimmed: some carry a trailing space, e.g. "Application ID "). */
function parsePortalCsv(text: string, file: string): Collected {
  const out: Collected = { records: [], errors: [], read: 0, skipped: 0 }
  const lineOf = lineIndex(text)
  const rows: { data: string[]; line: number }[] = []
  let previousEnd = 0
  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: 'greedy',
    step: (result) => {
      let start = previousEnd
      while (start < text.length && /[\r\n \t]/.test(text[start]!)) start++
      rows.push({ data: result.data, line: lineOf(start) })
      previousEnd = result.meta.cursor
    },
  })
  const header = rows.shift()
  if (!header) throw new SigninFileError(`${file}: no header row`)
  const columns = new Map(header.data.map((h, i) => [h.trim().toLowerCase(), i]))
  const required = ['date (utc)', 'request id']
  for (const name of required) {
    if (!columns.has(name)) throw new SigninFileError(`${file}: line ${header.line}: field ${name === 'date (utc)' ? 'Date (UTC)' : 'Request ID'}: missing column (columns: ${header.data.map((h) => h.trim()).join(', ')})`)
  }
  const cell = (row: string[], name: string): string | null => {
    const i = columns.get(name)
    const v = i === undefined ? undefined : row[i]?.trim()
    return v ? v : null
  }
  for (const { data, line } of rows) {
    const where = `${file}: line ${line}`
    const rawTime = cell(data, 'date (utc)')
    const at = rawTime ? portalTime(rawTime) : null
    if (!at) {
      out.read++
      out.errors.push(`${where}: field Date (UTC): invalid time ${JSON.stringify(rawTime ?? '')}`)
      continue
    }
    const status = cell(data, 'status')?.toLowerCase()
    const code = cell(data, 'sign-in error code')
    const errorCode = status ? (status === 'success' ? 0 : Number(code) || -1) : code === null ? 0 : Number(code)
    const location = cell(data, 'location')?.split(',').map((p) => p.trim()) ?? []
    const country = location.length > 0 && /^[A-Z]{2}$/.test(location[location.length - 1]!) ? location[location.length - 1]! : null
    add(
      {
        id: cell(data, 'request id') ?? '',
        createdDateTime: at,
        userPrincipalName: cell(data, 'username'),
        userDisplayName: cell(data, 'user'),
        userId: cell(data, 'user id'),
        appId: cell(data, 'application id'),
        appDisplayName: cell(data, 'application'),
        ipAddress: cell(data, 'ip address'),
        userAgent: cell(data, 'user agent'),
        status: { errorCode: Number.isFinite(errorCode) ? errorCode : -1 },
        location: { countryOrRegion: country },
      },
      where,
      out,
    )
  }
  // The CSV names the columns it lacks in every error; rename the Graph field names to the portal's.
  out.errors = out.errors.map((e) => e.replace('field id:', 'field Request ID:').replace('field appId:', 'field Application ID:'))
  return out
}

/**
 * Reads any of the sign-in exports Entra offers: Graph API pages (`{value, @odata.nextLink}`), one per
 * line or one per file; the admin center's CSV and JSON downloads; Azure Monitor diagnostic settings
 * (`{records:[…]}` blobs as written to a storage account, or one record per line from an event hub).
 */
export function parseSigninText(buffer: Buffer, file: string): ParsedSigninFile {
  const { text } = decodeText(buffer)
  const trimmed = text.trimStart()
  if (trimmed === '') throw new SigninFileError(`${file}: the file is empty`)
  if (trimmed[0] !== '{' && trimmed[0] !== '[') {
    const out = parsePortalCsv(text, file)
    return { file, layout: 'portal-csv', ...out }
  }
  const out: Collected = { records: [], errors: [], read: 0, skipped: 0 }
  if (jsonShapeOf(text) === 'document') {
    let whole: unknown
    try {
      whole = parseJsonDocument(text, file)
    } catch (error) {
      if (error instanceof JsonDocumentError) throw new SigninFileError(error.message, { cause: error })
      throw error
    }
    const kind = collectValue(whole, (i) => `${file}: record ${i ?? 1}`, out)
    const layout: SigninFileLayout = kind === 'graph' ? 'graph-json' : kind === 'monitor' ? 'azure-monitor' : 'portal-json'
    return { file, layout, ...out }
  }
  // JSON lines: event-hub captures and page-per-line dumps.
  let kind = 'graph' as 'graph' | 'monitor' | 'portal'
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      out.read++
      out.errors.push(`${file}: line ${index + 1}: field record: not valid JSON (${(error as Error).message})`)
      return
    }
    kind = collectValue(value, (i) => (i === null ? `${file}: line ${index + 1}` : `${file}: line ${index + 1}: record ${i}`), out)
  })
  return { file, layout: kind === 'monitor' ? 'azure-monitor-jsonl' : 'graph-jsonl', ...out }
}

export async function parseSigninFile(path: string): Promise<ParsedSigninFile> {
  let buffer: Buffer
  try {
    buffer = await readFile(path)
  } catch (cause) {
    throw new SigninFileError(`${basename(path)}: read: ${(cause as Error).message}`, { cause })
  }
  return parseSigninText(buffer, basename(path))
}

type LineKind = 'graph' | 'monitor' | 'portal'

/** One batch of a JSON-lines sign-in export, mapped in the reader thread. */
export interface SigninLineBatch extends Collected {
  kind: LineKind
}

/** The reader thread's mapper for JSON-lines sign-in exports (see collectors/sdk/line-batches.ts). */
export function entraSigninLineMapper(file: string): LineBatchMapper<SigninLineBatch> {
  let out: Collected = { records: [], errors: [], read: 0, skipped: 0 }
  let kind: LineKind = 'graph'
  return {
    line(line, value, error) {
      if (error !== null) {
        out.read++
        out.errors.push(`${file}: line ${line}: field record: not valid JSON (${error})`)
        return
      }
      kind = collectValue(value, (i) => (i === null ? `${file}: line ${line}` : `${file}: line ${line}: record ${i}`), out)
    },
    take() {
      const batch = { ...out, kind }
      out = { records: [], errors: [], read: 0, skipped: 0 }
      return batch
    },
  }
}

/** A JSON-lines sign-in export read a batch of lines at a time in a reader thread: flat memory however large the file. */
export interface SigninLineStream {
  readonly file: string
  /** graph-jsonl or azure-monitor-jsonl, as far as the lines read so far tell. */
  readonly layout: SigninFileLayout
  readonly bytesRead: number
  readonly size: number
  /** The file's SHA-256, once the last batch was read. */
  readonly sha256: string | undefined
  next(): Promise<{ records: SigninRecord[]; errors: string[]; read: number; skipped: number; done: boolean }>
  close(): Promise<void>
}

export async function streamSigninLines(path: string, batchLines = 2000): Promise<SigninLineStream> {
  const reader = await openLineBatches<SigninLineBatch>(path, { module: moduleUrl(import.meta.url, './parse-signins'), name: 'entraSigninLineMapper' }, { batchLines })
  let kind: LineKind = 'graph'
  return {
    file: reader.file,
    get layout(): SigninFileLayout {
      return kind === 'monitor' ? 'azure-monitor-jsonl' : 'graph-jsonl'
    },
    get bytesRead() {
      return reader.bytesRead
    },
    get sha256() {
      return reader.sha256
    },
    size: reader.size,
    async next() {
      const { batch, done } = await reader.next()
      if (batch.read > 0 || batch.skipped > 0) kind = batch.kind
      return { records: batch.records, errors: batch.errors, read: batch.read, skipped: batch.skipped, done }
    },
    close: () => reader.close(),
  }
}

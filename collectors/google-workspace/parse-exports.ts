import { readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { CollectorError } from '../sdk/errors.js'
import type { GrantRecord, ObservedRecord, PersonRecord, SigninRecord } from '../sdk/records.js'
import { mapSigninActivity, mapTokenActivity, TokenHistory, type GoogleActivity, type TokenEvent } from './map-activity.js'
import { mapGoogleToken, mapGoogleUser, RecordError, type GoogleToken, type GoogleUser } from './map-directory.js'
import { moduleUrl, openLineBatches, type LineBatchMapper } from '../sdk/line-batches.js'
import { readJsonExport, type LocatedRecord } from './read-json-export.js'
import { mapChromeActivity, type ChromeRecord } from './map-chrome.js'

/** Records parsed from one export (or a folder of them), with one message per bad record. */
export interface ParsedExport<R extends ObservedRecord = ObservedRecord> {
  files: string[]
  /** Source records read: users, tokens or activities. */
  read: number
  records: R[]
  errors: string[]
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function describe(file: string, where: string, error: unknown): string {
  if (error instanceof RecordError) return `${file}: ${where}: field ${error.field}: ${error.reason}`
  throw error
}

/** users.list responses (`{users:[…], nextPageToken}`), a JSON array of them or of users, or JSON lines. */
export async function parseGoogleUsersExport(path: string): Promise<ParsedExport<PersonRecord>> {
  const json = await readJsonExport(path, (v) => (isObject(v) && (Array.isArray(v.users) || v.kind === 'admin#directory#users') ? ((v.users as unknown[]) ?? []) : null))
  const out: ParsedExport<PersonRecord> = { files: [path], read: json.records.length, records: [], errors: [...json.errors] }
  for (const r of json.records) {
    try {
      if (!isObject(r.value)) throw new RecordError('user', 'not an object')
      out.records.push(mapGoogleUser(r.value as GoogleUser))
    } catch (error) {
      out.errors.push(describe(json.file, r.where, error))
    }
  }
  return out
}

/**
 * Reports API activities (`{items:[…], nextPageToken}` pages, a JSON array, or JSON lines): login and saml
 * events become sign-ins, token authorize/revoke events become grant history, as in a live scan.
 */
const activitiesOfPage = (v: unknown): unknown[] | null =>
  isObject(v) && (Array.isArray(v.items) || v.kind === 'admin#reports#activities') ? ((v.items as unknown[]) ?? []) : null

/** Sign-ins go to `out.records`; token events are collected, to be folded once every event is known. */
function takeActivity(file: string, r: LocatedRecord, out: ParsedExport<SigninRecord | GrantRecord>, events: TokenEvent[]): void {
  try {
    if (!isObject(r.value)) throw new RecordError('activity', 'not an object')
    const activity = r.value as GoogleActivity
    const application = activity.id?.applicationName
    if (application === 'token') events.push(...mapTokenActivity(activity))
    else if (application === 'login' || application === 'saml') out.records.push(...mapSigninActivity(activity))
    else throw new RecordError('id.applicationName', `expected login, saml or token, got ${JSON.stringify(application ?? null)}`)
  } catch (error) {
    out.errors.push(describe(file, r.where, error))
  }
}

/** Oldest first, so a revoke record already knows when its grant was authorized. */
function foldTokenEvents(events: TokenEvent[]): GrantRecord[] {
  events.sort((a, b) => a.at.localeCompare(b.at))
  return new TokenHistory().fold(events)
}

export async function parseGoogleActivitiesExport(path: string): Promise<ParsedExport<SigninRecord | GrantRecord>> {
  const json = await readJsonExport(path, activitiesOfPage)
  const out: ParsedExport<SigninRecord | GrantRecord> = { files: [path], read: json.records.length, records: [], errors: [...json.errors] }
  const events: TokenEvent[] = []
  for (const r of json.records) takeActivity(json.file, r, out, events)
  out.records.unshift(...foldTokenEvents(events))
  return out
}

/** One batch of a JSON-lines activities export, mapped in the reader thread. */
export interface ActivityLineBatch {
  records: (SigninRecord | GrantRecord)[]
  errors: string[]
  read: number
}

/**
 * The reader thread's mapper for JSON-lines activity exports (see collectors/sdk/line-batches.ts). Token events
 * stay in the thread until the file ends: the grant history is folded from all of them, and comes with the last batch.
 */
export function googleActivityLineMapper(file: string): LineBatchMapper<ActivityLineBatch> {
  const events: TokenEvent[] = []
  let out: ParsedExport<SigninRecord | GrantRecord> = { files: [file], read: 0, records: [], errors: [] }
  return {
    line(line, value, error) {
      if (error !== null) {
        out.errors.push(`${file}: line ${line}: not valid JSON (${error})`)
        return
      }
      const inner = activitiesOfPage(value)
      const located = inner === null ? [{ where: `line ${line}`, value }] : inner.map((v, j) => ({ where: `line ${line} record ${j + 1}`, value: v }))
      out.read += located.length
      for (const r of located) takeActivity(file, r, out, events)
    },
    take(done) {
      if (done) out.records.push(...foldTokenEvents(events))
      const batch = { records: out.records, errors: out.errors, read: out.read }
      out = { files: [file], read: 0, records: [], errors: [] }
      return batch
    },
  }
}

/** A JSON-lines activities export read a batch of lines at a time in a reader thread; token history comes with the last batch. */
export interface GoogleActivityStream {
  readonly size: number
  readonly bytesRead: number
  /** The file's SHA-256, once the last batch was read. */
  readonly sha256: string | undefined
  next(): Promise<ActivityLineBatch & { done: boolean }>
  close(): Promise<void>
}

export async function streamGoogleActivities(path: string, batchLines = 2000): Promise<GoogleActivityStream> {
  const reader = await openLineBatches<ActivityLineBatch>(path, { module: moduleUrl(import.meta.url, './parse-exports'), name: 'googleActivityLineMapper' }, { batchLines })
  return {
    size: reader.size,
    get bytesRead() {
      return reader.bytesRead
    },
    get sha256() {
      return reader.sha256
    },
    async next() {
      const { batch, done } = await reader.next()
      return { ...batch, done }
    },
    close: () => reader.close(),
  }
}

function tokensOf(file: string, r: LocatedRecord, fallbackUserKey: string | null, out: ParsedExport<GrantRecord>): void {
  const v = r.value
  if (!isObject(v)) throw new RecordError('tokens', 'not an object')
  // A bare token (has clientId), a tokens.list response ({items}), or a JSON line {userKey, items}.
  const tokens = typeof v.clientId === 'string' ? [v] : v.items ?? []
  if (!Array.isArray(tokens)) throw new RecordError('items', 'must be a list of tokens')
  const userKey = typeof v.userKey === 'string' && v.userKey !== '' && !('clientId' in v) ? v.userKey : fallbackUserKey
  tokens.forEach((token, i) => {
    out.read += 1
    const where = tokens.length > 1 || v.items ? `${r.where} items[${i}]` : r.where
    try {
      if (!isObject(token)) throw new RecordError('token', 'not an object')
      const t = token as GoogleToken
      const email = userKey?.includes('@') ? userKey.toLowerCase() : null
      const id = t.userKey ?? (userKey && !userKey.includes('@') ? userKey : null)
      if (!id) throw new RecordError('userKey', 'missing: a token needs the Google user id (token userKey) to name its user')
      out.records.push(mapGoogleToken(t, { id, email }))
    } catch (error) {
      out.errors.push(describe(file, where, error))
    }
  })
}

/**
 * Directory tokens.list responses: a file per user named `<userKey>.json` (as the demo writes under
 * `google/tokens/`), a folder of them, or JSON lines of `{userKey, items}`.
 */
export async function parseGoogleTokensExport(path: string): Promise<ParsedExport<GrantRecord>> {
  let files: string[]
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path)).filter((f) => /\.(json|jsonl|ndjson)$/i.test(f)).sort().map((f) => join(path, f))
      : [path]
  } catch (cause) {
    throw new CollectorError('invalid-config', `google-workspace: read ${path}: ${(cause as Error).message}`, { cause })
  }
  if (files.length === 0) throw new CollectorError('bad-data', `google-workspace: read ${path}: no .json or .jsonl token files in this folder`)
  const out: ParsedExport<GrantRecord> = { files, read: 0, records: [], errors: [] }
  for (const file of files) {
    const json = await readJsonExport(file, () => null)
    out.errors.push(...json.errors)
    const stem = basename(file, extname(file))
    // A per-user file is named after its userKey; a JSON-lines file carries the userKey on each line.
    const fallback = json.records.length === 1 ? decodeURIComponent(stem) : null
    for (const r of json.records) {
      try {
        tokensOf(json.file, r, fallback, out)
      } catch (error) {
        out.errors.push(describe(json.file, r.where, error))
      }
    }
  }
  return out
}

/**
 * Chrome audit activities (`applicationName=chrome`): `activities.list` pages, a JSON array, JSON lines, or the SIEM
 * shape with `events` as one object. Extension installs and requests → device software; logins and unsafe-site
 * visits → telemetry on the URL's host.
 */
export async function parseChromeActivitiesExport(path: string): Promise<ParsedExport<ChromeRecord>> {
  const json = await readJsonExport(path, activitiesOfPage)
  const out: ParsedExport<ChromeRecord> = { files: [path], read: json.records.length, records: [], errors: [...json.errors] }
  for (const r of json.records) {
    try {
      if (!isObject(r.value)) throw new RecordError('activity', 'not an object')
      out.records.push(...mapChromeActivity(r.value as GoogleActivity))
    } catch (error) {
      out.errors.push(describe(json.file, r.where, error))
    }
  }
  return out
}

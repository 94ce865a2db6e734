import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Collector, CollectorContext, CollectorManifest, Page } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import type { AccountRecord, ObservedRecord } from '../sdk/records.js'
import type { OktaKind, OktaLogStats } from './collector.js'
import { JsonPager, type PagedFile, type PagedRecord } from './json-pager.js'
import { accountFromOktaAppUser, OKTA_ORG_APP, OktaRecordError, personFromOktaUser, sourceAppFromOktaApp } from './map-directory.js'
import { mapOktaLogEvent, type MappedLogEvent, type MembershipEvent } from './map-system-log.js'
import { JsonFileError } from './read-json-records.js'
import { isJsonLinesFile } from '../sdk/json-lines.js'
import { moduleUrl, OnePassCursor, openLineBatches, type LineBatchMapper } from '../sdk/line-batches.js'
import type { OktaApp, OktaAppUser, OktaLogEvent, OktaUser } from './wire-types.js'

const PAGE_SIZE = 1000

export interface OktaFileStats extends OktaLogStats {
  records: number
  /** System Log events among the records. */
  logEvents: number
  /** Events that are not access, by event type (and why, for access types without a user or an app). */
  skippedBy: Record<string, number>
}

function newStats(): OktaFileStats {
  return { records: 0, logEvents: 0, membershipAdds: 0, membershipRemoves: 0, history: 0, skipped: 0, skippedBy: {} }
}

/** What the demo (and a script dumping the API) writes in an `okta/` directory. */
export const OKTA_DIR_LAYOUT = {
  users: 'users.json',
  apps: 'apps.json',
  appUsers: 'app-users',
  systemLog: ['system-log.jsonl', 'system-log.json'],
} as const

type FileCollector<K extends string> = Collector<unknown, ObservedRecord, K> & {
  readonly stats: OktaFileStats
  /** Stops the System Log reader thread, if one was started; call it however the import ends. */
  close(): Promise<void>
  /** The System Log file's SHA-256 if its reader hashed it while reading. */
  readonly logSha256: string | undefined
}

function describe(component: string, paged: PagedRecord, message: string): string {
  return `${component}: ${basename(paged.file.path)}: line ${paged.record.line}: ${message}`
}

/** Maps one page of records, reporting each bad one (file, line, field) and keeping the rest. */
function mapRecords<T>(
  ctx: CollectorContext<unknown>,
  component: string,
  kind: string,
  records: readonly PagedRecord[],
  map: (value: T, file: PagedFile) => ObservedRecord | null,
  stats: OktaFileStats,
): ObservedRecord[] {
  const out: ObservedRecord[] = []
  for (const paged of records) {
    stats.records++
    const item = `${basename(paged.file.path)}:${paged.record.line}`
    if ('error' in paged.record) {
      ctx.reportItemError({ kind, item, code: 'bad-data', message: describe(component, paged, paged.record.error) })
      continue
    }
    const value = paged.record.value
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      ctx.reportItemError({ kind, item, code: 'bad-data', message: describe(component, paged, 'not a JSON object') })
      continue
    }
    try {
      const record = map(value as T, paged.file)
      if (record) out.push(record)
    } catch (error) {
      if (!(error instanceof OktaRecordError)) throw error
      ctx.reportItemError({ kind, item, code: 'bad-data', message: describe(component, paged, error.message) })
    }
  }
  return out
}

async function readPage(pager: JsonPager, cursor: string | null): Promise<Awaited<ReturnType<JsonPager['page']>>> {
  try {
    return await pager.page(cursor, PAGE_SIZE)
  } catch (error) {
    if (error instanceof JsonFileError) throw new CollectorError('bad-data', error.message, { cause: error })
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CollectorError('invalid-config', `okta: read: ${(error as Error).message}`, { cause: error })
    throw error
  }
}

/** Keeps the latest membership change per app × user, so the file's order does not matter. */
function foldMembership(latest: Map<string, MembershipEvent>, event: MembershipEvent): void {
  const key = `${event.appId ?? event.appLabel}\u0000${event.userId}`
  const seen = latest.get(key)
  if (!seen || seen.occurredAt <= event.occurredAt) latest.set(key, event)
}

/** One System Log record as the reader saw it: mapped, or why it could not be. */
type LogEntry = { line: number; file: string; mapped: MappedLogEvent } | { line: number; file: string; error: string }

/** One batch of a JSON-lines System Log, mapped in the reader thread. */
interface LogLineBatch {
  entries: LogEntry[]
}

function mapLogValue(value: unknown, line: number, file: string): LogEntry {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, file, error: 'not a JSON object' }
  try {
    return { line, file, mapped: mapOktaLogEvent(value as OktaLogEvent) }
  } catch (error) {
    if (!(error instanceof OktaRecordError)) throw error
    return { line, file, error: error.message }
  }
}

/** The reader thread's mapper for JSON-lines System Log exports (see collectors/sdk/line-batches.ts). */
export function oktaLogLineMapper(file: string): LineBatchMapper<LogLineBatch> {
  let entries: LogEntry[] = []
  return {
    line(line, value, error) {
      entries.push(error !== null ? { line, file, error: `not valid JSON (${error})` } : mapLogValue(value, line, file))
    },
    take() {
      const batch = { entries }
      entries = []
      return batch
    },
  }
}

/** The System Log's records a page at a time: JSON lines through a reader thread, a JSON array in place. */
interface LogReader {
  page(cursor: string | null): Promise<{ entries: LogEntry[]; next: string | null }>
  /** The file's SHA-256 when the reader thread hashed it on its way through (JSON lines, read to the end). */
  readonly sha256: string | undefined
  close(): Promise<void>
}

async function openLogReader(path: string | null): Promise<LogReader> {
  if (path && (await isJsonLinesFile(path))) {
    const lines = await openLineBatches<LogLineBatch>(path, { module: moduleUrl(import.meta.url, './file-collectors'), name: 'oktaLogLineMapper' }, { batchLines: PAGE_SIZE })
    const pages = new OnePassCursor(`okta: ${basename(path)}`)
    return {
      async page(cursor) {
        pages.check(cursor)
        const { batch, done } = await lines.next().catch((error: unknown) => {
          throw new CollectorError('bad-data', `okta: ${(error as Error).message}`, { cause: error })
        })
        return { entries: batch.entries, next: pages.advance(done) }
      },
      get sha256() {
        return lines.sha256
      },
      close: () => lines.close(),
    }
  }
  const pager = new JsonPager(path ? [{ path }] : [])
  return {
    async page(cursor) {
      const page = await readPage(pager, cursor)
      const entries = page.records.map((paged): LogEntry => {
        const file = basename(paged.file.path)
        return 'error' in paged.record ? { line: paged.record.line, file, error: paged.record.error } : mapLogValue(paged.record.value, paged.record.line, file)
      })
      return { entries, next: page.next }
    },
    sha256: undefined,
    close: async () => undefined,
  }
}

/** Sign-ins of a page of log entries; memberships and other events are counted (and folded, when given a map). */
function signinsOf(ctx: CollectorContext<unknown>, component: string, entries: readonly LogEntry[], stats: OktaFileStats, memberships: Map<string, MembershipEvent> | null): ObservedRecord[] {
  const out: ObservedRecord[] = []
  for (const entry of entries) {
    stats.records++
    stats.logEvents++
    if ('error' in entry) {
      ctx.reportItemError({ kind: 'signin', item: `${entry.file}:${entry.line}`, code: 'bad-data', message: `${component}: ${entry.file}: line ${entry.line}: ${entry.error}` })
      continue
    }
    const mapped = entry.mapped
    if (mapped.kind === 'signin') out.push(mapped.record)
    else if (mapped.kind === 'membership') {
      stats[mapped.event.change === 'add' ? 'membershipAdds' : 'membershipRemoves']++
      if (memberships) foldMembership(memberships, mapped.event)
    } else if (mapped.kind === 'history') stats.history++
    else {
      stats.skipped++
      stats.skippedBy[mapped.reason] = (stats.skippedBy[mapped.reason] ?? 0) + 1
    }
  }
  return out
}

/**
 * A System Log export on its own (JSON array or JSON lines): sign-ins, and — since no assignment listing
 * comes with it — the assignments whose last membership event in the file is an add. Nothing is marked gone.
 */
export function createOktaLogFileCollector(path: string): FileCollector<'signin' | 'account'> {
  let reader: Promise<LogReader> | null = null
  let opened: LogReader | null = null
  const stats = newStats()
  const memberships = new Map<string, MembershipEvent>()
  const manifest: CollectorManifest<'signin' | 'account'> = {
    id: 'okta',
    description: 'Okta System Log export (JSON array or JSON lines)',
    config: [],
    scopes: [],
    kinds: ['signin', 'account'],
    snapshotKinds: [],
  }
  return {
    manifest,
    stats,
    async validate() {
      if (!existsSync(path)) throw new CollectorError('invalid-config', `okta: import system log: no such file: ${path}`)
    },
    async list(kind, request, ctx): Promise<Page<ObservedRecord>> {
      if (kind === 'account') {
        const accounts: AccountRecord[] = []
        for (const m of memberships.values()) {
          if (m.change !== 'add' || !m.appLabel) continue
          accounts.push({
            type: 'account',
            app: { signals: [{ kind: 'sso_app', value: m.appLabel }] },
            externalId: `${m.appId ?? m.appLabel}/${m.userId}`,
            userExternalId: m.userId,
            email: m.email,
            status: 'ACTIVE',
            createdAt: m.occurredAt,
          })
        }
        return { items: accounts, next: null }
      }
      opened = await (reader ??= openLogReader(path))
      const page = await opened.page(request.cursor)
      return { items: signinsOf(ctx, 'okta', page.entries, stats, memberships), next: page.next }
    },
    get logSha256() {
      return opened?.sha256
    },
    async close() {
      await (await reader)?.close()
    },
  }
}

function listJsonFiles(dir: string): PagedFile[] {
  return readdirSync(dir)
    .filter((name) => /\.(json|jsonl)$/.test(name))
    .sort()
    .map((name) => ({ path: join(dir, name), tag: name.replace(/\.(json|jsonl)$/, '') }))
}

/**
 * The `okta/` directory as the demo (or an API dump) writes it: users, apps, one assignments file per app
 * (named by app id) and the System Log. A listing that is present is complete, so a completed import marks
 * what it no longer lists as gone; a listing that is absent says nothing.
 */
export function createOktaDirectoryCollector(dir: string): FileCollector<OktaKind> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CollectorError('invalid-config', `okta-dir: import: not a directory: ${dir}`)
  const at = (name: string) => join(dir, name)
  const usersFile = existsSync(at(OKTA_DIR_LAYOUT.users)) ? [{ path: at(OKTA_DIR_LAYOUT.users) }] : []
  const appsFile = existsSync(at(OKTA_DIR_LAYOUT.apps)) ? [{ path: at(OKTA_DIR_LAYOUT.apps) }] : []
  const appUsersDir = at(OKTA_DIR_LAYOUT.appUsers)
  const appUserFiles = existsSync(appUsersDir) ? listJsonFiles(appUsersDir) : null
  const logName = OKTA_DIR_LAYOUT.systemLog.find((name) => existsSync(at(name)))
  if (usersFile.length === 0 && appsFile.length === 0 && !appUserFiles && !logName) {
    throw new CollectorError('invalid-config', `okta-dir: import: ${dir} has none of users.json, apps.json, app-users/, system-log.jsonl`)
  }
  const pagers: Record<Exclude<OktaKind, 'signin'>, JsonPager> = {
    person: new JsonPager(usersFile),
    app: new JsonPager(appsFile),
    account: new JsonPager(appUserFiles ?? []),
  }
  let logReader: Promise<LogReader> | null = null
  const snapshotKinds: OktaKind[] = []
  if (usersFile.length > 0) snapshotKinds.push('person')
  if (appsFile.length > 0) snapshotKinds.push('app')
  if (appUserFiles) snapshotKinds.push('account')
  const stats = newStats()
  return {
    manifest: { id: 'okta', description: 'Okta directory export (users, apps, app assignments, System Log)', config: [], scopes: [], kinds: ['person', 'app', 'account', 'signin'], snapshotKinds },
    stats,
    async validate() {},
    async list(kind, request, ctx): Promise<Page<ObservedRecord>> {
      if (kind === 'signin') {
        const log = await (await (logReader ??= openLogReader(logName ? at(logName) : null))).page(request.cursor)
        return { items: signinsOf(ctx, 'okta-dir', log.entries, stats, null), next: log.next }
      }
      const page = await readPage(pagers[kind], request.cursor)
      let items: ObservedRecord[]
      switch (kind) {
        case 'person':
          items = mapRecords<OktaUser>(ctx, 'okta-dir', kind, page.records, personFromOktaUser, stats)
          break
        case 'app':
          items = mapRecords<OktaApp>(ctx, 'okta-dir', kind, page.records, sourceAppFromOktaApp, stats)
          if (request.cursor === null) items.unshift(OKTA_ORG_APP)
          break
        case 'account':
          items = mapRecords<OktaAppUser>(ctx, 'okta-dir', kind, page.records, (u, file) => accountFromOktaAppUser(file.tag as string, u), stats)
          break
      }
      return { items, next: page.next }
    },
    // The directory is hashed whole; its System Log alone is not what the run records.
    logSha256: undefined,
    async close() {
      await (await logReader)?.close()
    },
  }
}

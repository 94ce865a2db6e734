import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Store } from '../../data/connection.js'
import { CollectorError } from '../sdk/errors.js'
import { importFileWithCollector, type FileImporter, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import type { EntraKind } from './collector.js'
import { ENTRA_SOURCE } from './config.js'
import { createEntraFileCollector } from './file-collector.js'
import { parseSigninFile, SigninFileError, streamSigninLines } from './parse-signins.js'
import { isJsonLinesFile } from '../sdk/json-lines.js'
import { OnePassCursor } from '../sdk/line-batches.js'
import type { Collector } from '../sdk/contract.js'
import type { ObservedRecord } from '../sdk/records.js'
import { DIRECTORY_FILES, DirectoryFileError, readEntraDirectory } from './read-directory.js'
import { resolveEntraGrantClients } from './resolve-grant-clients.js'

/** Who re-keys grants stored by object id when a directory import brings their service principals. */
const IMPORT_ACTOR = 'system:entra-import'

async function readOrExplain<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof SigninFileError || error instanceof DirectoryFileError) throw new CollectorError('bad-data', `entra: import: ${error.message}`, { cause: error })
    throw error
  }
}

/**
 * `sightline import signins --format entra FILE`: Graph pages or JSON lines, the admin center's CSV or
 * JSON download, or an Azure Monitor diagnostic-settings export. Sign-ins are events: nothing is marked gone.
 */
export const importEntraSignins: FileImporter = async (store, path, options) => {
  if (await readOrExplain(() => isJsonLinesFile(path))) return importSigninLines(store, path, options)
  const parsed = await readOrExplain(() => parseSigninFile(path))
  const collector = createEntraFileCollector({ description: `Entra sign-ins (${parsed.layout})`, kinds: ['signin'], snapshotKinds: [], records: { signin: parsed.records }, errors: parsed.errors })
  const summary = await importFileWithCollector(store, path, collector, null, {
    ...options,
    layout: parsed.layout,
    source: ENTRA_SOURCE,
    count: { read: 'signin.read', imported: 'signin.imported', duplicates: 'signin.duplicates' },
  })
  return { ...summary, read: parsed.read }
}

const LINES_PER_PAGE = 2000

/** JSON-lines exports stream a page of lines at a time (flat memory for multi-GB event-hub captures). */
async function importSigninLines(store: Store, path: string, options: FileImportOptions): Promise<FileImportSummary> {
  const stream = await streamSigninLines(path, LINES_PER_PAGE)
  let read = 0
  const cursor = new OnePassCursor(`entra: ${stream.file}`)
  const collector: Collector<null, ObservedRecord, 'signin'> = {
    manifest: { id: 'entra', description: 'Entra sign-ins (JSON lines)', config: [], scopes: [], kinds: ['signin'], snapshotKinds: [] },
    async validate() {},
    async list(_kind, request, ctx) {
      cursor.check(request.cursor)
      const page = await stream.next()
      read += page.read
      page.errors.forEach((message) => ctx.reportItemError({ kind: 'signin', item: stream.file, code: 'bad-data', message }))
      return { items: page.records, next: cursor.advance(page.done), progress: { done: Math.min(stream.bytesRead, stream.size), total: stream.size, unit: 'bytes' } }
    },
  }
  try {
    const summary = await importFileWithCollector(store, path, collector, null, {
      ...options,
      layout: 'graph-jsonl',
      source: ENTRA_SOURCE,
      readerSha256: () => stream.sha256,
      count: { read: 'signin.read', imported: 'signin.imported', duplicates: 'signin.duplicates' },
    })
    return { ...summary, layout: stream.layout, read }
  } finally {
    await stream.close()
  }
}

export interface EntraDirectoryImportOptions extends FileImportOptions {
  /** The tenant's id for tenant-wide consents when the dump has no organization.json. */
  tenantId?: string
}

async function importDirectory(store: Store, path: string, options: EntraDirectoryImportOptions, only?: 'users'): Promise<FileImportSummary> {
  const dump = await readOrExplain(() => readEntraDirectory(path, { tenantId: options.tenantId, only }))
  const listed: EntraKind[] = []
  if (dump.kinds.includes('person')) listed.push('person')
  if (dump.kinds.includes('app')) listed.push('app')
  const hasGrants = dump.kinds.includes('grant') || dump.read.grants > 0
  if (hasGrants) listed.push('grant')
  // Grants kept by object id by an earlier import are named first, so this import's grants land on their rows.
  const sps = dump.servicePrincipals
  if (sps) {
    const byId = new Map(sps.map((sp) => [sp.id.toLowerCase(), sp]))
    await resolveEntraGrantClients(store.db, {
      servicePrincipal: (id) => byId.get(id),
      resolver: options.resolver,
      actor: IMPORT_ACTOR,
      at: (options.now?.() ?? new Date()).toISOString(),
    })
  }
  const collector = createEntraFileCollector({
    description: 'Entra directory dump (Graph JSON)',
    kinds: listed,
    // Each listing read in full is a snapshot: what it no longer holds is gone (grants: revoked).
    snapshotKinds: dump.kinds,
    records: { person: dump.people, app: dump.apps, grant: dump.grants },
    errors: dump.errors,
  })
  const grantsOnly = only !== 'users' && !dump.kinds.includes('person')
  // The SDK hashes one file per import: for a folder, the listing that names the import.
  const isDir = (await stat(path)).isDirectory()
  const fileForRun = isDir ? join(path, only === 'users' ? DIRECTORY_FILES.users : hasGrants ? DIRECTORY_FILES.grants : DIRECTORY_FILES.servicePrincipals) : path
  const summary = await importFileWithCollector(store, fileForRun, collector, null, {
    ...options,
    layout: only === 'users' ? 'graph-users' : grantsOnly ? 'graph-grants' : 'graph-directory',
    source: ENTRA_SOURCE,
    count: only === 'users' ? { read: 'person.read', imported: 'person.inserted' } : { read: 'grant.read', imported: 'grant.written' },
  })
  const c = summary.counts
  const people = (c['person.inserted'] ?? 0) + (c['person.updated'] ?? 0) + (c['person.unchanged'] ?? 0)
  return only === 'users'
    ? { ...summary, file: path, read: dump.read.users, imported: people }
    : { ...summary, file: path, read: dump.read.grants, imported: c['grant.written'] ?? 0, ...(dump.warnings.length ? { warnings: dump.warnings } : {}) }
}

/**
 * `sightline import grants --format graph-grants PATH`: the demo's `entra/` folder (users, service
 * principals, app role assignments, grants), or an oauth2PermissionGrants file — with servicePrincipals.json
 * beside it, or alone (clients kept by object id, one warning, resolved when the service principals come).
 */
export const importEntraGrants: FileImporter = (store, path, options) => importDirectory(store, path, options)

/** The same, with the tenant id for tenant-wide consents when the dump lacks organization.json. */
export function importEntraGrantsForTenant(tenantId: string): FileImporter {
  return (store, path, options) => importDirectory(store, path, { ...options, tenantId })
}

/** Entra users (GET /users JSON, or a folder holding users.json) as people. */
export const importEntraUsers: FileImporter = (store, path, options) => importDirectory(store, path, options, 'users')

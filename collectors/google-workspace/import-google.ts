import type { Store } from '../../data/connection.js'
import type { Collector } from '../sdk/contract.js'
import { importFileWithCollector, type FileImporter, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import type { ObservedRecord } from '../sdk/records.js'
import { GOOGLE_MANIFEST } from './collector.js'
import { parseGoogleActivitiesExport, parseGoogleTokensExport, parseGoogleUsersExport, streamGoogleActivities, type ParsedExport } from './parse-exports.js'
import { OnePassCursor } from '../sdk/line-batches.js'
import { isJsonLinesFile } from '../sdk/json-lines.js'

const PAGE = 500

/**
 * Parsed export records as a collector (cursor = record offset). Exports may cover part of the tenant,
 * so nothing is a snapshot: a file import never marks people gone or grants revoked by absence.
 */
function createExportCollector(parsed: ParsedExport, layout: string): Collector<null, ObservedRecord, 'records'> {
  return {
    manifest: { id: GOOGLE_MANIFEST.id, description: `Google Workspace export (${layout})`, config: [], scopes: [], kinds: ['records'], snapshotKinds: [] },
    async validate(ctx) {
      parsed.errors.forEach((message, i) => ctx.reportItemError({ kind: layout, item: String(i + 1), code: 'bad-data', message }))
    },
    async list(_kind, request) {
      const start = request.cursor === null ? 0 : Number(request.cursor)
      const end = Math.min(parsed.records.length, start + PAGE)
      return { items: parsed.records.slice(start, end), next: end < parsed.records.length ? String(end) : null, progress: { done: end, total: parsed.records.length, unit: 'records' } }
    },
  }
}

/** One transaction for the whole export under source `google`, so file and live records merge. */
async function importParsed(
  store: Store,
  path: string,
  parsed: ParsedExport,
  options: FileImportOptions,
  layout: string,
  count: { imported: readonly string[]; duplicates?: string },
): Promise<FileImportSummary> {
  return importFileWithCollector(store, path, createExportCollector(parsed, layout), null, {
    ...options,
    layout,
    source: GOOGLE_MANIFEST.id,
    sourceKey: `file:${layout}:${path}`,
    count: { read: () => parsed.read, ...count },
  })
}

/** `sightline import signins --format google FILE`: Reports API activities (login, saml → sign-ins; token → grant history). */
export const importGoogleActivities: FileImporter = async (store, path, options) => {
  if (await isJsonLinesFile(path)) return importActivityLines(store, path, options)
  return importParsed(store, path, await parseGoogleActivitiesExport(path), options, 'google', { imported: ['signin.imported', 'grant.written', 'grant.revoked'], duplicates: 'signin.duplicates' })
}

const LINES_PER_PAGE = 2000

/** JSON-lines activity logs (months of logins) stream a batch of lines at a time: flat memory. */
async function importActivityLines(store: Store, path: string, options: FileImportOptions): Promise<FileImportSummary> {
  const stream = await streamGoogleActivities(path, LINES_PER_PAGE)
  let read = 0
  let page = 0
  const cursor = new OnePassCursor(`google-workspace: ${path}`)
  const collector: Collector<null, ObservedRecord, 'records'> = {
    manifest: { id: GOOGLE_MANIFEST.id, description: 'Google Workspace export (google, JSON lines)', config: [], scopes: [], kinds: ['records'], snapshotKinds: [] },
    async validate() {},
    async list(_kind, request, ctx) {
      cursor.check(request.cursor)
      const batch = await stream.next()
      read += batch.read
      batch.errors.forEach((message, i) => ctx.reportItemError({ kind: 'google', item: `${page}.${i}`, code: 'bad-data', message }))
      page += 1
      return { items: batch.records, next: cursor.advance(batch.done), progress: { done: Math.min(stream.bytesRead, stream.size), total: stream.size, unit: 'bytes' } }
    },
  }
  try {
    return await importFileWithCollector(store, path, collector, null, {
      ...options,
      layout: 'google',
      source: GOOGLE_MANIFEST.id,
      sourceKey: `file:google:${path}`,
      readerSha256: () => stream.sha256,
      count: { read: () => read, imported: ['signin.imported', 'grant.written', 'grant.revoked'], duplicates: 'signin.duplicates' },
    })
  } finally {
    await stream.close()
  }
}

/** `sightline import grants --format google-tokens FILE|DIR`: Directory tokens.list responses. */
export const importGoogleTokens: FileImporter = async (store, path, options) =>
  importParsed(store, path, await parseGoogleTokensExport(path), options, 'google-tokens', { imported: ['grant.written', 'grant.revoked'] })

/** `sightline import people --format google-users FILE`: Directory users.list responses. */
export const importGoogleUsers: FileImporter = async (store, path, options) =>
  importParsed(store, path, await parseGoogleUsersExport(path), options, 'google-users', { imported: ['person.inserted', 'person.updated', 'person.unchanged', 'person.unmatched'] })

/** Format id → importer, for the CLI's `--format` dispatch. */
export const GOOGLE_IMPORTERS: Readonly<Record<'google' | 'google-tokens' | 'google-users', FileImporter>> = Object.freeze({
  google: importGoogleActivities,
  'google-tokens': importGoogleTokens,
  'google-users': importGoogleUsers,
})

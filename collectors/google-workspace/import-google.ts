import { createHash } from 'node:crypto'
import type { Store } from '../../data/connection.js'
import type { Collector } from '../sdk/contract.js'
import { sha256File } from '../sdk/file-hash.js'
import type { FileImporter, FileImportOptions, FileImportSummary } from '../sdk/import-file.js'
import { InventoryWriter } from '../sdk/inventory-writer.js'
import type { ObservedRecord } from '../sdk/records.js'
import { runCollector } from '../sdk/runner.js'
import { GOOGLE_MANIFEST } from './collector.js'
import { parseGoogleActivitiesExport, parseGoogleTokensExport, parseGoogleUsersExport, type ParsedExport } from './parse-exports.js'

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

async function fingerprint(files: readonly string[]): Promise<string> {
  if (files.length === 1) return sha256File(files[0] as string)
  const hash = createHash('sha256')
  for (const f of files) hash.update(`${f}\u0000${await sha256File(f)}\n`)
  return hash.digest('hex')
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
  const writer = new InventoryWriter(options.resolver, store.sqlite)
  const result = await runCollector<null, ObservedRecord, 'records'>({
    store,
    collector: createExportCollector(parsed, layout),
    config: null,
    sourceKey: `file:${layout}:${path}`,
    source: GOOGLE_MANIFEST.id,
    mode: 'file',
    transaction: 'run',
    fresh: true,
    file: { name: path, sha256: await fingerprint(parsed.files) },
    write: writer.write,
    onProgress: options.onProgress,
    now: options.now,
  })
  if (result.error) throw result.error
  const c = result.counts
  return {
    file: path,
    layout,
    read: parsed.read,
    imported: count.imported.reduce((sum, key) => sum + (c[key] ?? 0), 0),
    duplicates: count.duplicates ? (c[count.duplicates] ?? 0) : 0,
    rejected: result.itemErrors.length,
    status: result.status,
    runId: result.runId,
    errors: result.itemErrors.map((e) => e.message),
    counts: c,
  }
}

/** `sightline import signins --format google FILE`: Reports API activities (login, saml → sign-ins; token → grant history). */
export const importGoogleActivities: FileImporter = async (store, path, options) =>
  importParsed(store, path, await parseGoogleActivitiesExport(path), options, 'google', { imported: ['signin.imported'], duplicates: 'signin.duplicates' })

/** `sightline import grants --format google-tokens FILE|DIR`: Directory tokens.list responses. */
export const importGoogleTokens: FileImporter = async (store, path, options) =>
  importParsed(store, path, await parseGoogleTokensExport(path), options, 'google-tokens', { imported: ['grant.written', 'grant.revoked'] })

/** `sightline import people --format google-users FILE`: Directory users.list responses. */
export const importGoogleUsers: FileImporter = async (store, path, options) =>
  importParsed(store, path, await parseGoogleUsersExport(path), options, 'google-users', { imported: ['person.inserted', 'person.updated', 'person.unchanged'] })

/** Format id → importer, for the CLI's `--format` dispatch. */
export const GOOGLE_IMPORTERS: Readonly<Record<'google' | 'google-tokens' | 'google-users', FileImporter>> = Object.freeze({
  google: importGoogleActivities,
  'google-tokens': importGoogleTokens,
  'google-users': importGoogleUsers,
})

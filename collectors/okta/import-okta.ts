import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import type { Store } from '../../data/connection.js'
import { sha256File } from '../sdk/file-hash.js'
import { importFileWithCollector, type FileImporter, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import { InventoryWriter } from '../sdk/inventory-writer.js'
import type { ObservedRecord } from '../sdk/records.js'
import { runCollector } from '../sdk/runner.js'
import type { OktaKind } from './collector.js'
import { createOktaDirectoryCollector, createOktaLogFileCollector } from './file-collectors.js'

const SIGNIN_COUNTS = { read: 'signin.read', imported: 'signin.imported', duplicates: 'signin.duplicates' }

/** Format `okta`: a System Log export (JSON array or JSON lines). Given the `okta/` directory, imports that instead. */
export const importOktaSystemLog: FileImporter = async (store, path, options) => {
  if (statSync(path).isDirectory()) return importOktaDirectory(store, path, options)
  const collector = createOktaLogFileCollector(path)
  return importFileWithCollector(store, path, collector, {}, { ...options, layout: 'okta-system-log', source: 'okta', count: SIGNIN_COUNTS })
}

/** A stable fingerprint of a directory: the path and SHA-256 of every file in it. */
async function sha256Directory(dir: string): Promise<string> {
  const hash = createHash('sha256')
  const walk = async (at: string): Promise<void> => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) await walk(path)
      else hash.update(`${relative(dir, path)}\u0000${await sha256File(path)}\n`)
    }
  }
  await walk(dir)
  return hash.digest('hex')
}

/**
 * Format `okta-dir`: the demo's `okta/` directory (users.json, apps.json, app-users/<appId>.json,
 * system-log.jsonl) in one transaction. `importFileWithCollector` hashes a single file, so this runs the
 * collector itself with a fingerprint of the whole directory.
 */
export async function importOktaDirectory(store: Store, path: string, options: FileImportOptions): Promise<FileImportSummary> {
  const collector = createOktaDirectoryCollector(path)
  const writer = new InventoryWriter(options.resolver, store.sqlite)
  const result = await runCollector<unknown, ObservedRecord, OktaKind>({
    store,
    collector,
    config: {},
    sourceKey: `dir:${basename(path)}`,
    source: 'okta',
    mode: 'file',
    transaction: 'run',
    fresh: true,
    file: { name: path, sha256: await sha256Directory(path) },
    write: writer.write,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.now ? { now: options.now } : {}),
    finalize: async (_tx, _run, counts) => {
      counts['log.membership-add'] = collector.stats.membershipAdds
      counts['log.membership-remove'] = collector.stats.membershipRemoves
      counts['log.skipped'] = collector.stats.skipped
    },
  })
  if (result.error) throw result.error
  const c = result.counts
  return {
    file: path,
    layout: 'okta-dir',
    read: collector.stats.records,
    imported: (c['signin.imported'] ?? 0) + (c['account.written'] ?? 0) + (c['app.written'] ?? 0) + (c['app.unresolved'] ?? 0) + Object.entries(c).filter(([k]) => /^person\.(inserted|updated|unchanged|without-email)$/.test(k)).reduce((n, [, v]) => n + v, 0),
    duplicates: c['signin.duplicates'] ?? 0,
    rejected: result.itemErrors.length,
    status: result.status,
    runId: result.runId,
    errors: result.itemErrors.map((e) => e.message),
    counts: c,
  }
}

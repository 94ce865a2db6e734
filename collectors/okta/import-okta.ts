import { statSync } from 'node:fs'
import { basename } from 'node:path'
import type { Store } from '../../data/connection.js'
import { importFileWithCollector, type FileImporter, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import { createOktaDirectoryCollector, createOktaLogFileCollector, type OktaFileStats } from './file-collectors.js'
import type { Counts } from '../sdk/contract.js'

/** The System Log's own counters, on the run and in the summary: every event is read, imported or skipped by type. */
function logCounts(stats: OktaFileStats, counts: Counts): void {
  counts['log.events'] = stats.logEvents
  counts['log.membership-add'] = stats.membershipAdds
  counts['log.membership-remove'] = stats.membershipRemoves
  counts['log.assignment-history'] = stats.history
  counts['log.skipped'] = stats.skipped
}

/** Format `okta`: a System Log export (JSON array or JSON lines). Given the `okta/` directory, imports that instead. */
export const importOktaSystemLog: FileImporter = async (store, path, options) => {
  if (statSync(path).isDirectory()) return importOktaDirectory(store, path, options)
  const collector = createOktaLogFileCollector(path)
  try {
    const summary = await importFileWithCollector(store, path, collector, {}, {
      ...options,
      layout: 'okta-system-log',
      source: 'okta',
      finalize: async (_tx, _run, counts) => logCounts(collector.stats, counts),
      count: { read: () => collector.stats.records, imported: ['signin.imported', 'account.written'], duplicates: 'signin.duplicates' },
      readerSha256: () => collector.logSha256,
    })
    return { ...summary, skippedBy: { ...summary.skippedBy, ...collector.stats.skippedBy } }
  } finally {
    await collector.close()
  }
}

/**
 * Format `okta-dir`: the demo's `okta/` directory (users.json, apps.json, app-users/<appId>.json,
 * system-log.jsonl) in one transaction, fingerprinted as a whole.
 */
export async function importOktaDirectory(store: Store, path: string, options: FileImportOptions): Promise<FileImportSummary> {
  const collector = createOktaDirectoryCollector(path)
  try {
    return await importFileWithCollector(store, path, collector, {}, {
      ...options,
      layout: 'okta-dir',
      source: 'okta',
      sourceKey: `dir:${basename(path)}`,
      finalize: async (_tx, _run, counts) => logCounts(collector.stats, counts),
      count: {
        read: () => collector.stats.records,
        // Records read and stored. The Okta org itself is written as an app of every export but read from no file,
        // so it is not counted; directory users the roster does not list are stored as identities (unmatched).
        imported: (c) =>
          (c['signin.imported'] ?? 0) + (c['account.written'] ?? 0) + Math.max(0, (c['app.written'] ?? 0) + (c['app.unresolved'] ?? 0) - 1) +
          Object.entries(c).filter(([k]) => /^person\.(inserted|updated|unchanged|without-email|unmatched)$/.test(k)).reduce((n, [, v]) => n + v, 0),
        duplicates: 'signin.duplicates',
      },
    }).then((summary) => ({ ...summary, skippedBy: { ...summary.skippedBy, ...collector.stats.skippedBy } }))
  } finally {
    await collector.close()
  }
}

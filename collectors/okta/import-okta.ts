import { statSync } from 'node:fs'
import { basename } from 'node:path'
import type { Store } from '../../data/connection.js'
import { importFileWithCollector, type FileImporter, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import { createOktaDirectoryCollector, createOktaLogFileCollector } from './file-collectors.js'

const SIGNIN_COUNTS = { read: 'signin.read', imported: 'signin.imported', duplicates: 'signin.duplicates' }

/** Format `okta`: a System Log export (JSON array or JSON lines). Given the `okta/` directory, imports that instead. */
export const importOktaSystemLog: FileImporter = async (store, path, options) => {
  if (statSync(path).isDirectory()) return importOktaDirectory(store, path, options)
  const collector = createOktaLogFileCollector(path)
  try {
    return await importFileWithCollector(store, path, collector, {}, { ...options, layout: 'okta-system-log', source: 'okta', count: SIGNIN_COUNTS, readerSha256: () => collector.logSha256 })
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
      finalize: async (_tx, _run, counts) => {
        counts['log.membership-add'] = collector.stats.membershipAdds
        counts['log.membership-remove'] = collector.stats.membershipRemoves
        counts['log.skipped'] = collector.stats.skipped
      },
      count: {
        read: () => collector.stats.records,
        // Records read and stored (or applied, for membership events): never more than were read. The Okta org
        // itself is written as an app of every export but read from no file, so it is not counted.
        imported: (c) =>
          (c['signin.imported'] ?? 0) + (c['account.written'] ?? 0) + Math.max(0, (c['app.written'] ?? 0) + (c['app.unresolved'] ?? 0) - 1) +
          (c['log.membership-add'] ?? 0) + (c['log.membership-remove'] ?? 0) +
          Object.entries(c).filter(([k]) => /^person\.(inserted|updated|unchanged|without-email|unmatched)$/.test(k)).reduce((n, [, v]) => n + v, 0),
        duplicates: 'signin.duplicates',
      },
    })
  } finally {
    await collector.close()
  }
}

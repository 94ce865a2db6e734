import type { Store } from '../../data/connection.js'
import { importFileWithCollector, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import { createRosterCollector, type RosterConfig } from './collector.js'

/** The standard file summary (rejected = bad rows; duplicates counted apart), plus what a roster adds. */
export interface ImportSummary extends Omit<FileImportSummary, 'counts'> {
  inserted: number
  updated: number
  unchanged: number
  /** Roster identities seen before that this complete roster no longer lists (people are kept, not deleted). */
  missingFromRoster: string[]
  /** Rows kept with a field left empty (unknown status word, unreadable date), each naming file, line and field. */
  warnings: string[]
}

/** Imports one roster file in one transaction: a fatal error imports nothing; bad rows are reported, good rows kept. */
export async function importRoster(store: Store, config: RosterConfig, options: FileImportOptions): Promise<ImportSummary> {
  const collector = createRosterCollector(config)
  const result = await importFileWithCollector(store, config.path, collector, config, {
    ...options,
    layout: 'roster',
    source: 'hr',
    count: { read: () => collector.parsed()?.read ?? 0, imported: () => collector.parsed()?.rows.length ?? 0, duplicates: () => collector.parsed()?.duplicates.length ?? 0 },
  })
  const parsed = collector.parsed()!
  let missing: { email: string | null; external_id: string }[] = []
  if (result.status === 'completed' && (result.counts['gone.person'] ?? 0) > 0) {
    const run = await store.db.selectFrom('scan_runs').select('started_at').where('id', '=', result.runId).executeTakeFirstOrThrow()
    missing = await store.db
      .selectFrom('person_identities')
      .select(['email', 'external_id'])
      .where('source', '=', 'hr')
      .where('gone_at', '>=', run.started_at)
      .orderBy('email')
      .execute()
  }
  const c = result.counts
  return {
    file: config.path,
    layout: parsed.layout,
    read: result.read,
    imported: result.imported,
    duplicates: result.duplicates,
    rejected: parsed.rejected.length,
    status: result.status,
    runId: result.runId,
    inserted: c['person.inserted'] ?? 0,
    updated: c['person.updated'] ?? 0,
    unchanged: c['person.unchanged'] ?? 0,
    missingFromRoster: missing.map((m) => m.email ?? m.external_id),
    errors: result.errors,
    warnings: parsed.warnings.map((w) => `${parsed.file}: line ${w.line}: field ${w.field}: ${w.reason}`),
  }
}

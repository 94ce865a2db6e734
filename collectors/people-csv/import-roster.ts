import { linkCardLines } from '../../data/cardholders.js'
import type { Store } from '../../data/connection.js'
import { linkIdentitiesByEmail, recordRosterPresence, rosterPresence } from '../../data/people.js'
import { importFileWithCollector, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import { createRosterCollector, type RosterConfig } from './collector.js'

/** The standard file summary (rejected = bad rows; duplicates counted apart), plus what a roster adds. */
export interface ImportSummary extends Omit<FileImportSummary, 'counts'> {
  inserted: number
  updated: number
  unchanged: number
  /** Roster identities seen before that this complete roster no longer lists (people are kept, not deleted). */
  missingFromRoster: string[]
  /** Email → since when (UTC) the roster has not listed them. */
  missingSince: Record<string, string>
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
    // After marking gone, in the run's transaction: who the roster stopped (or started again) listing, and what
    // the directories and card statements imported earlier can now be linked to.
    finalize: async (tx, run, counts) => {
      const presence = await recordRosterPresence(tx, { at: run.now(), actor: 'system:hr-import' })
      counts['person.missing-from-roster'] = presence.missing.length
      counts['person.listed-again'] = presence.back.length
      counts['identity.linked'] = await linkIdentitiesByEmail(tx)
      counts['spend.linked'] = await linkCardLines(tx)
    },
  })
  const parsed = collector.parsed()!
  // A state, not a one-time message: everyone the roster stopped listing, on this import and every later one.
  const missing = result.status === 'completed' ? (await rosterPresence(store.db)).missing : []
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
    missingFromRoster: missing.map((m) => m.email),
    missingSince: Object.fromEntries(missing.map((m) => [m.email, m.since])),
    errors: result.errors,
    warnings: parsed.warnings.map((w) => `${parsed.file}: line ${w.line}: field ${w.field}: ${w.reason}`),
  }
}

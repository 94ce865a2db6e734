import { basename } from 'node:path'
import type { Store } from '../../data/connection.js'
import type { SignalResolver } from '../sdk/app-resolution.js'
import { sha256File } from '../sdk/file-hash.js'
import { InventoryWriter } from '../sdk/inventory-writer.js'
import type { ObservedRecord } from '../sdk/records.js'
import { runCollector, type ProgressEvent } from '../sdk/runner.js'
import { createRosterCollector, type RosterConfig } from './collector.js'
import type { RosterRowError } from './parse-roster.js'

export interface ImportSummary {
  file: string
  layout: string
  read: number
  imported: number
  duplicates: number
  rejected: number
  status: string
  runId: number
  inserted: number
  updated: number
  unchanged: number
  /** Roster identities seen before that this complete roster no longer lists (people are kept, not deleted). */
  missingFromRoster: string[]
  errors: string[]
}

/** Imports one roster file in one transaction: a fatal error imports nothing; bad rows are reported, good rows kept. */
export async function importRoster(
  store: Store,
  config: RosterConfig,
  options: { resolver: SignalResolver; onProgress?: (e: ProgressEvent) => void; now?: () => Date },
): Promise<ImportSummary> {
  const collector = createRosterCollector(config)
  const writer = new InventoryWriter(options.resolver, store.sqlite)
  const file = basename(config.path)
  const sha256 = await sha256File(config.path).catch(() => '')
  const result = await runCollector<RosterConfig, ObservedRecord, 'person'>({
    store,
    collector,
    config,
    sourceKey: `file:${file}`,
    source: 'hr',
    mode: 'file',
    transaction: 'run',
    fresh: true,
    file: { name: config.path, sha256 },
    write: writer.write,
    onProgress: options.onProgress,
    now: options.now,
  })
  if (result.error) throw result.error
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
  const describe = (e: RosterRowError) => `${parsed.file}: line ${e.line}: field ${e.field}: ${e.reason}`
  return {
    file: config.path,
    layout: parsed.layout,
    read: parsed.read,
    imported: parsed.rows.length,
    duplicates: parsed.duplicates.length,
    rejected: parsed.rejected.length,
    status: result.status,
    runId: result.runId,
    inserted: c['person.inserted'] ?? 0,
    updated: c['person.updated'] ?? 0,
    unchanged: c['person.unchanged'] ?? 0,
    missingFromRoster: missing.map((m) => m.email ?? m.external_id),
    errors: [...parsed.duplicates, ...parsed.rejected].sort((a, b) => a.line - b.line).map(describe),
  }
}

import type { Kysely } from 'kysely'
import type { Store } from '../../data/connection.js'
import type { Database } from '../../data/database.js'
import type { RunResult } from '../sdk/runner.js'
import { scanWithCollector, type LiveScanOptions } from '../sdk/scan-live.js'
import { createOktaCollector, OKTA_MANIFEST, type OktaKind } from './collector.js'
import { normalizeOktaConfig, type OktaConfig } from './config.js'

export type ScanOktaOptions = LiveScanOptions

/** Okta's System Log is eventually consistent: re-read a little before where the last scan started. */
const LOG_OVERLAP_MS = 15 * 60_000
const DEFAULT_LOOKBACK_MS = 30 * 86_400_000

/**
 * Where this scan starts reading the System Log: just before the start of the last run that read it to the
 * end, else `config.logSince`, else 30 days back. Re-read events are dropped by their uuid.
 */
export async function systemLogSince(db: Kysely<Database>, sourceKey: string, fallback: string): Promise<string> {
  const last = await db
    .selectFrom('scan_runs')
    .innerJoin('scan_checkpoints', 'scan_checkpoints.scan_run_id', 'scan_runs.id')
    .select('scan_runs.started_at')
    .where('scan_runs.collector', '=', OKTA_MANIFEST.id)
    .where('scan_runs.source_key', '=', sourceKey)
    .where('scan_checkpoints.kind', '=', 'signin')
    .where('scan_checkpoints.done', '=', 1)
    .orderBy('scan_runs.id', 'desc')
    .executeTakeFirst()
  if (!last) return fallback
  const since = new Date(Date.parse(last.started_at) - LOG_OVERLAP_MS).toISOString()
  return since > fallback ? since : fallback
}

/** One live scan of an Okta org, page by page: an interrupted scan resumes from its checkpoints. */
export async function scanOkta(store: Store, config: OktaConfig, options: ScanOktaOptions): Promise<RunResult> {
  const base = normalizeOktaConfig(config)
  const now = options.now ?? (() => new Date())
  const sourceKey = new URL(base.orgUrl).host
  const fallback = base.logSince ?? new Date(now().getTime() - DEFAULT_LOOKBACK_MS).toISOString()
  const frozen = Object.freeze({ ...base, logSince: await systemLogSince(store.db, sourceKey, fallback) })
  const collector = createOktaCollector(frozen)
  return scanWithCollector<Readonly<OktaConfig>, OktaKind>(store, collector, frozen, {
    ...options,
    source: 'okta',
    sourceKey,
    finalize: async (_tx, _run, counts) => {
      // Assignment changes are read from the assignment listing; the log's membership events are only counted.
      counts['log.membership-add'] = (counts['log.membership-add'] ?? 0) + collector.logStats.membershipAdds
      counts['log.membership-remove'] = (counts['log.membership-remove'] ?? 0) + collector.logStats.membershipRemoves
      counts['log.skipped'] = (counts['log.skipped'] ?? 0) + collector.logStats.skipped
      counts['log.assignment-history'] = (counts['log.assignment-history'] ?? 0) + collector.logStats.history
    },
  })
}

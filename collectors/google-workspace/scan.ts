import type { Store } from '../../data/connection.js'
import type { RunResult } from '../sdk/runner.js'
import { scanWithCollector, type LiveScanOptions } from '../sdk/scan-live.js'
import { createGoogleCollector, GOOGLE_MANIFEST, type GoogleKind } from './collector.js'
import type { GoogleConfig } from './config.js'

export type ScanGoogleOptions = LiveScanOptions

/** Reports data arrives hours late ("lag times" in the Reports API docs): re-read this much before the last scan. */
const EVENT_OVERLAP_MS = 12 * 3_600_000
/** The Reports API keeps about six months of login, token and SAML events. */
const RETENTION_MS = 180 * 86_400_000

export function googleSourceKey(config: GoogleConfig): string {
  return `google:${config.customer}`
}

/**
 * Where this scan's event listings start: just before the last scan that read them all (completed or partial),
 * so each scan reads only new events; duplicates from the overlap are dropped by event id.
 */
export async function googleEventStartTime(store: Store, config: GoogleConfig, now: Date): Promise<string> {
  if (config.startTime) return config.startTime
  const last = await store.db
    .selectFrom('scan_runs')
    .select('started_at')
    .where('collector', '=', GOOGLE_MANIFEST.id)
    .where('source_key', '=', googleSourceKey(config))
    .where('status', 'in', ['completed', 'partial'])
    .orderBy('id', 'desc')
    .executeTakeFirst()
  const floor = now.getTime() - Math.min(config.lookbackDays * 86_400_000, RETENTION_MS)
  const since = last ? Math.max(Date.parse(last.started_at) - EVENT_OVERLAP_MS, now.getTime() - RETENTION_MS) : floor
  return new Date(since).toISOString()
}

/** A live scan of Google Workspace into the inventory; each page commits with its checkpoint, so it resumes. */
export async function scanGoogle(store: Store, config: GoogleConfig, options: ScanGoogleOptions): Promise<RunResult> {
  const now = options.now ?? (() => new Date())
  const startTime = await googleEventStartTime(store, config, now())
  const scanConfig: GoogleConfig = Object.freeze({ ...config, startTime })
  return scanWithCollector<GoogleConfig, GoogleKind>(store, createGoogleCollector(scanConfig), scanConfig, {
    ...options,
    source: GOOGLE_MANIFEST.id,
    sourceKey: googleSourceKey(config),
  })
}

import type { Store } from '../../data/connection.js'
import type { SignalResolver } from './app-resolution.js'
import type { Collector } from './contract.js'
import { InventoryWriter } from './inventory-writer.js'
import type { ObservedRecord } from './records.js'
import type { RetryPolicy } from './retry.js'
import { runCollector, type ProgressEvent, type RunOptions, type RunResult } from './runner.js'

/** What every `scan<Source>(store, config, options)` takes. */
export interface LiveScanOptions {
  resolver: SignalResolver
  onProgress?: (event: ProgressEvent) => void
  /** Start over instead of resuming an interrupted scan of the same tenant. */
  fresh?: boolean
  retry?: Partial<RetryPolicy>
  signal?: AbortSignal
  now?: () => Date
}

/**
 * A live scan through the standard inventory writer, a transaction per page: each page commits with its
 * checkpoint, so an interrupted scan resumes, and only a completed one marks anything gone.
 */
export function scanWithCollector<Config, K extends string>(
  store: Store,
  collector: Collector<Config, ObservedRecord, K>,
  config: Config,
  options: LiveScanOptions & { source: string; sourceKey: string; finalize?: RunOptions<Config, ObservedRecord, K>['finalize'] },
): Promise<RunResult> {
  const writer = new InventoryWriter(options.resolver, store.sqlite)
  return runCollector<Config, ObservedRecord, K>({
    store,
    collector,
    config,
    sourceKey: options.sourceKey,
    source: options.source,
    mode: 'live',
    transaction: 'page',
    write: writer.write,
    fresh: options.fresh,
    retry: options.retry,
    signal: options.signal,
    onProgress: options.onProgress,
    now: options.now,
    finalize: options.finalize,
  })
}

import { basename } from 'node:path'
import type { Store } from '../../data/connection.js'
import { setRunFileHash } from '../../data/runs.js'
import type { SignalResolver } from './app-resolution.js'
import type { Collector, Counts } from './contract.js'
import { sha256Path } from './file-hash.js'
import { InventoryWriter } from './inventory-writer.js'
import type { ObservedRecord } from './records.js'
import { runCollector, type ProgressEvent, type RunOptions } from './runner.js'

/** What every `sightline import …` prints per file with --json. */
export interface FileImportSummary {
  file: string
  layout: string
  read: number
  imported: number
  duplicates: number
  rejected: number
  status: string
  runId: number
  /** Row- or record-level problems, each naming file, line/record and field. */
  errors: string[]
  counts: Counts
  /** Records read and deliberately left out (not access, payments, transfers…), by reason. */
  skippedBy?: Record<string, number>
  /** What the import could not know and how to complete it, once per file (not per row). */
  warnings?: string[]
}

export interface FileImportOptions {
  resolver: SignalResolver
  onProgress?: (event: ProgressEvent) => void
  now?: () => Date
}

/** A file importer as the CLI's `import signins|grants --format X` dispatch sees it. */
export type FileImporter = (store: Store, path: string, options: FileImportOptions) => Promise<FileImportSummary>

/** Which writer counters mean read / imported / duplicates: one name, several added up, or a function. */
type CountRule = string | readonly string[] | ((counts: Counts) => number)

function countOf(rule: CountRule | undefined, counts: Counts): number {
  if (rule === undefined) return 0
  if (typeof rule === 'function') return rule(counts)
  return (typeof rule === 'string' ? [rule] : rule).reduce((sum, key) => sum + (counts[key] ?? 0), 0)
}

/**
 * Records a file's SHA-256 on its run once the run has ended: the hash its reader took while reading, or — when
 * the reader stopped before the end (a refused file) — one taken now; an unreadable file stays without one.
 */
export async function recordFileHash(store: Store, runId: number, path: string, readerHash: string | undefined): Promise<void> {
  const sha256 = readerHash ?? (await sha256Path(path).catch(() => ''))
  if (sha256) await setRunFileHash(store.db, runId, sha256)
}

/**
 * Runs a file-mode collector as one transaction (all or nothing) through the standard inventory writer
 * and summarises the counters. The path may be a file or an export folder (hashed whole).
 */
export async function importFileWithCollector<Config, K extends string>(
  store: Store,
  path: string,
  collector: Collector<Config, ObservedRecord, K>,
  config: Config,
  options: FileImportOptions & {
    layout: string
    source: string
    count: { read: CountRule; imported: CountRule; duplicates?: CountRule }
    sourceKey?: string
    finalize?: RunOptions<Config, ObservedRecord, K>['finalize']
    /**
     * The file's SHA-256 as the collector's reader computed it while reading (undefined if it did not get to the
     * end): saves hashing a multi-GB export in a pass of its own before the import. Recorded when the run ends.
     */
    readerSha256?: () => string | undefined
  },
): Promise<FileImportSummary> {
  // One transaction for the whole file: the writer may keep per-run work for the end.
  const writer = new InventoryWriter(options.resolver, store.sqlite, { deferred: true })
  // A missing or unreadable file is the collector's to explain (validate fails, and the run records why).
  const sha256 = options.readerSha256 ? '' : await sha256Path(path).catch(() => '')
  let hashRecorded: string | undefined
  const result = await runCollector<Config, ObservedRecord, K>({
    store,
    collector,
    config,
    sourceKey: options.sourceKey ?? `file:${basename(path)}`,
    source: options.source,
    mode: 'file',
    transaction: 'run',
    fresh: true,
    file: { name: path, sha256 },
    write: writer.write,
    onProgress: options.onProgress,
    now: options.now,
    finalize: async (tx, run, counts) => {
      await writer.finish(tx)
      await options.finalize?.(tx, run, counts)
      // In the run's transaction: a write after it would wait behind another import that took the writer meanwhile.
      const read = options.readerSha256?.()
      if (read) await setRunFileHash(tx, run.runId, (hashRecorded = read))
    },
  })
  if (options.readerSha256 && (!hashRecorded || result.error)) await recordFileHash(store, result.runId, path, options.readerSha256())
  if (result.error) throw result.error
  const c = result.counts
  return {
    file: path,
    layout: options.layout,
    read: countOf(options.count.read, c),
    imported: countOf(options.count.imported, c),
    duplicates: countOf(options.count.duplicates, c),
    rejected: result.itemErrors.length,
    status: result.status,
    runId: result.runId,
    errors: result.itemErrors.map((e) => e.message),
    counts: c,
    ...(Object.keys(writer.skippedBy).length ? { skippedBy: { ...writer.skippedBy } } : {}),
  }
}

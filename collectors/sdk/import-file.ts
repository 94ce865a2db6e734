import { basename } from 'node:path'
import type { Store } from '../../data/connection.js'
import type { SignalResolver } from './app-resolution.js'
import type { Collector, Counts } from './contract.js'
import { sha256File } from './file-hash.js'
import { InventoryWriter } from './inventory-writer.js'
import type { ObservedRecord } from './records.js'
import { runCollector, type ProgressEvent } from './runner.js'

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
}

export interface FileImportOptions {
  resolver: SignalResolver
  onProgress?: (event: ProgressEvent) => void
  now?: () => Date
}

/** A file importer as the CLI's `import signins|grants --format X` dispatch sees it. */
export type FileImporter = (store: Store, path: string, options: FileImportOptions) => Promise<FileImportSummary>

/**
 * Runs a file-mode collector as one transaction (all or nothing) through the standard inventory writer
 * and summarises the counters. `readKey` etc. name the writer counters that mean read / imported / duplicates.
 */
export async function importFileWithCollector<Config, K extends string>(
  store: Store,
  path: string,
  collector: Collector<Config, ObservedRecord, K>,
  config: Config,
  options: FileImportOptions & { layout: string; source: string; count: { read: string; imported: string; duplicates?: string } },
): Promise<FileImportSummary> {
  const writer = new InventoryWriter(options.resolver, store.sqlite)
  const sha256 = await sha256File(path)
  const result = await runCollector<Config, ObservedRecord, K>({
    store,
    collector,
    config,
    sourceKey: `file:${basename(path)}`,
    source: options.source,
    mode: 'file',
    transaction: 'run',
    fresh: true,
    file: { name: path, sha256 },
    write: writer.write,
    onProgress: options.onProgress,
    now: options.now,
  })
  if (result.error) throw result.error
  const c = result.counts
  return {
    file: path,
    layout: options.layout,
    read: c[options.count.read] ?? 0,
    imported: c[options.count.imported] ?? 0,
    duplicates: options.count.duplicates ? (c[options.count.duplicates] ?? 0) : 0,
    rejected: result.itemErrors.length,
    status: result.status,
    runId: result.runId,
    errors: result.itemErrors.map((e) => e.message),
    counts: c,
  }
}

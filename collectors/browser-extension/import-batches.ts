import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import { z } from 'zod'
import type { Store } from '../../data/connection.js'
import type { FileImportOptions, FileImportSummary } from '../sdk/import-file.js'
import { CollectorError } from '../sdk/errors.js'
import { admitTelemetryBatch } from './ingest.js'
import { drainTelemetryInbox } from './inbox.js'

const lineSchema = z.object({ device: z.string().min(1).max(100).regex(/^[\p{L}\p{N}][\p{L}\p{N} ._@-]*$/u, 'not a device name'), batch: z.unknown() })

/**
 * Telemetry batches as devices post them, one `{device, batch}` per line (a capture of the endpoint's traffic, or the
 * demo company's). Each batch goes through the endpoint's own admission (schema, duplicate ids, replay by batch id)
 * and the same drain into the inventory — the only difference is that no token is checked.
 */
export async function importTelemetryBatches(store: Store, path: string, options: FileImportOptions): Promise<FileImportSummary> {
  const file = basename(path)
  const errors: string[] = []
  let read = 0
  let replayed = 0
  let lineNo = 0
  const receivedAt = (options.now?.() ?? new Date()).toISOString()
  let input
  try {
    input = createReadStream(path, { encoding: 'utf8' })
    await new Promise<void>((resolve, reject) => input!.once('open', () => resolve()).once('error', reject))
  } catch (cause) {
    throw new CollectorError('bad-data', `browser-extension: read ${path}: ${(cause as Error).message}`, { cause })
  }
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNo += 1
    const text = raw.trim()
    if (text === '') continue
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      errors.push(`${file}: line ${lineNo}: not JSON: ${(error as Error).message}`)
      continue
    }
    const line = lineSchema.safeParse(json)
    if (!line.success) {
      errors.push(`${file}: line ${lineNo}: ${line.error.issues.map((i) => `field ${i.path.join('.') || '(line)'}: ${i.message}`).join('; ')}`)
      continue
    }
    const admitted = await admitTelemetryBatch(store.db, { name: line.data.device, tokenId: null }, line.data.batch, receivedAt)
    if (admitted.status === 'invalid') {
      errors.push(`${file}: line ${lineNo}: batch: ${admitted.reason}`)
      continue
    }
    read += admitted.events
    if (admitted.status === 'replay') replayed += admitted.events
  }
  const run = await drainTelemetryInbox(store, { resolver: options.resolver, onProgress: options.onProgress, now: options.now })
  if (run.error) throw run.error
  const c = run.counts
  return {
    file: path,
    layout: 'extension-batches',
    read,
    imported: (c['telemetry.imported'] ?? 0) + (c['software.written'] ?? 0),
    duplicates: replayed + (c['telemetry.duplicates'] ?? 0),
    rejected: errors.length,
    status: errors.length > 0 ? 'partial' : run.status,
    runId: run.runId,
    errors: [...errors, ...run.itemErrors.map((e) => e.message)],
    counts: c,
  }
}

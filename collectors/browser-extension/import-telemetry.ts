import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import type { Store } from '../../data/connection.js'
import type { Collector } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { importFileWithCollector, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import type { ObservedRecord, TelemetryRecord } from '../sdk/records.js'
import { describeIssues, telemetryEventSchema } from './telemetry-schema.js'

const PAGE_LINES = 5000

/** Browser-extension telemetry exported as JSON lines (one event per line), read as a file collector. */
export function createTelemetryFileCollector(path: string): Collector<null, ObservedRecord, 'telemetry'> {
  let lines: AsyncIterator<string> | null = null
  let lineNo = 0
  let bytes = 0
  let total = 0
  const file = basename(path)
  return {
    manifest: { id: 'browser-extension', description: 'Browser-extension telemetry (JSON lines)', config: [], scopes: [], kinds: ['telemetry'], snapshotKinds: [] },
    async validate() {
      try {
        total = (await stat(path)).size
      } catch (cause) {
        throw new CollectorError('bad-data', `browser-extension: read ${path}: ${(cause as Error).message}`, { cause })
      }
      lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })[Symbol.asyncIterator]()
    },
    async list(_kind, request, ctx) {
      if (!lines) throw new CollectorError('invalid-config', 'browser-extension: list before validate')
      if (String(lineNo) !== (request.cursor ?? '0')) throw new CollectorError('invalid-config', `browser-extension: ${file}: cannot resume at ${request.cursor}`)
      const items: TelemetryRecord[] = []
      let done = false
      while (items.length < PAGE_LINES) {
        const next = await lines.next()
        if (next.done) {
          done = true
          break
        }
        lineNo += 1
        bytes += Buffer.byteLength(next.value) + 1
        const text = next.value.trim()
        if (text === '') continue
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch (error) {
          ctx.reportItemError({ kind: 'telemetry', item: `${file}:${lineNo}`, code: 'bad-data', message: `${file}: line ${lineNo}: not JSON: ${(error as Error).message}` })
          continue
        }
        const parsed = telemetryEventSchema.safeParse(json)
        if (!parsed.success) {
          ctx.reportItemError({ kind: 'telemetry', item: `${file}:${lineNo}`, code: 'bad-data', message: `${file}: line ${lineNo}: ${describeIssues(parsed.error)}` })
          continue
        }
        const e = parsed.data
        items.push({ type: 'telemetry', deviceId: e.deviceId, eventId: e.eventId, email: e.userEmail ?? null, domain: e.domain, kind: e.kind, occurredAt: new Date(e.occurredAt).toISOString() })
      }
      return { items, next: done ? null : String(lineNo), progress: { done: Math.min(bytes, total), total, unit: 'bytes' } }
    },
  }
}

export async function importTelemetryFile(store: Store, path: string, options: FileImportOptions): Promise<FileImportSummary> {
  return importFileWithCollector(store, path, createTelemetryFileCollector(path), null, {
    ...options,
    layout: 'extension-jsonl',
    source: 'browser-extension',
    count: { read: 'telemetry.read', imported: 'telemetry.imported', duplicates: 'telemetry.duplicates' },
  })
}

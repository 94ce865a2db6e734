import type { Store } from '../../data/connection.js'
import { markTelemetryBatchesProcessed, pendingTelemetryBatches } from '../../data/telemetry-inbox.js'
import type { SignalResolver } from '../sdk/app-resolution.js'
import type { Collector, PageWriter } from '../sdk/contract.js'
import { InventoryWriter } from '../sdk/inventory-writer.js'
import type { ObservedRecord } from '../sdk/records.js'
import { runCollector, type ProgressEvent, type RunResult } from '../sdk/runner.js'
import { telemetryBatchEventSchema, type TelemetryBatchEvent } from './batch-schema.js'

/** Batches per page of a drain run: each page and its batches' "processed" mark commit together. */
const BATCHES_PER_PAGE = 200

/** Where every pushed event becomes an inventory record: the endpoint and the demo import both end here. */
export function recordOfBatchEvent(deviceId: string, e: TelemetryBatchEvent): ObservedRecord {
  const occurredAt = new Date(e.occurredAt).toISOString()
  switch (e.kind) {
    case 'extension': {
      const x = e.extension
      return {
        type: 'software', deviceId, kind: 'chrome_extension', itemId: x.id, name: x.name, version: x.version ?? null,
        permissions: [...x.permissions, ...x.hostPermissions], installType: x.installType, enabled: x.enabled,
        email: e.userEmail ?? null, seenAt: occurredAt,
        signals: [{ kind: 'extension', value: `chrome:${x.id}` }, { kind: 'name', value: x.name }],
      }
    }
    case 'oauth_consent':
      return { type: 'telemetry', deviceId, eventId: e.eventId, email: e.userEmail ?? null, domain: e.domain, kind: 'oauth_consent', occurredAt, clientId: e.clientId, scopes: e.scopes }
    default:
      return { type: 'telemetry', deviceId, eventId: e.eventId, email: e.userEmail ?? null, domain: e.domain, kind: e.kind, occurredAt }
  }
}

interface InboxPageItem {
  batchRowId: number
  records: ObservedRecord[]
}

/** The inbox as a push collector: cursor = the last batch row id read. */
function createInboxCollector(store: Store): Collector<null, InboxPageItem, 'telemetry'> {
  return {
    manifest: { id: 'browser-extension', description: 'Pushed browser-extension telemetry (the inbox of accepted batches)', config: [], scopes: [], kinds: ['telemetry'], snapshotKinds: [] },
    async validate() {},
    async list(_kind, request, ctx) {
      const after = request.cursor === null ? 0 : Number(request.cursor)
      const batches = await pendingTelemetryBatches(store.db, after, BATCHES_PER_PAGE)
      const items = batches.map((b) => {
        const records: ObservedRecord[] = []
        for (const [i, raw] of b.events.entries()) {
          // Validated when accepted; checked again because the row could predate a schema change.
          const parsed = telemetryBatchEventSchema.safeParse(raw)
          if (parsed.success) records.push(recordOfBatchEvent(b.deviceId, parsed.data))
          else ctx.reportItemError({ kind: 'telemetry', item: `${b.deviceId}/${b.batchId}#${i}`, code: 'bad-data', message: `browser-extension: batch ${b.batchId} event ${i}: ${parsed.error.issues[0]?.message ?? 'invalid'}` })
        }
        return { batchRowId: b.id, records }
      })
      const last = batches.at(-1)
      return { items, next: batches.length < BATCHES_PER_PAGE || !last ? null : String(last.id) }
    },
  }
}

export interface DrainOptions {
  resolver: SignalResolver
  onProgress?: (event: ProgressEvent) => void
  now?: () => Date
}

/**
 * Writes every accepted, unprocessed batch into the inventory through the standard InventoryWriter, as one push
 * run: each page of batches commits with its "processed" mark, so a crash mid-way loses nothing and repeats nothing.
 */
export async function drainTelemetryInbox(store: Store, options: DrainOptions): Promise<RunResult> {
  const writer = new InventoryWriter(options.resolver, store.sqlite)
  const write: PageWriter<InboxPageItem, 'telemetry'> = async (tx, kind, items, run) => {
    const counts = await writer.write(tx, kind, items.flatMap((i) => i.records), run)
    await markTelemetryBatchesProcessed(tx, items.map((i) => i.batchRowId), run.runId, run.now())
    counts['batches.processed'] = items.length
    return counts
  }
  return runCollector({
    store, collector: createInboxCollector(store), config: null, sourceKey: 'inbox', source: 'browser-extension', mode: 'push',
    transaction: 'page', fresh: true, write, onProgress: options.onProgress, now: options.now,
  })
}

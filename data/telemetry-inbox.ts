import type { Kysely } from 'kysely'
import type { Database } from './database.js'

/**
 * The inbox of pushed telemetry: a batch is accepted once per device × batch id (a replay changes nothing), kept
 * as validated JSON, and marked processed by the drain run that wrote its events into the inventory.
 */

export interface AcceptBatchInput {
  deviceId: string
  batchId: string
  tokenId: number | null
  /** The validated events, exactly as they will be written. */
  events: readonly unknown[]
  receivedAt: string
}

/** true when the batch is new, false for a replay of one already accepted from this device. */
export async function acceptTelemetryBatch(db: Kysely<Database>, input: AcceptBatchInput): Promise<boolean> {
  const result = await db
    .insertInto('telemetry_batches')
    .values({
      device_id: input.deviceId, batch_id: input.batchId, token_id: input.tokenId, received_at: input.receivedAt,
      event_count: input.events.length, events: JSON.stringify(input.events), processed_at: null, processed_run_id: null,
    })
    .onConflict((oc) => oc.columns(['device_id', 'batch_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return result !== undefined
}

export interface PendingBatch {
  id: number
  deviceId: string
  batchId: string
  events: unknown[]
}

/** Unprocessed batches after `afterId`, oldest first. */
export async function pendingTelemetryBatches(db: Kysely<Database>, afterId: number, limit: number): Promise<PendingBatch[]> {
  const rows = await db
    .selectFrom('telemetry_batches')
    .select(['id', 'device_id', 'batch_id', 'events'])
    .where('processed_at', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, deviceId: r.device_id, batchId: r.batch_id, events: JSON.parse(r.events) as unknown[] }))
}

export async function markTelemetryBatchesProcessed(db: Kysely<Database>, ids: readonly number[], runId: number, at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db.updateTable('telemetry_batches').set({ processed_at: at, processed_run_id: runId }).where('id', 'in', ids.slice(i, i + 500)).execute()
  }
}

export async function countPendingTelemetryBatches(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('telemetry_batches').select((eb) => eb.fn.countAll<number>().as('n')).where('processed_at', 'is', null).executeTakeFirstOrThrow()
  return Number(row.n)
}

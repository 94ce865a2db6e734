import type { Collector, CollectorManifest } from '../sdk/contract.js'
import type { ObservedRecord } from '../sdk/records.js'
import type { EntraKind } from './collector.js'

const PAGE_SIZE = 500

/**
 * Records already read from an export, served as a collector (cursor = offset) so file mode goes through
 * the same runner and writer as a live scan. `errors` become item errors: the import ends `partial`.
 */
export function createEntraFileCollector(input: {
  description: string
  kinds: readonly EntraKind[]
  snapshotKinds: readonly EntraKind[]
  records: Partial<Record<EntraKind, readonly ObservedRecord[]>>
  errors: readonly string[]
}): Collector<null, ObservedRecord, EntraKind> {
  const manifest: CollectorManifest<EntraKind> = Object.freeze({
    id: 'entra',
    description: input.description,
    config: [],
    scopes: [],
    kinds: input.kinds,
    snapshotKinds: input.snapshotKinds,
  })
  return {
    manifest,
    async validate(ctx) {
      input.errors.forEach((message, i) => ctx.reportItemError({ kind: 'file', item: `error ${i + 1}`, code: 'bad-data', message }))
    },
    async list(kind, request) {
      const all = input.records[kind] ?? []
      const start = request.cursor === null ? 0 : Number(request.cursor)
      const end = Math.min(all.length, start + PAGE_SIZE)
      return { items: all.slice(start, end), next: end < all.length ? String(end) : null, progress: { done: end, total: all.length, unit: 'records' } }
    },
  }
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { importTelemetryBatches } from './import-batches.js'

const resolver = createResolver({ entries: loadCatalog().entries })
const AT = '2026-12-01T10:00:00Z'

for (const dialect of DIALECTS) {
  describe(`importTelemetryBatches [${dialect}]`, () => {
    let t: TestStore
    let dir: string
    afterEach(async () => {
      await t?.dispose()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('should admit each line as the endpoint would, name bad lines, and count a re-import as replays', async () => {
      t = await createTestStore(dialect)
      dir = mkdtempSync(join(tmpdir(), 'sightline-batches-'))
      const file = join(dir, 'batches.jsonl')
      writeFileSync(file, [
        JSON.stringify({ device: 'laptop-ada', batch: { batchId: 'b1', deviceId: 'p1', events: [{ eventId: 'e1', kind: 'login', domain: 'slack.com', userEmail: 'ada@northwind.example', occurredAt: AT }] } }),
        '{oops',
        JSON.stringify({ device: 'laptop-ada', batch: { batchId: 'b2', deviceId: 'p1', events: [{ eventId: 'e2', kind: 'visit', domain: 'zoom.us', occurredAt: AT, url: 'https://zoom.us/j/1' }] } }),
        JSON.stringify({ device: 'laptop-grace', batch: { batchId: 'b1', deviceId: 'p1', events: [{ eventId: 'e1', kind: 'visit', domain: 'zoom.us', occurredAt: AT }] } }),
      ].join('\n'))
      const first = await importTelemetryBatches(t.store, file, { resolver })
      expect(first).toMatchObject({ layout: 'extension-batches', read: 2, imported: 2, duplicates: 0, rejected: 2, status: 'partial' })
      expect(first.errors).toEqual([
        expect.stringMatching(/^batches\.jsonl: line 2: not JSON/),
        expect.stringMatching(/^batches\.jsonl: line 3: batch: events\.0: .*url/),
      ])
      const again = await importTelemetryBatches(t.store, file, { resolver })
      expect(again).toMatchObject({ read: 2, imported: 0, duplicates: 2 })
      const rows = await t.store.db.selectFrom('telemetry_events').select(['device_id', 'event_id']).orderBy('device_id').execute()
      expect(rows).toEqual([{ device_id: 'laptop-ada/p1', event_id: 'e1' }, { device_id: 'laptop-grace/p1', event_id: 'e1' }])
    })
  })
}

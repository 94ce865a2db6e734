import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { importTelemetryFile } from './import-telemetry.js'

const fixture = fileURLToPath(new URL('./fixtures/telemetry.jsonl', import.meta.url))
const resolver = createResolver({ entries: loadCatalog().entries })

for (const dialect of DIALECTS) {
  describe(`importTelemetryFile [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should import valid events, name each bad line, and resolve domains to apps', async () => {
      t = await createTestStore(dialect)
      const summary = await importTelemetryFile(t.store, fixture, { resolver })
      expect(summary).toMatchObject({ layout: 'extension-jsonl', read: 4, imported: 4, duplicates: 0, rejected: 3, status: 'partial' })
      expect(summary.errors).toEqual([
        expect.stringMatching(/^telemetry\.jsonl: line 4: not JSON/),
        'telemetry.jsonl: line 5: field domain: not a domain name',
        expect.stringMatching(/^telemetry\.jsonl: line 6: field kind: /),
      ])
      const rows = await t.store.db
        .selectFrom('telemetry_events')
        .leftJoin('apps', 'apps.id', 'telemetry_events.app_id')
        .select(['telemetry_events.event_id', 'telemetry_events.user_email', 'apps.catalog_key', 'apps.candidate_key'])
        .orderBy('telemetry_events.event_id')
        .execute()
      expect(rows).toEqual([
        { event_id: 'e1', user_email: 'ada.lovelace@northwind.example', catalog_key: 'zoom', candidate_key: null },
        { event_id: 'e2', user_email: 'ada.lovelace@northwind.example', catalog_key: null, candidate_key: expect.stringContaining('tallyfox') },
        // A visit to an unknown site is not an app; a login to one is.
        { event_id: 'e3', user_email: 'grace.hopper@northwind.example', catalog_key: null, candidate_key: null },
        { event_id: 'e8', user_email: 'grace.hopper@northwind.example', catalog_key: 'notion', candidate_key: null },
      ])
    })

    it('should count a re-import as duplicates and add nothing', async () => {
      t = await createTestStore(dialect)
      await importTelemetryFile(t.store, fixture, { resolver })
      const again = await importTelemetryFile(t.store, fixture, { resolver })
      expect(again).toMatchObject({ read: 4, imported: 0, duplicates: 4 })
      const n = await t.store.db.selectFrom('telemetry_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
      expect(Number(n.n)).toBe(4)
    })
  })
}

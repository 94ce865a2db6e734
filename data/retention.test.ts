import { afterEach, describe, expect, it } from 'vitest'
import { rollUpSignins } from '../collectors/sdk/inventory-writer.js'
import { pruneSigninEvents } from './retention.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

for (const dialect of DIALECTS) {
  describe(`pruneSigninEvents [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should expire old raw events and keep the daily rollups they were counted in', async () => {
      t = await createTestStore(dialect)
      const event = (id: string, at: string) => ({
        source: 'okta', event_id: id, occurred_at: at, person_id: null, user_external_id: '00u1', user_email: 'ada@northwind.example',
        app_id: null, app_ref: 'figma', result: 'success' as const, ip: null, user_agent: null, country: null, scan_run_id: 7,
      })
      await t.store.db.insertInto('signin_events').values([event('a', '2025-01-10T09:00:00.000Z'), event('b', '2025-01-10T17:00:00.000Z'), event('c', '2026-11-01T09:00:00.000Z')]).execute()
      await rollUpSignins(t.store.db, { runId: 7, afterId: 0 })

      const pruned = await pruneSigninEvents(t.store.db, { before: '2025-11-01T00:00:00.000Z', actor: 'cli:test' })
      expect(pruned).toEqual({ signinEvents: 2, horizon: '2025-11-01T00:00:00.000Z' })
      expect((await t.store.db.selectFrom('signin_events').select('event_id').execute()).map((e) => e.event_id)).toEqual(['c'])
      const daily = await t.store.db.selectFrom('signin_daily').select(['day', 'successes', 'last_at']).orderBy('day').execute()
      expect(daily).toEqual([
        { day: '2025-01-10', successes: 2, last_at: '2025-01-10T17:00:00.000Z' },
        { day: '2026-11-01', successes: 1, last_at: '2026-11-01T09:00:00.000Z' },
      ])
    })
  })
}

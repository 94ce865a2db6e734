import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { Collector, Page } from './contract.js'
import { InventoryWriter } from './inventory-writer.js'
import type { ObservedRecord, SigninRecord } from './records.js'
import { runCollector } from './runner.js'

const resolver = createResolver({ entries: loadCatalog().entries })

function signin(eventId: string, at: string, who: { id?: string; email?: string }, app: string, result: 'success' | 'failure' = 'success'): SigninRecord {
  return { type: 'signin', eventId, occurredAt: at, userExternalId: who.id ?? null, email: who.email ?? null, app: { ref: app, signals: [{ kind: 'sso_app', value: app }] }, result }
}

/** Serves the given pages, one `list` call each. */
function pages(records: ObservedRecord[][]): Collector<null, ObservedRecord, 'signin'> {
  return {
    manifest: { id: 'testidp', description: 'test IdP', config: [], scopes: [], kinds: ['signin'], snapshotKinds: [] },
    async validate() {},
    async list(_kind, request): Promise<Page<ObservedRecord>> {
      const i = request.cursor === null ? 0 : Number(request.cursor)
      return { items: records[i] ?? [], next: i + 1 < records.length ? String(i + 1) : null }
    },
  }
}

type Mode = 'page' | 'run' | 'run, deferred'

async function run(t: TestStore, records: ObservedRecord[][], mode: Mode) {
  const deferred = mode === 'run, deferred'
  const writer = new InventoryWriter(resolver, t.store.sqlite, { deferred })
  const result = await runCollector({
    store: t.store, collector: pages(records), config: null, sourceKey: 'idp', mode: 'file', transaction: mode === 'page' ? 'page' : 'run', fresh: true,
    write: writer.write, finalize: deferred ? (tx) => writer.finish(tx) : undefined,
  })
  expect(result.status).toBe('completed')
  return result.counts
}

async function daily(t: TestStore) {
  const rows = await t.store.db
    .selectFrom('signin_daily')
    .leftJoin('apps', 'apps.id', 'signin_daily.app_id')
    .leftJoin('people', 'people.id', 'signin_daily.person_id')
    .select(['signin_daily.day', 'signin_daily.user_key', 'people.email', 'apps.catalog_key', 'signin_daily.successes', 'signin_daily.failures', 'signin_daily.first_at', 'signin_daily.last_at'])
    .execute()
  // user_key is the person id when the person is known: compare who, not which id the store gave.
  return rows
    .map((r) => ({ ...r, user_key: r.email ? 'person' : r.user_key, successes: Number(r.successes), failures: Number(r.failures) }))
    .sort((a, b) => `${a.day} ${a.user_key} ${a.catalog_key}`.localeCompare(`${b.day} ${b.user_key} ${b.catalog_key}`))
}

const alice = { id: 'u-alice', email: 'Alice@Northwind.example ' }
const bob = { email: 'bob@northwind.example' }

for (const dialect of DIALECTS) {
  describe(`InventoryWriter sign-ins [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    for (const transaction of ['page', 'run', 'run, deferred'] as const) {
      it(`should roll sign-ins up per day, person and app, counting each event once (${transaction} transactions)`, async () => {
        t = await createTestStore(dialect)
        const counts = await run(t, [
          [
            { type: 'person', externalId: 'u-alice', email: 'alice@northwind.example', status: 'active' },
            signin('e1', '2026-03-01T09:00:00.000Z', alice, 'Slack'),
            signin('e2', '2026-03-01T17:30:00.000Z', alice, 'Slack', 'failure'),
            signin('e1', '2026-03-01T09:00:00.000Z', alice, 'Slack'),
            signin('e3', '2026-03-01T08:15:00.000Z', bob, 'Slack'),
          ],
          [
            signin('e2', '2026-03-01T17:30:00.000Z', alice, 'Slack', 'failure'),
            signin('e4', '2026-03-01T07:45:00.000Z', alice, 'Slack'),
            signin('e5', '2026-03-02T00:00:01.000Z', alice, 'Zoom'),
          ],
        ], transaction)
        expect(counts).toMatchObject({ 'signin.read': 7, 'signin.imported': 5, 'signin.duplicates': 2 })
        expect(await daily(t)).toEqual([
          { day: '2026-03-01', user_key: 'bob@northwind.example', email: null, catalog_key: 'slack', successes: 1, failures: 0, first_at: '2026-03-01T08:15:00.000Z', last_at: '2026-03-01T08:15:00.000Z' },
          { day: '2026-03-01', user_key: 'person', email: 'alice@northwind.example', catalog_key: 'slack', successes: 2, failures: 1, first_at: '2026-03-01T07:45:00.000Z', last_at: '2026-03-01T17:30:00.000Z' },
          { day: '2026-03-02', user_key: 'person', email: 'alice@northwind.example', catalog_key: 'zoom', successes: 1, failures: 0, first_at: '2026-03-02T00:00:01.000Z', last_at: '2026-03-02T00:00:01.000Z' },
        ])

        // Every event read counts towards its identifier, whether it was resolved from the cache or not.
        const seen = await t.store.db.selectFrom('identifiers').select(['value', 'seen_count']).where('kind', '=', 'sso_app').orderBy('value').execute()
        expect(seen.map((r) => [r.value.toLowerCase(), Number(r.seen_count)])).toEqual([['slack', 6], ['zoom', 1]])

        // A second export overlapping the first adds only what is new.
        const again = await run(t, [[signin('e1', '2026-03-01T09:00:00.000Z', alice, 'Slack'), signin('e6', '2026-03-01T23:59:59.000Z', alice, 'Slack', 'failure')]], transaction)
        expect(again).toMatchObject({ 'signin.read': 2, 'signin.imported': 1, 'signin.duplicates': 1 })
        expect((await daily(t))[1]).toMatchObject({ successes: 2, failures: 2, first_at: '2026-03-01T07:45:00.000Z', last_at: '2026-03-01T23:59:59.000Z' })
      })
    }
  })
}

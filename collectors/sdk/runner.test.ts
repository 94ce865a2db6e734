import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { SignalResolver } from './app-resolution.js'
import type { Collector, Page } from './contract.js'
import { CollectorError } from './errors.js'
import { InventoryWriter } from './inventory-writer.js'
import type { ObservedRecord, PersonRecord } from './records.js'
import { runCollector, type ProgressEvent } from './runner.js'

/** People records only: the resolver must never be asked anything. */
const noResolver: SignalResolver = {
  resolve: () => {
    throw new Error('resolver not expected in these tests')
  },
}

function person(i: number): PersonRecord {
  return { type: 'person', externalId: `u${i}`, email: `user${i}@northwind.example`, status: 'active' }
}

type Fault = { page: number; error: () => Error; times: number }

/** A directory of `total` users served `pageSize` at a time, with faults injected per page. */
function directory(total: number, pageSize: number, faults: Fault[] = [], itemErrorOnPage?: number) {
  const calls: (string | null)[] = []
  const collector: Collector<null, ObservedRecord, 'person'> = {
    manifest: { id: 'testdir', description: 'test directory', config: [], scopes: [], kinds: ['person'], snapshotKinds: ['person'] },
    async validate() {},
    async list(_kind, request, ctx): Promise<Page<ObservedRecord>> {
      calls.push(request.cursor)
      const start = request.cursor === null ? 0 : Number(request.cursor)
      const page = start / pageSize
      const fault = faults.find((f) => f.page === page && f.times > 0)
      if (fault) {
        fault.times -= 1
        throw fault.error()
      }
      if (itemErrorOnPage === page) ctx.reportItemError({ kind: 'person', item: `u${start}`, code: 'permission-denied', message: 'testdir: read user: 403' })
      const end = Math.min(total, start + pageSize)
      const items = Array.from({ length: end - start }, (_, k) => person(start + k))
      return { items, next: end < total ? String(end) : null }
    },
  }
  return { collector, calls }
}

async function run(t: TestStore, collector: Collector<null, ObservedRecord, 'person'>, extra: { transaction?: 'page' | 'run'; events?: ProgressEvent[] } = {}) {
  return runCollector({
    store: t.store,
    collector,
    config: null,
    sourceKey: 'tenant-1',
    mode: 'live',
    write: new InventoryWriter(noResolver).write,
    transaction: extra.transaction,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    onProgress: (e) => extra.events?.push(e),
  })
}

async function identities(t: TestStore) {
  return t.store.db.selectFrom('person_identities').select(['external_id', 'gone_at']).orderBy('id').execute()
}

for (const dialect of DIALECTS) {
  describe(`runCollector [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should write every page with its checkpoint and complete the run', async () => {
      t = await createTestStore(dialect)
      const { collector, calls } = directory(25, 10)
      const result = await run(t, collector)
      expect(result.status).toBe('completed')
      expect(calls).toEqual([null, '10', '20'])
      expect(await identities(t)).toHaveLength(25)
      expect(await t.store.db.selectFrom('people').select('id').execute()).toHaveLength(25)
      const checkpoint = await t.store.db.selectFrom('scan_checkpoints').selectAll().where('scan_run_id', '=', result.runId).executeTakeFirstOrThrow()
      expect(checkpoint).toMatchObject({ kind: 'person', cursor: null, done: 1, pages: 3, items: 25 })
      const runRow = await t.store.db.selectFrom('scan_runs').selectAll().where('id', '=', result.runId).executeTakeFirstOrThrow()
      expect(runRow.status).toBe('completed')
      expect(JSON.parse(runRow.counts)).toMatchObject({ 'person.inserted': 25, 'gone.person': 0 })
    })

    it('should retry a rate-limited page, waiting at least what Retry-After asked', async () => {
      t = await createTestStore(dialect)
      const { collector, calls } = directory(20, 10, [{ page: 1, times: 2, error: () => new CollectorError('rate-limited', 'testdir: 429', { retryAfterMs: 30 }) }])
      const events: ProgressEvent[] = []
      const result = await run(t, collector, { events })
      expect(result.status).toBe('completed')
      expect(calls).toEqual([null, '10', '10', '10'])
      const retries = events.filter((e) => e.type === 'retry')
      expect(retries).toHaveLength(2)
      for (const r of retries) expect(r.type === 'retry' && r.delayMs).toBeGreaterThanOrEqual(30)
    })

    it('should fail on a non-retryable error and resume from the checkpoint on the next run', async () => {
      t = await createTestStore(dialect)
      const first = directory(30, 10, [{ page: 2, times: 1, error: () => new CollectorError('permission-denied', 'testdir: list users: 403') }])
      const failed = await run(t, first.collector)
      expect(failed.status).toBe('failed')
      expect(failed.error?.message).toBe('testdir: list users: 403')
      const failedRow = await t.store.db.selectFrom('scan_runs').select(['status', 'error']).where('id', '=', failed.runId).executeTakeFirstOrThrow()
      expect(failedRow).toEqual({ status: 'failed', error: 'permission-denied: testdir: list users: 403' })
      expect(await identities(t)).toHaveLength(20)

      const second = directory(30, 10)
      const resumed = await run(t, second.collector)
      expect(resumed.status).toBe('completed')
      expect(second.calls).toEqual(['20'])
      const row = await t.store.db.selectFrom('scan_runs').select('resumed_from_run_id').where('id', '=', resumed.runId).executeTakeFirstOrThrow()
      expect(row.resumed_from_run_id).toBe(failed.runId)
      // Seen by the resumed chain: nothing is gone.
      expect((await identities(t)).filter((i) => i.gone_at !== null)).toEqual([])
    })

    it('should mark gone only what a complete run did not see, and never delete people', async () => {
      t = await createTestStore(dialect)
      await run(t, directory(30, 10).collector)
      const smaller = await run(t, directory(25, 10).collector)
      expect(smaller.status).toBe('completed')
      expect(smaller.counts['gone.person']).toBe(5)
      const gone = (await identities(t)).filter((i) => i.gone_at !== null).map((i) => i.external_id)
      expect(gone).toEqual(['u25', 'u26', 'u27', 'u28', 'u29'])
      expect(await t.store.db.selectFrom('people').select('id').execute()).toHaveLength(30)
    })

    it('should mark nothing gone after a partial run or a failed one', async () => {
      t = await createTestStore(dialect)
      await run(t, directory(30, 10).collector)
      const partial = await run(t, directory(10, 10, [], 0).collector)
      expect(partial.status).toBe('partial')
      const failed = await run(t, directory(30, 10, [{ page: 0, times: 1, error: () => new CollectorError('unauthenticated', 'testdir: 401') }]).collector)
      expect(failed.status).toBe('failed')
      expect((await identities(t)).filter((i) => i.gone_at !== null)).toEqual([])
    })

    it('should roll back every page of a run-mode run that fails', async () => {
      t = await createTestStore(dialect)
      const { collector } = directory(30, 10, [{ page: 2, times: 1, error: () => new CollectorError('bad-data', 'testdir: record 21: no id') }])
      const result = await run(t, collector, { transaction: 'run' })
      expect(result.status).toBe('failed')
      expect(await identities(t)).toHaveLength(0)
      expect(await t.store.db.selectFrom('people').select('id').execute()).toHaveLength(0)
      const row = await t.store.db.selectFrom('scan_runs').select(['status', 'counts']).where('id', '=', result.runId).executeTakeFirstOrThrow()
      expect(row).toEqual({ status: 'failed', counts: '{}' })
    })
  })
}

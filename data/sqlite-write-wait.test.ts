import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from './connection.js'
import { insertValuesSqlite } from './bulk.js'
import { describeWriters, sqliteHandleOf, WriteWaitTimeoutError } from './sqlite-write-wait.js'
import { createTestStore, DIALECTS } from './testing/test-store.js'

const scratch = mkdtempSync(join(tmpdir(), 'sightline-write-wait-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

async function migrated(name: string): Promise<string> {
  const file = join(scratch, name)
  await (await openStore(file)).close()
  return file
}

describe('case 8: a second concurrent SQLite import fails with database is locked (store level)', () => {
  it('should let a transaction and a lone write wait past the busy timeout for the writer, reporting the wait once', async () => {
    const file = await migrated('wait.db')
    const holder = new BetterSqlite3(file)
    holder.exec('begin immediate')
    const waits: unknown[] = []
    const store = await openStore(file, { writeWait: { maxWaitMs: 60_000, onWait: (e) => waits.push(e) } })
    try {
      const started = Date.now()
      const tx = store.db.transaction().execute((trx) => trx.insertInto('settings').values({ key: 'a', value: '1', updated_at: '2026-12-02T00:00:00.000Z' }).execute())
      // Longer than SQLite's 5-second busy timeout, which used to end in "database is locked".
      await sleep(5_500)
      holder.exec('commit')
      await tx
      expect(Date.now() - started).toBeGreaterThanOrEqual(5_500)
      expect(waits).toHaveLength(1)
      expect(waits[0]).toMatchObject({ location: file, writers: [], maxWaitMs: 60_000 })

      holder.exec('begin immediate')
      const lone = store.db.insertInto('settings').values({ key: 'b', value: '2', updated_at: '2026-12-02T00:00:00.000Z' }).execute()
      await sleep(300)
      holder.exec('commit')
      await lone
      const keys = await store.db.selectFrom('settings').select('key').where('key', 'in', ['a', 'b']).orderBy('key').execute()
      expect(keys.map((k) => k.key)).toEqual(['a', 'b'])
    } finally {
      if (holder.inTransaction) holder.exec('rollback')
      holder.close()
      await store.close()
    }
  }, 30_000)

  it('should give up after the bound with an error that says who holds the writer, having written nothing', async () => {
    const file = await migrated('bound.db')
    const holder = new BetterSqlite3(file)
    // Another process's import, as its run row says (a pid that is not ours).
    holder
      .prepare(`insert into scan_runs (collector, source_key, mode, status, started_at, heartbeat_at, pid, host, file_name) values ('spend', 'file:x.csv', 'file', 'running', '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z', ?, 'elsewhere', '/data/x.csv')`)
      .run(process.pid + 1)
    holder.exec('begin immediate')
    const store = await openStore(file, { writeWait: { maxWaitMs: 600 } })
    try {
      const error = await store.db.transaction().execute((trx) => trx.insertInto('settings').values({ key: 'c', value: '3', updated_at: '2026-12-02T00:00:00.000Z' }).execute()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WriteWaitTimeoutError)
      expect((error as Error).message).toBe(
        `store: another process has been writing to ${file} for more than 1 s (run 1 (spend x.csv, pid ${process.pid + 1} on elsewhere, since 2026-12-02T10:00:00.000Z)); nothing was written, try again once it has finished`,
      )
    } finally {
      holder.exec('rollback')
      holder.close()
    }
    try {
      expect(await store.db.selectFrom('settings').select('key').where('key', '=', 'c').execute()).toEqual([])
    } finally {
      await store.close()
    }
  }, 30_000)

  it('should let a read-only transaction start while another process writes', async () => {
    const file = await migrated('read.db')
    const holder = new BetterSqlite3(file)
    holder.exec('begin immediate')
    const store = await openStore(file, { writeWait: { maxWaitMs: 100 } })
    try {
      const n = await store.db.transaction().setAccessMode('read only').execute((trx) => trx.selectFrom('settings').selectAll().execute())
      expect(Array.isArray(n)).toBe(true)
    } finally {
      holder.exec('rollback')
      holder.close()
      await store.close()
    }
  })

  it('should describe nobody as nothing', () => {
    expect(describeWriters([])).toBe('')
  })
})

describe.each(DIALECTS)('sqliteHandleOf on %s', (dialect) => {
  it('should hand bulk paths the connection of the caller’s transaction, so their rows commit or roll back with it', async () => {
    const t = await createTestStore(dialect)
    try {
      const handle = await sqliteHandleOf(t.store.db)
      expect(handle === null).toBe(dialect === 'postgres')
      if (!handle) return
      const at = '2026-12-02T00:00:00.000Z'
      await expect(t.store.db.transaction().execute(async (tx) => {
        const inside = await sqliteHandleOf(tx)
        insertValuesSqlite(inside!, 'settings', ['key', 'value', 'updated_at'], ['rolled-back', '1', at])
        expect((await tx.selectFrom('settings').select('key').where('key', '=', 'rolled-back').execute()).length).toBe(1)
        throw new Error('abort')
      })).rejects.toThrow('abort')
      await t.store.db.transaction().execute(async (tx) => {
        insertValuesSqlite((await sqliteHandleOf(tx))!, 'settings', ['key', 'value', 'updated_at'], ['kept', '2', at, 'kept-too', '3', at])
      })
      const keys = (await t.store.db.selectFrom('settings').select('key').where('key', 'in', ['rolled-back', 'kept', 'kept-too']).orderBy('key').execute()).map((r) => r.key)
      expect(keys).toEqual(['kept', 'kept-too'])
    } finally {
      await t.dispose()
    }
  })
})

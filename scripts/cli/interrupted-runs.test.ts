import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { withStore } from './context.js'

/** The pid of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

for (const dialect of DIALECTS) {
  describe(`case 10: a killed run is marked interrupted as soon as the next command starts [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => t?.dispose())

    it('should mark a dead process’s run of any source interrupted when any command opens the store, and leave live ones', async () => {
      t = await createTestStore(dialect)
      const at = '2026-11-28T10:00:00.000Z'
      const base = { mode: 'file', status: 'running', started_at: at, heartbeat_at: at, host: hostname(), counts: '{}', item_errors: '[]' } as const
      const dead = await t.store.db.insertInto('scan_runs').values({ ...base, collector: 'spend', source_key: 'file:a.csv', pid: deadPid() }).returning('id').executeTakeFirstOrThrow()
      const alive = await t.store.db.insertInto('scan_runs').values({ ...base, collector: 'okta', source_key: 'org', pid: process.pid }).returning('id').executeTakeFirstOrThrow()
      // Any command: here one that only reads.
      await withStore({ db: t.url }, async () => undefined)
      const runs = await t.store.db.selectFrom('scan_runs').select(['id', 'status', 'error']).orderBy('id').execute()
      expect(runs).toEqual([
        { id: dead.id, status: 'interrupted', error: 'the process running this scan stopped before it finished' },
        { id: alive.id, status: 'running', error: null },
      ])
    })
  })
}

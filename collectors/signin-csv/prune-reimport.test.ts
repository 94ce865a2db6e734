import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { pruneSigninEvents, signinPruneHorizon } from '../../data/retention.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { explainNothingImported } from '../sdk/nothing-imported.js'
import { importSigninFile } from './import-signins.js'

const resolver = createResolver({ entries: loadCatalog().entries, overrides: [] })
const scratch = mkdtempSync(join(tmpdir(), 'sightline-prune-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A sign-in log of `n` events a day over `days` days from `start`, four people and three apps. */
function writeLog(name: string, start: string, days: number, n: number): string {
  const lines = ['Event ID,Created At,User Name,App Name,Status']
  const apps = ['Slack', 'Zoom', 'Figma']
  for (let d = 0; d < days; d++) {
    const day = new Date(Date.parse(`${start}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10)
    for (let i = 0; i < n; i++) lines.push(`${name}-${d}-${i},${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:${String(i % 60).padStart(2, '0')}Z,person${i % 4}@northwind.example,${apps[i % 3]},${i % 7 === 0 ? 'Failed' : 'Success'}`)
  }
  const path = join(scratch, `${name}.csv`)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

for (const dialect of DIALECTS) {
  describe(`case 6: prune then re-import of the same file doubles the sign-in rollups [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    const rollups = async () => {
      const r = await t.store.db.selectFrom('signin_daily').select((eb) => [eb.fn.sum<number>('successes').as('ok'), eb.fn.sum<number>('failures').as('failed'), eb.fn.countAll<number>().as('rows')]).executeTakeFirstOrThrow()
      return { ok: Number(r.ok), failed: Number(r.failed), rows: Number(r.rows) }
    }

    it('should refuse, counted and with its reason, events older than the prune horizon, so the rollups never count them twice', async () => {
      t = await createTestStore(dialect)
      const old = writeLog('old', '2025-01-06', 5, 200)
      const first = await importSigninFile(t.store, old, { resolver })
      expect(first).toMatchObject({ read: 1000, imported: 1000, duplicates: 0 })
      const counted = await rollups()
      expect(counted.ok + counted.failed).toBe(1000)

      const pruned = await pruneSigninEvents(t.store.db, { before: '2025-06-01T00:00:00.000Z', actor: 'cli:test' })
      expect(pruned).toEqual({ signinEvents: 1000, horizon: '2025-06-01T00:00:00.000Z' })
      expect(await signinPruneHorizon(t.store.db)).toBe('2025-06-01T00:00:00.000Z')

      // The same export again, twice: nothing is added, and the summary says why.
      for (let cycle = 0; cycle < 2; cycle++) {
        const again = await importSigninFile(t.store, old, { resolver })
        expect(again).toMatchObject({ read: 1000, imported: 0, duplicates: 0, status: 'completed' })
        expect(again.skippedBy).toEqual({ 'older than the sign-in prune horizon 2025-06-01 (raw events before it were expired; their days are already in the daily rollups)': 1000 })
        expect(explainNothingImported(again)?.message).toBe('nothing imported: 1000 of 1000 records: skipped: older than the sign-in prune horizon 2025-06-01 (raw events before it were expired; their days are already in the daily rollups)')
        expect(await rollups()).toEqual(counted)
      }

      // A log reaching past the horizon: its newer events count, its older ones are skipped.
      const straddling = writeLog('straddling', '2025-05-30', 4, 10)
      const mixed = await importSigninFile(t.store, straddling, { resolver })
      expect(mixed).toMatchObject({ read: 40, imported: 20, duplicates: 0 })
      expect(Object.values(mixed.skippedBy ?? {})).toEqual([20])
      const after = await rollups()
      expect(after.ok + after.failed).toBe(1020)
    })

    it('should keep the latest horizon when an older prune runs later, and audit each prune', async () => {
      t = await createTestStore(dialect)
      await pruneSigninEvents(t.store.db, { before: '2025-06-01T00:00:00.000Z', actor: 'cli:test' })
      await pruneSigninEvents(t.store.db, { before: '2025-03-01T00:00:00.000Z', actor: 'cli:test' })
      expect(await signinPruneHorizon(t.store.db)).toBe('2025-06-01T00:00:00.000Z')
      const audit = await t.store.db.selectFrom('audit_events').select(['action', 'payload']).where('action', '=', 'signin.prune').orderBy('seq').execute()
      expect(audit.map((a) => JSON.parse(a.payload) as unknown)).toEqual([
        { before: '2025-06-01T00:00:00.000Z', horizon: '2025-06-01T00:00:00.000Z', signinEvents: 0 },
        { before: '2025-03-01T00:00:00.000Z', horizon: '2025-06-01T00:00:00.000Z', signinEvents: 0 },
      ])
    })
  })
}

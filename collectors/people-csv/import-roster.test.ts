import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { SignalResolver } from '../sdk/app-resolution.js'
import { CollectorError } from '../sdk/errors.js'
import type { ProgressEvent } from '../sdk/runner.js'
import { importRoster } from './import-roster.js'
import { inventoryStats } from '../../data/stats.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const resolver: SignalResolver = { resolve: () => { throw new Error('a roster resolves no apps') } }
const options = { resolver, now: () => new Date('2026-11-28T12:00:00.000Z') }

for (const dialect of DIALECTS) {
  describe(`importRoster [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should import a roster and summarise it', async () => {
      t = await createTestStore(dialect)
      const summary = await importRoster(t.store, { path: fixture('bamboohr.csv'), today: '2026-11-28' }, options)
      expect(summary).toMatchObject({ layout: 'bamboohr', read: 4, imported: 4, duplicates: 0, rejected: 0, inserted: 4, status: 'completed' })
      const people = await t.store.db.selectFrom('people').selectAll().orderBy('email').execute()
      expect(people.map((p) => [p.email, p.status, p.department])).toEqual([
        ['ada.lovelace@northwind.example', 'active', 'Engineering'],
        ['grace.hopper@northwind.example', 'active', 'Engineering'],
        ['linus.pauling@northwind.example', 'active', 'Research'],
        ['rosalind.franklin@northwind.example', 'terminated', 'Research'],
      ])
      expect(JSON.parse(people[0]!.sources)).toEqual(['hr'])
    })

    it('should update people in place on re-import and report, not delete, those the roster dropped', async () => {
      t = await createTestStore(dialect)
      await importRoster(t.store, { path: fixture('bamboohr.csv'), today: '2026-11-28' }, options)
      const again = await importRoster(t.store, { path: fixture('bamboohr.csv'), today: '2026-11-28' }, options)
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, missingFromRoster: [] })
      const v2 = await importRoster(t.store, { path: fixture('roster-v2.csv'), today: '2026-11-28' }, options)
      expect(v2).toMatchObject({ inserted: 0, updated: 3, missingFromRoster: ['linus.pauling@northwind.example'] })
      const people = await t.store.db.selectFrom('people').select(['email', 'title', 'department']).orderBy('email').execute()
      expect(people).toHaveLength(4)
      expect(people.find((p) => p.email === 'grace.hopper@northwind.example')).toMatchObject({ department: 'Platform', title: 'Staff Engineer' })
    })

    it('should keep the good rows of a roster with bad rows and name each bad one', async () => {
      t = await createTestStore(dialect)
      const summary = await importRoster(t.store, { path: fixture('bad-rows.csv'), today: '2026-11-28' }, options)
      expect(summary).toMatchObject({ read: 6, imported: 4, duplicates: 1, rejected: 1, status: 'partial' })
      expect(summary.errors).toEqual([
        expect.stringMatching(/^bad-rows\.csv: line 3: field Work Email: duplicate email/),
        'bad-rows.csv: line 6: field Work Email: missing email',
      ])
      expect(summary.warnings).toEqual([
        'bad-rows.csv: line 4: field Hire Date: invalid date "2026-02-30" (expected YYYY-MM-DD or MM/DD/YYYY); row kept without it',
        expect.stringMatching(/^bad-rows\.csv: line 5: field Employment Type: unknown employment type "Wizard"/),
      ])
      expect(await t.store.db.selectFrom('people').select('email').orderBy('email').execute()).toEqual([
        { email: 'bad.date@northwind.example' },
        { email: 'ok.one@northwind.example' },
        { email: 'ok.two@northwind.example' },
        { email: 'wizard@northwind.example' },
      ])
    })

    it('case 7: should report progress in rows read, not rows kept', async () => {
      t = await createTestStore(dialect)
      const pages: { done: number; total: number }[] = []
      const onProgress = (e: ProgressEvent) => { if (e.type === 'page' && e.progress) pages.push(e.progress) }
      await importRoster(t.store, { path: fixture('bad-rows.csv'), today: '2026-11-28' }, { ...options, onProgress })
      expect(pages.at(-1)).toEqual({ done: 6, total: 6, unit: 'rows' })
    })

    it('issue 13 case 7: should keep "missing from the roster" as a state with a date, shown again on the next import and in stats', async () => {
      t = await createTestStore(dialect)
      const at = (iso: string) => ({ ...options, now: () => new Date(iso) })
      await importRoster(t.store, { path: fixture('bamboohr.csv'), today: '2026-11-28' }, at('2026-11-01T09:00:00.000Z'))
      const first = await importRoster(t.store, { path: fixture('roster-v2.csv'), today: '2026-11-28' }, at('2026-11-15T09:00:00.000Z'))
      const again = await importRoster(t.store, { path: fixture('roster-v2.csv'), today: '2026-11-28' }, at('2026-11-28T09:00:00.000Z'))
      for (const s of [first, again]) {
        expect(s.missingFromRoster).toEqual(['linus.pauling@northwind.example'])
        expect(s.missingSince).toEqual({ 'linus.pauling@northwind.example': '2026-11-15T09:00:00.000Z' })
      }
      const stats = await inventoryStats(t.store.db)
      expect(stats.roster).toMatchObject({ roster: true, onRoster: 3, missing: [{ email: 'linus.pauling@northwind.example', since: '2026-11-15T09:00:00.000Z', status: 'active' }] })
      const audit = await t.store.db.selectFrom('audit_events').select(['action', 'actor']).where('action', 'like', 'person.roster.%').execute()
      expect(audit).toEqual([{ action: 'person.roster.missing', actor: 'system:hr-import' }])
      // Listed again: the state clears.
      const back = await importRoster(t.store, { path: fixture('bamboohr.csv'), today: '2026-11-28' }, at('2026-11-29T09:00:00.000Z'))
      expect(back.missingFromRoster).toEqual([])
      expect((await t.store.db.selectFrom('people').select('roster_missing_since').where('email', '=', 'linus.pauling@northwind.example').executeTakeFirstOrThrow()).roster_missing_since).toBeNull()
    })

    it('should import nothing from a roster with a fatal error and record the failed run', async () => {
      t = await createTestStore(dialect)
      await expect(importRoster(t.store, { path: fixture('no-email-column.csv') }, options)).rejects.toThrow(CollectorError)
      expect(await t.store.db.selectFrom('people').select('id').execute()).toEqual([])
      const run = await t.store.db.selectFrom('scan_runs').select(['collector', 'status', 'error']).executeTakeFirstOrThrow()
      expect(run).toMatchObject({ collector: 'hr', status: 'failed' })
      expect(run.error).toContain('no email column')
    })
  })
}

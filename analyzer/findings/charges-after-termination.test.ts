import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { chargesAfterTermination } from './charges-after-termination.js'
import { analyzeTwice, hrPerson, importCardLines, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })

/**
 * bob left on 2026-10-01; his card still pays Notion after that. Beside it: Miro charged to him on his last day,
 * a Slack refund after it, a personal subscription after it, and ada (still employed) paying Notion.
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [hrPerson(`ada@${D}`), hrPerson(`bob@${D}`, { status: 'terminated', endDate: '2026-10-01' })])
  await importCardLines(t.store, 'ramp-2026.csv', [
    { day: '2026-09-02', email: `bob@${D}`, descriptor: 'NOTION LABS', amount: '10.00' },
    { day: '2026-10-01', email: `bob@${D}`, descriptor: 'MIRO.COM AMSTERDAM', amount: '16.00' },
    { day: '2026-10-01', email: `bob@${D}`, descriptor: 'NOTION LABS', amount: '10.00' },
    { day: '2026-10-02', email: `bob@${D}`, descriptor: 'NOTION LABS', amount: '10.00' },
    { day: '2026-10-05', email: `bob@${D}`, descriptor: 'SLACK T0123ABCD', amount: '-12.25' },
    { day: '2026-10-06', email: `bob@${D}`, descriptor: 'TELEGRAM PREMIUM', amount: '4.99' },
    { day: '2026-11-02', email: `bob@${D}`, descriptor: 'NOTION LABS', amount: '12.50' },
    { day: '2026-11-03', email: `ada@${D}`, descriptor: 'NOTION LABS', amount: '10.00' },
  ])
}

for (const dialect of DIALECTS) {
  describe(`charges-after-termination [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag an app still charged to a leaver\'s card after the end date, with the total, count and last charge since then', async () => {
      const found = await chargesAfterTermination.detect(t.store.db, config)
      expect(found).toHaveLength(1)
      expect(found[0]).toMatchObject({
        subjectKey: `spend:bob@${D}:notion`,
        severity: 'medium',
        title: `Notion still charged to bob@${D} after their end date (2026-10-01)`,
        // Only the two charges after 2026-10-01: not the one before, nor the one on the last day.
        evidence: { person: `bob@${D}`, endDate: '2026-10-01', app: { key: 'notion', name: 'Notion' }, currency: 'USD', totalMinor: 2250, charges: 2, lastCharge: '2026-11-02' },
      })
      expect(found[0]!.recommendation).toContain('it has billed 22.50 USD since they left')
    })

    it('should not flag a charge on the last day, a refund or a personal subscription after it, or a colleague\'s charges', async () => {
      const lines = await t.store.db
        .selectFrom('spend_transactions').innerJoin('apps', 'apps.id', 'spend_transactions.app_id').innerJoin('people', 'people.id', 'spend_transactions.person_id')
        .select(['apps.catalog_key', 'people.email', 'spend_transactions.posted_on']).where('apps.catalog_key', 'in', ['miro', 'slack', 'telegram']).orderBy('posted_on').execute()
      // Each of them is linked to bob and attributed to its app: the one condition that differs is the date, sign or category.
      expect(lines.map((l) => `${l.catalog_key} ${l.email} ${l.posted_on}`)).toEqual([`miro bob@${D} 2026-10-01`, `slack bob@${D} 2026-10-05`, `telegram bob@${D} 2026-10-06`])
      const keys = (await chargesAfterTermination.detect(t.store.db, config)).map((f) => f.subjectKey)
      expect(keys).toEqual([`spend:bob@${D}:notion`])
      // Telegram is left out for its personal category, not for want of a charge.
      const noPersonal = await chargesAfterTermination.detect(t.store.db, analyzerConfig({ asOf: AS_OF, personalCategories: ['none'] }))
      expect(noPersonal.map((f) => f.subjectKey)).toEqual([`spend:bob@${D}:notion`, `spend:bob@${D}:telegram`])
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'charges-after-termination')
      expect(runs.first).toMatchObject({ opened: 1, current: 1 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 1, current: 1 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

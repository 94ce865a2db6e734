import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { duplicateSpend } from './duplicate-spend.js'
import { analyzeTwice, hrPerson, importCardLines, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })

/**
 * Zoom paid by two people of two departments. Beside it: Slack charged on two cards of one person plus a refund to
 * a second person (one payer), and Miro whose second payer was charged the day before the spend window.
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [hrPerson(`ada@${D}`), hrPerson(`grace@${D}`, { department: 'Sales', title: 'Account executive' })])
  await importCardLines(t.store, 'ramp-2025.csv', [{ day: '2025-11-26', email: `grace@${D}`, descriptor: 'MIRO.COM AMSTERDAM', amount: '96.00', department: 'Sales' }])
  // One statement covering 2026-10-01 … 2026-10-30: 30 days, one month.
  await importCardLines(t.store, 'ramp-2026-10.csv', [
    { day: '2026-10-01', email: `ada@${D}`, descriptor: 'SLACK T0123ABCD', amount: '87.50' },
    { day: '2026-10-05', email: `ada@${D}`, descriptor: 'ZOOM.US 888-799-9666', amount: '15.00' },
    { day: '2026-10-07', email: `grace@${D}`, descriptor: 'ZOOM.US 888-799-9666', amount: '16.99', department: 'Sales' },
    { day: '2026-10-09', email: `grace@${D}`, descriptor: 'SLACK T0123ABCD', amount: '-12.25', department: 'Sales' },
    { day: '2026-10-20', email: `ada@${D}`, descriptor: 'MIRO.COM AMSTERDAM', amount: '96.00' },
    { day: '2026-10-30', email: `ada@${D}`, descriptor: 'SLACK T0123ABCD', amount: '87.50' },
  ])
}

for (const dialect of DIALECTS) {
  describe(`duplicate-spend [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag an app paid by two people, with each payer\'s total, the run-rate and the statement period behind it', async () => {
      const found = await duplicateSpend.detect(t.store.db, config)
      expect(found.map((f) => f.subjectKey)).toEqual(['app:zoom'])
      expect(found[0]).toMatchObject({
        severity: 'low',
        title: 'Zoom is paid by 2 separate payers (383.88 USD a year)',
        evidence: {
          app: { key: 'zoom', name: 'Zoom', status: 'unknown' },
          windowDays: 365,
          totals: { USD: 3199 },
          byCurrency: { USD: { monthlyMinor: 3199, annualMinor: 38388 } },
          payers: [
            { payer: `ada@${D}`, department: 'Engineering', currency: 'USD', totalMinor: 1500, charges: 1 },
            { payer: `grace@${D}`, department: 'Sales', currency: 'USD', totalMinor: 1699, charges: 1 },
          ],
          departments: ['Engineering', 'Sales'],
          coverage: [{ layout: 'ramp', first: '2026-10-01', last: '2026-10-30', days: 30, months: 1, statements: 1 }],
        },
      })
      expect(found[0]!.recommendation).toContain('cancel the 1 other subscription(s)')
    })

    it('should not flag one person paying on two cards, a second person who was only refunded, or a second payer charged before the window', async () => {
      // The negatives are really paid, in the window, by the first payer: only the second payer's condition differs.
      const paid = await t.store.db
        .selectFrom('spend_transactions').innerJoin('apps', 'apps.id', 'spend_transactions.app_id')
        .select(['apps.catalog_key', 'spend_transactions.card_last4', 'spend_transactions.cardholder_email', 'spend_transactions.amount_minor', 'spend_transactions.posted_on'])
        .where('apps.catalog_key', 'in', ['slack', 'miro']).orderBy('posted_on').execute()
      expect(paid.map((p) => [p.catalog_key, p.cardholder_email, p.amount_minor, p.posted_on])).toEqual([
        ['miro', `grace@${D}`, 9600, '2025-11-26'],
        ['slack', `ada@${D}`, 8750, '2026-10-01'],
        ['slack', `grace@${D}`, -1225, '2026-10-09'],
        ['miro', `ada@${D}`, 9600, '2026-10-20'],
        ['slack', `ada@${D}`, 8750, '2026-10-30'],
      ])
      expect(new Set(paid.filter((p) => p.catalog_key === 'slack' && p.amount_minor > 0).map((p) => p.card_last4)).size).toBe(2)
      const keys = (await duplicateSpend.detect(t.store.db, config)).map((f) => f.subjectKey)
      expect(keys).not.toContain('app:slack')
      expect(keys).not.toContain('app:miro')
      // A window one day longer takes in Miro's second payer.
      const longer = await duplicateSpend.detect(t.store.db, analyzerConfig({ asOf: AS_OF, spendWindowDays: 366 }))
      expect(longer.map((f) => f.subjectKey)).toEqual(['app:miro', 'app:zoom'])
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'duplicate-spend')
      expect(runs.first).toMatchObject({ opened: 1, current: 1 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 1, current: 1 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setAppStatus } from '../../data/apps.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { overlappingTools } from './overlapping-tools.js'
import { analyzeTwice, hrPerson, importCardLines, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })

/**
 * Zoom and Webex both paid (two video-meeting tools). Beside them: Jira and its umbrella billing entity Atlassian
 * Cloud (one purchase), and Linear, a second issue tracker, charged the day before the spend window.
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [hrPerson(`ada@${D}`)])
  await importCardLines(t.store, 'ramp-2025.csv', [{ day: '2025-11-26', email: `ada@${D}`, descriptor: 'LINEAR.APP', amount: '8.00' }])
  // One statement covering 2026-10-01 … 2026-10-30: one month.
  await importCardLines(t.store, 'ramp-2026-10.csv', [
    { day: '2026-10-01', email: `ada@${D}`, descriptor: 'ZOOM.US 888-799-9666', amount: '15.00' },
    { day: '2026-10-02', email: `ada@${D}`, descriptor: 'CISCO WEBEX', amount: '20.00' },
    { day: '2026-10-03', email: `ada@${D}`, descriptor: 'JIRA SOFTWARE', amount: '70.00' },
    { day: '2026-10-30', email: `ada@${D}`, descriptor: 'ATLASSIAN SYDNEY', amount: '450.00' },
  ])
  await setAppStatus(t.store.db, { app: { key: 'zoom' }, status: 'sanctioned', actor: `it@${D}`, at: AS_OF })
}

for (const dialect of DIALECTS) {
  describe(`overlapping-tools [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag two paid tools of one function, with each one\'s run-rate and the sum a year', async () => {
      const found = await overlappingTools.detect(t.store.db, config)
      expect(found.map((f) => f.subjectKey)).toEqual(['category:video-meetings'])
      expect(found[0]).toMatchObject({
        severity: 'low',
        title: '2 paid video-meetings tools: Webex, Zoom',
        evidence: {
          category: 'video-meetings',
          apps: [
            { key: 'webex', name: 'Webex', status: 'unknown', byCurrency: { USD: { monthlyMinor: 2000, annualMinor: 24000 } } },
            { key: 'zoom', name: 'Zoom', status: 'sanctioned', byCurrency: { USD: { monthlyMinor: 1500, annualMinor: 18000 } } },
          ],
          annualByCurrency: { USD: 42000 },
          windowDays: 365,
          coverage: [{ layout: 'ramp', first: '2026-10-01', last: '2026-10-30', days: 30, months: 1, statements: 1 }],
        },
      })
      expect(found[0]!.recommendation).toContain('prefer the sanctioned one: Zoom')
    })

    it('should not count a product and its umbrella billing entity as two tools, nor a second tool paid before the window', async () => {
      const paid = await t.store.db
        .selectFrom('spend_transactions').innerJoin('apps', 'apps.id', 'spend_transactions.app_id')
        .select(['apps.catalog_key', 'spend_transactions.posted_on']).where('apps.catalog_key', 'in', ['jira', 'atlassian-cloud', 'linear']).orderBy('posted_on').execute()
      expect(paid.map((p) => [p.catalog_key, p.posted_on])).toEqual([['linear', '2025-11-26'], ['jira', '2026-10-03'], ['atlassian-cloud', '2026-10-30']])
      expect((await overlappingTools.detect(t.store.db, config)).map((f) => f.subjectKey)).not.toContain('category:issue-tracking')
      // One day more of window takes in Linear: then Jira and Linear overlap, and Atlassian Cloud is still not a third tool.
      const longer = await overlappingTools.detect(t.store.db, analyzerConfig({ asOf: AS_OF, spendWindowDays: 366 }))
      const tracking = longer.find((f) => f.subjectKey === 'category:issue-tracking')
      expect(tracking?.evidence).toMatchObject({ apps: [{ key: 'jira' }, { key: 'linear' }] })
      expect((tracking?.evidence as { apps: unknown[] }).apps).toHaveLength(2)
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'overlapping-tools')
      expect(runs.first).toMatchObject({ opened: 1, current: 1 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 1, current: 1 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

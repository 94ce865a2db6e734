import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord, PersonRecord } from '../../collectors/sdk/records.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { terminatedSeats } from './terminated-seat.js'
import { analyzeTwice, hrPerson, importCardLines, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })
const PERIOD = { layout: 'ramp', first: '2026-10-01', last: '2026-10-30', days: 30, months: 1, statements: 1 }

function ssoApp(id: string, label: string): ObservedRecord {
  return { type: 'source-app', externalId: id, label, status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: label }] }
}
function seat(email: string, app: string): ObservedRecord {
  return { type: 'account', app: { sourceAppId: app }, externalId: `${app}/${email}`, email }
}
function googleUser(email: string): PersonRecord {
  return { type: 'person', externalId: `g-${email}`, email, status: 'active', sourceStatus: 'enabled' }
}

/**
 * bob left on 2026-10-01 and keeps a Slack seat and an enabled Google Workspace user, both paid. Beside them: ada's
 * live seats (she has not left), bob's seat on Datadog (billed by usage) and on Figma (last paid the day before
 * the spend window).
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [hrPerson(`ada@${D}`), hrPerson(`bob@${D}`, { status: 'terminated', endDate: '2026-10-01' })])
  await observe(t.store, 'okta', [
    ssoApp('0oa-slack', 'Slack'), ssoApp('0oa-datadog', 'Datadog'), ssoApp('0oa-figma', 'Figma'),
    seat(`ada@${D}`, '0oa-slack'), seat(`bob@${D}`, '0oa-slack'), seat(`bob@${D}`, '0oa-datadog'), seat(`bob@${D}`, '0oa-figma'),
  ])
  await observe(t.store, 'google', [googleUser(`ada@${D}`), googleUser(`bob@${D}`)])
  await importCardLines(t.store, 'ramp-2025.csv', [{ day: '2025-11-26', email: `ada@${D}`, descriptor: 'FIGMA MONTHLY', amount: '45.00' }])
  // One statement covering 2026-10-01 … 2026-10-30: one month.
  await importCardLines(t.store, 'ramp-2026-10.csv', [
    { day: '2026-10-01', email: `ada@${D}`, descriptor: 'SLACK T0123ABCD', amount: '100.00' },
    { day: '2026-10-02', email: `ada@${D}`, descriptor: 'DATADOG INC', amount: '300.00' },
    { day: '2026-10-30', email: `ada@${D}`, descriptor: 'GOOGLE *GSUITE_NORTHWIND', amount: '36.00' },
  ])
}

for (const dialect of DIALECTS) {
  describe(`terminated-seat [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag a leaver\'s paid app seat and enabled directory user, each priced at the app\'s run-rate per live seat', async () => {
      const found = await terminatedSeats.detect(t.store.db, config)
      expect(found.map((f) => f.subjectKey)).toEqual([`account:slack:okta:0oa-slack/bob@${D}`, `account:google-workspace:google:g-bob@${D}`])
      expect(found[0]).toMatchObject({
        subjectType: 'account',
        title: `bob@${D} left on 2026-10-01 and still holds a paid Slack seat`,
        // 100.00 a month over Slack's two live seats.
        evidence: { person: `bob@${D}`, endDate: '2026-10-01', app: { key: 'slack', name: 'Slack' }, source: 'okta', account: `0oa-slack/bob@${D}`, estimatedMonthlySeatMinor: 5000, currency: 'USD', coverage: [PERIOD] },
      })
      expect(found[0]!.recommendation).toContain('about 50.00 USD a month')
      expect(found[1]).toMatchObject({
        subjectType: 'identity',
        // 36.00 a month over the two enabled Google users.
        evidence: { person: `bob@${D}`, app: { key: 'google-workspace', name: 'Google Workspace' }, source: 'google', account: `g-bob@${D}`, directoryAccount: true, estimatedMonthlySeatMinor: 1800, currency: 'USD', coverage: [PERIOD] },
      })
    })

    it('should not flag a leaver\'s seat on a usage-billed app or on an app not paid in the window, nor a colleague\'s seat', async () => {
      const seats = await t.store.db
        .selectFrom('accounts').innerJoin('apps', 'apps.id', 'accounts.app_id').innerJoin('people', 'people.id', 'accounts.person_id')
        .select(['people.email', 'apps.catalog_key']).where('accounts.gone_at', 'is', null).orderBy('people.email').orderBy('apps.catalog_key').execute()
      expect(seats.map((s) => `${s.email} ${s.catalog_key}`)).toEqual([`ada@${D} slack`, `bob@${D} datadog`, `bob@${D} figma`, `bob@${D} slack`])
      const keys = (await terminatedSeats.detect(t.store.db, config)).map((f) => f.subjectKey)
      expect(keys.filter((k) => /datadog|figma|ada@/.test(k))).toEqual([])
      // Datadog is left out because it is billed by usage, not for want of spend: without that rule it is flagged.
      const perSeat = await terminatedSeats.detect(t.store.db, analyzerConfig({ asOf: AS_OF, usageBilledFunctions: [] }))
      expect(perSeat.map((f) => f.subjectKey)).toContain(`account:datadog:okta:0oa-datadog/bob@${D}`)
      // One day more of window takes in Figma's last charge.
      const longer = await terminatedSeats.detect(t.store.db, analyzerConfig({ asOf: AS_OF, spendWindowDays: 366 }))
      expect(longer.map((f) => f.subjectKey)).toContain(`account:figma:okta:0oa-figma/bob@${D}`)
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'terminated-seat')
      expect(runs.first).toMatchObject({ opened: 2, current: 2 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 2, current: 2 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

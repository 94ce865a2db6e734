import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord } from '../../collectors/sdk/records.js'
import { setAppStatus } from '../../data/apps.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { shadowApps } from './shadow-app.js'
import { analyzeTwice, hrPerson, importCardLines, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })

function grant(email: string, clientName: string, scopes: string[], risk: string): ObservedRecord {
  return { type: 'grant', userExternalId: `g-${email}`, email, clientId: `${clientName.toLowerCase()}-client`, clientName, scopes, risk, signals: [{ kind: 'oauth_client', value: clientName }] }
}
function integrated(id: string, label: string): ObservedRecord {
  return { type: 'source-app', externalId: id, label, status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: label }] }
}
function seat(email: string, app: string): ObservedRecord {
  return { type: 'account', app: { sourceAppId: app }, externalId: `${app}/${email}`, userExternalId: `00u-${email}`, email }
}

/** Notion: unsanctioned, used and paid. Beside it, the cases one condition away that must not be flagged. */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [hrPerson(`ada@${D}`), hrPerson(`grace@${D}`)])
  await observe(t.store, 'google', [
    grant(`ada@${D}`, 'Notion', ['openid', 'https://www.googleapis.com/auth/userinfo.email'], 'low'),
    grant(`grace@${D}`, 'Notion', ['openid'], 'low'),
  ])
  // Slack is used exactly like Notion but integrated with the IdP (so sanctioned); Jira likewise, which covers
  // Atlassian's bill.
  await observe(t.store, 'okta', [integrated('0oa-slack', 'Slack'), integrated('0oa-jira', 'Jira'), seat(`ada@${D}`, '0oa-slack'), seat(`grace@${D}`, '0oa-slack'), seat(`ada@${D}`, '0oa-jira')])
  // The spend window is 365 days back from asOf: 2025-11-27 is its first day, 2025-11-26 the day before it.
  await importCardLines(t.store, 'ramp-2025.csv', [
    { day: '2025-11-26', email: `ada@${D}`, descriptor: 'MIRO.COM AMSTERDAM', amount: '96.00' },
    { day: '2025-11-27', email: `ada@${D}`, descriptor: 'CALENDLY', amount: '12.00' },
  ])
  await importCardLines(t.store, 'ramp-2026.csv', [
    { day: '2026-10-01', email: `ada@${D}`, descriptor: 'NOTION LABS', amount: '120.00' },
    { day: '2026-10-02', email: `ada@${D}`, descriptor: 'SLACK T0123ABCD', amount: '87.50' },
    { day: '2026-10-03', email: `ada@${D}`, descriptor: 'ATLASSIAN SYDNEY', amount: '450.00' },
    { day: '2026-10-04', email: `grace@${D}`, descriptor: 'TELEGRAM PREMIUM', amount: '4.99' },
  ])
}

async function appStatus(t: TestStore, key: string): Promise<string | undefined> {
  return (await t.store.db.selectFrom('apps').select('status').where('catalog_key', '=', key).executeTakeFirst())?.status
}

for (const dialect of DIALECTS) {
  describe(`shadow-app [${dialect}]`, () => {
    // One seeded store per dialect (seeding imports two statements); the test that changes it runs last.
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag an unsanctioned app that people use and pay for, with its users, spend, grants and sources', async () => {
      const found = await shadowApps.detect(t.store.db, config)
      expect(found.map((f) => [f.subjectKey, f.severity])).toEqual([
        ['app:notion', 'low'],
        ['app:calendly', 'low'],
      ])
      expect(found[0]).toMatchObject({
        title: 'Unsanctioned app in use: Notion',
        evidence: {
          app: { key: 'notion', name: 'Notion', status: 'unknown', catalogued: true },
          users: 2,
          spendLast12Months: { amountMinor: 12000, currency: 'USD' },
          activeGrants: 2,
          maxGrantRisk: 'low',
          seenBy: ['oauth:google', 'spend'],
        },
      })
      expect(found[0]!.recommendation).toContain('2 people use it, 120.00 USD paid in the last 12 months')
      // A charge on the window's first day still counts.
      expect(found[1]!.evidence).toMatchObject({ users: 0, spendLast12Months: { amountMinor: 1200, currency: 'USD' } })
    })

    it('should not flag a sanctioned app, an umbrella a sanctioned product covers, a personal subscription, or spend a day before the window', async () => {
      // Each negative is in the inventory and not sanctioned itself where that is the point: only the one condition differs.
      expect(await appStatus(t, 'slack')).toBe('sanctioned')
      expect(await appStatus(t, 'jira')).toBe('sanctioned')
      expect(await appStatus(t, 'atlassian-cloud')).toBe('unknown')
      expect(await appStatus(t, 'telegram')).toBe('unknown')
      expect(await appStatus(t, 'miro')).toBe('unknown')
      const keys = (await shadowApps.detect(t.store.db, config)).map((f) => f.subjectKey)
      for (const key of ['app:slack', 'app:jira', 'app:atlassian-cloud', 'app:telegram', 'app:miro']) expect(keys).not.toContain(key)
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'shadow-app')
      expect(runs.first).toMatchObject({ opened: 2, current: 2 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 2, current: 2 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })

    it('should make a blocked app critical', async () => {
      await setAppStatus(t.store.db, { app: { key: 'notion' }, status: 'blocked', actor: 'it@northwind.example', at: AS_OF })
      const notion = (await shadowApps.detect(t.store.db, config)).find((f) => f.subjectKey === 'app:notion')!
      expect(notion).toMatchObject({ severity: 'critical', title: 'Blocked app in use: Notion', evidence: { app: { status: 'blocked' } } })
    })
  })
}

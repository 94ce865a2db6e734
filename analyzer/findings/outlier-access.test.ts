import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord } from '../../collectors/sdk/records.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { outlierAccess } from './outlier-access.js'
import { analyzeTwice, hrPerson, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF, outlierMinPeers: 5 })

function ssoApp(label: string): ObservedRecord {
  return { type: 'source-app', externalId: `0oa-${label.toLowerCase()}`, label, status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: label }] }
}
function seat(email: string, label: string): ObservedRecord {
  return { type: 'account', app: { sourceAppId: `0oa-${label.toLowerCase()}` }, externalId: `${label.toLowerCase()}/${email}`, email }
}

/**
 * Five engineers all on Slack; e1 alone also on Figma. Beside it: e1 and e2 both on Miro, and four account
 * executives of whom s1 alone has HubSpot (a group too small to compare).
 */
async function seed(t: TestStore): Promise<void> {
  const engineers = ['e1', 'e2', 'e3', 'e4', 'e5'].map((n) => `${n}@${D}`)
  const sales = ['s1', 's2', 's3', 's4'].map((n) => `${n}@${D}`)
  await observe(t.store, 'hr', [...engineers.map((e) => hrPerson(e)), ...sales.map((s) => hrPerson(s, { department: 'Sales', title: 'Account executive' }))])
  await observe(t.store, 'okta', [
    ssoApp('Slack'), ssoApp('Figma'), ssoApp('Miro'), ssoApp('HubSpot'),
    ...engineers.map((e) => seat(e, 'Slack')), seat(engineers[0]!, 'Figma'), seat(engineers[0]!, 'Miro'), seat(engineers[1]!, 'Miro'),
    ...sales.map((s) => seat(s, 'Slack')), seat(sales[0]!, 'HubSpot'),
  ])
}

for (const dialect of DIALECTS) {
  describe(`outlier-access [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag an app only one person of a large enough peer group has, with the group and its size', async () => {
      const found = await outlierAccess.detect(t.store.db, config)
      expect(found).toHaveLength(1)
      expect(found[0]).toMatchObject({
        subjectKey: `access:e1@${D}:figma`,
        severity: 'low',
        score: 5,
        title: `e1@${D} is the only Engineer in Engineering with Figma`,
        evidence: { user: `e1@${D}`, app: { key: 'figma', name: 'Figma' }, peerGroup: { department: 'Engineering', title: 'Engineer', size: 5 }, peersWithAccess: 0 },
        recommendation: `Ask e1@${D}'s manager whether Figma is needed for the role; none of the other 4 peers have it.`,
      })
    })

    it('should not flag an app two peers share, nor a sole holder in a group smaller than the minimum', async () => {
      const keys = (await outlierAccess.detect(t.store.db, config)).map((f) => f.subjectKey)
      expect(keys).not.toContain(`access:e1@${D}:miro`)
      expect(keys).not.toContain(`access:s1@${D}:hubspot`)
      // The sales group is left out for its size alone: at a minimum of four, s1's HubSpot is an outlier.
      const smaller = await outlierAccess.detect(t.store.db, analyzerConfig({ asOf: AS_OF, outlierMinPeers: 4 }))
      expect(smaller.map((f) => f.subjectKey)).toEqual([`access:e1@${D}:figma`, `access:s1@${D}:hubspot`])
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'outlier-access')
      expect(runs.first).toMatchObject({ opened: 1, current: 1 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 1, current: 1 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

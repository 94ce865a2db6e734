import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord } from '../../collectors/sdk/records.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { contractorsPastEnd } from './contractor-past-end.js'
import { analyzeTwice, hrPerson, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })

function seat(email: string): ObservedRecord {
  return { type: 'account', app: { sourceAppId: '0oa-slack' }, externalId: `slack/${email}`, email }
}

/**
 * carl's contract ended on 2026-09-30 and he still has a Slack seat and an OAuth grant; dora's ended on 2026-11-01
 * and she holds nothing. Beside them: eve's contract ends today, fay is an employee past her end date, gus is a
 * contractor HR already terminated.
 */
async function seed(t: TestStore): Promise<void> {
  const contractor = (email: string, endDate: string, extra = {}) => hrPerson(email, { employmentType: 'contractor', endDate, department: 'Design', title: 'Illustrator', ...extra })
  await observe(t.store, 'hr', [
    contractor(`carl@${D}`, '2026-09-30'),
    contractor(`dora@${D}`, '2026-11-01'),
    contractor(`eve@${D}`, '2026-11-27'),
    hrPerson(`fay@${D}`, { endDate: '2026-09-30' }),
    contractor(`gus@${D}`, '2026-09-30', { status: 'terminated' }),
  ])
  await observe(t.store, 'okta', [
    { type: 'source-app', externalId: '0oa-slack', label: 'Slack', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Slack' }] },
    seat(`carl@${D}`), seat(`eve@${D}`), seat(`fay@${D}`), seat(`gus@${D}`),
  ])
  await observe(t.store, 'google', [
    { type: 'grant', userExternalId: `g-carl@${D}`, email: `carl@${D}`, clientId: 'figma-client', clientName: 'Figma', scopes: ['openid'], risk: 'low', signals: [{ kind: 'oauth_client', value: 'Figma' }] },
  ])
}

for (const dialect of DIALECTS) {
  describe(`contractor-past-end [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag contractors still active after their end date, high while they hold live access', async () => {
      const found = await contractorsPastEnd.detect(t.store.db, config)
      expect(found.map((f) => [f.subjectKey, f.severity])).toEqual([[`person:carl@${D}`, 'high'], [`person:dora@${D}`, 'low']])
      expect(found[0]).toMatchObject({
        title: `Contractor carl@${D} ended on 2026-09-30 and still holds 2 account(s)/grant(s)`,
        evidence: { person: { email: `carl@${D}`, status: 'active', endDate: '2026-09-30', department: 'Design' }, liveAccess: 2, daysSinceEnd: 58 },
        recommendation: `Extend the contract in the HR system or remove carl@${D}'s access.`,
      })
      expect(found[1]).toMatchObject({ evidence: { liveAccess: 0, daysSinceEnd: 26 }, recommendation: `Confirm dora@${D}'s contract ended and close their HR record.` })
    })

    it('should not flag a contract ending today, an employee past an end date, or a contractor HR terminated', async () => {
      const keys = (await contractorsPastEnd.detect(t.store.db, config)).map((f) => f.subjectKey)
      for (const who of ['eve', 'fay', 'gus']) expect(keys).not.toContain(`person:${who}@${D}`)
      // The next day eve's contract has ended.
      const tomorrow = await contractorsPastEnd.detect(t.store.db, analyzerConfig({ asOf: '2026-11-28T00:00:00.000Z' }))
      expect(tomorrow.map((f) => f.subjectKey)).toContain(`person:eve@${D}`)
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'contractor-past-end')
      expect(runs.first).toMatchObject({ opened: 2, current: 2 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 2, current: 2 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord } from '../../collectors/sdk/records.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { inactiveLicenses } from './inactive-license.js'
import { analyzeTwice, hrPerson, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
// 60 days: the cutoff is 2026-09-28T23:59:59.999Z.
const config = analyzerConfig({ asOf: AS_OF, inactiveDays: 60 })
const ASSIGNED = '2025-01-01T00:00:00.000Z'

function seat(email: string, createdAt = ASSIGNED, licensed = false): ObservedRecord {
  return { type: 'account', app: { sourceAppId: '0oa-slack' }, externalId: `slack/${email}`, email, createdAt, licensed }
}
function signin(email: string, at: string): ObservedRecord {
  return { type: 'signin', eventId: `s-${email}-${at}`, occurredAt: at, email, result: 'success', app: { sourceAppId: '0oa-slack', ref: '0oa-slack', signals: [] } }
}

/**
 * ada last signed in to Slack just outside the 60 days and cat never did. Beside them: bob, who signed in just
 * inside the 60 days; dan, whose seat is newer than 60 days; eve, who left (another kind's case).
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [
    hrPerson(`ada@${D}`), hrPerson(`bob@${D}`), hrPerson(`cat@${D}`), hrPerson(`dan@${D}`), hrPerson(`eve@${D}`, { status: 'terminated', endDate: '2026-06-30' }),
  ])
  await observe(t.store, 'okta', [
    { type: 'source-app', externalId: '0oa-slack', label: 'Slack', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Slack' }] },
    seat(`ada@${D}`, ASSIGNED, true), seat(`bob@${D}`), seat(`cat@${D}`), seat(`dan@${D}`, '2026-10-15T00:00:00.000Z'), seat(`eve@${D}`),
    signin(`ada@${D}`, '2026-08-01T09:00:00.000Z'), signin(`ada@${D}`, '2026-09-28T09:00:00.000Z'),
    signin(`bob@${D}`, '2026-09-29T09:00:00.000Z'),
  ])
}

for (const dialect of DIALECTS) {
  describe(`inactive-license [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag an active person\'s seat unused for the threshold, with the last activity and the assignment date', async () => {
      const found = await inactiveLicenses.detect(t.store.db, config)
      expect(found.map((f) => f.subjectKey)).toEqual([`account:slack:okta:slack/ada@${D}`, `account:slack:okta:slack/cat@${D}`])
      expect(found[0]).toMatchObject({
        severity: 'low',
        score: 60,
        title: `ada@${D} has not used Slack since 2026-09-28`,
        evidence: { user: `ada@${D}`, app: { key: 'slack', name: 'Slack' }, source: 'okta', assignedSince: ASSIGNED, lastActivity: '2026-09-28T09:00:00.000Z', thresholdDays: 60, licensed: true },
      })
      expect(found[1]).toMatchObject({
        score: 695,
        title: `cat@${D} has not used Slack since the account was assigned`,
        evidence: { user: `cat@${D}`, lastActivity: null, licensed: false },
      })
    })

    it('should not flag a seat used just inside the threshold, a seat assigned within it, or a leaver\'s seat', async () => {
      const keys = (await inactiveLicenses.detect(t.store.db, config)).map((f) => f.subjectKey)
      for (const who of ['bob', 'dan', 'eve']) expect(keys).not.toContain(`account:slack:okta:slack/${who}@${D}`)
      // A day later bob's last sign-in is outside the threshold too.
      const later = await inactiveLicenses.detect(t.store.db, analyzerConfig({ asOf: '2026-11-28T23:59:59.999Z', inactiveDays: 60 }))
      expect(later.map((f) => f.subjectKey)).toContain(`account:slack:okta:slack/bob@${D}`)
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'inactive-license')
      expect(runs.first).toMatchObject({ opened: 2, current: 2 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 2, current: 2 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

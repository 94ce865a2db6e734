import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord, PersonRecord } from '../../collectors/sdk/records.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { orphanedAccess } from './orphaned-access.js'
import { analyzeTwice, hrPerson, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })

function oktaUser(email: string, status: PersonRecord['status'], sourceStatus: string): PersonRecord {
  return { type: 'person', externalId: `00u-${email}`, email, status, sourceStatus }
}
function seat(email: string): ObservedRecord {
  return { type: 'account', app: { sourceAppId: '0oa-slack' }, externalId: `slack/${email}`, userExternalId: `00u-${email}`, email }
}
function signin(email: string, at: string): ObservedRecord {
  return { type: 'signin', eventId: `${email}-${at}`, occurredAt: at, userExternalId: `00u-${email}`, email, result: 'success', app: { sourceAppId: '0oa-slack', ref: '0oa-slack', signals: [] } }
}

/**
 * bob left on 2026-10-01 and still has an enabled Okta user, a Slack seat, an OAuth grant and a sign-in after his
 * last day; sue is suspended and keeps a Slack seat. Beside them: carl, who left the same day, whose Okta user is
 * deprovisioned and whose last sign-in was on his last day; and ada, still employed, with everything bob has.
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [
    hrPerson(`ada@${D}`),
    hrPerson(`bob@${D}`, { status: 'terminated', endDate: '2026-10-01', department: 'Sales' }),
    hrPerson(`carl@${D}`, { status: 'terminated', endDate: '2026-10-01' }),
    hrPerson(`sue@${D}`, { status: 'suspended', employmentType: 'contractor' }),
  ])
  await observe(t.store, 'okta', [
    oktaUser(`ada@${D}`, 'active', 'ACTIVE'), oktaUser(`bob@${D}`, 'active', 'ACTIVE'), oktaUser(`carl@${D}`, 'terminated', 'DEPROVISIONED'),
    { type: 'source-app', externalId: '0oa-slack', label: 'Slack', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Slack' }] },
    seat(`ada@${D}`), seat(`bob@${D}`), seat(`sue@${D}`),
    signin(`ada@${D}`, '2026-11-02T09:00:00.000Z'), signin(`bob@${D}`, '2026-11-02T09:00:00.000Z'), signin(`carl@${D}`, '2026-10-01T17:30:00.000Z'),
  ])
  const grant = (email: string): ObservedRecord => ({
    type: 'grant', userExternalId: `g-${email}`, email, clientId: 'inboxpilot-client', clientName: 'InboxPilot', scopes: ['https://mail.google.com/'], risk: 'high', signals: [{ kind: 'oauth_client', value: 'InboxPilot' }],
  })
  await observe(t.store, 'google', [grant(`ada@${D}`), grant(`bob@${D}`)])
}

for (const dialect of DIALECTS) {
  describe(`orphaned-access [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should list every trace a leaver still has, critical when the identity was used after the end date', async () => {
      const found = await orphanedAccess.detect(t.store.db, config)
      expect(found.map((f) => [f.subjectKey, f.severity])).toEqual([[`person:bob@${D}`, 'critical'], [`person:sue@${D}`, 'medium']])
      expect(found[0]).toMatchObject({
        title: `Former employee bob@${D} still has 4 traces of access (2 apps)`,
        evidence: {
          person: { email: `bob@${D}`, status: 'terminated', endDate: '2026-10-01', department: 'Sales', employmentType: 'employee' },
          daysSinceEnd: 57,
          // An unknown OAuth client's app is named from its candidate key; the grant's own client name is in the detail.
          apps: ['Inboxpilot', 'Slack'],
          traces: [
            { app: 'candidate:inboxpilot', appName: 'Inboxpilot', kind: 'grant', source: 'google', detail: 'OAuth grant to InboxPilot (high risk)' },
            { app: 'directory:okta', appName: 'okta directory', kind: 'directory account', source: 'okta', detail: `okta user 00u-bob@${D} still enabled (ACTIVE)` },
            { app: 'slack', appName: 'Slack', kind: 'account', source: 'okta', detail: `account slack/bob@${D}` },
            { app: 'slack', appName: 'Slack', kind: 'sign-in after end date', source: 'okta', detail: '1 sign-in(s), last 2026-11-02T09:00:00.000Z' },
          ],
        },
      })
      expect(found[0]!.recommendation).toContain('disable the 1 directory account(s), remove the 1 app account(s) and revoke the 1 OAuth grant(s) listed; activity after the end date')
      expect(found[1]).toMatchObject({
        title: `Suspended contractor sue@${D} still has 1 trace of access (1 app)`,
        evidence: { daysSinceEnd: null, traces: [{ app: 'slack', kind: 'account', detail: `account slack/sue@${D}` }] },
      })
    })

    it('should not flag a leaver whose directory user is deprovisioned and whose last sign-in was on the last day, nor an active colleague', async () => {
      const carl = await t.store.db
        .selectFrom('signin_daily').innerJoin('people', 'people.id', 'signin_daily.person_id')
        .select(['signin_daily.day', 'signin_daily.successes']).where('people.email', '=', `carl@${D}`).execute()
      expect(carl).toEqual([{ day: '2026-10-01', successes: 1 }])
      const keys = (await orphanedAccess.detect(t.store.db, config)).map((f) => f.subjectKey)
      expect(keys).not.toContain(`person:carl@${D}`)
      expect(keys).not.toContain(`person:ada@${D}`)
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'orphaned-access')
      expect(runs.first).toMatchObject({ opened: 2, current: 2 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 2, current: 2 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

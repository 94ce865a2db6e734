import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord, PersonRecord } from '../../collectors/sdk/records.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { unmatchedIdentities } from './unmatched-identity.js'
import { analyzeTwice, hrPerson, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })

function oktaUser(email: string): PersonRecord {
  return { type: 'person', externalId: `00u-${email}`, email, status: 'active', sourceStatus: 'ACTIVE' }
}
function seat(email: string): ObservedRecord {
  return { type: 'account', app: { sourceAppId: '0oa-slack' }, externalId: `slack/${email}`, userExternalId: `00u-${email}`, email }
}
function signin(email: string): ObservedRecord {
  return { type: 'signin', eventId: `s-${email}`, occurredAt: '2026-11-20T09:00:00.000Z', userExternalId: `00u-${email}`, email, result: 'success', app: { sourceAppId: '0oa-slack', ref: '0oa-slack', signals: [] } }
}

/**
 * svc-ci@ (a CI service user with a Slack seat, never signed in) and team@ (a shared mailbox people sign in with)
 * are in the company domain and on no HR row. Beside them: ada (on the roster), and a partner's guest user.
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [hrPerson(`ada@${D}`), hrPerson(`bob@${D}`)])
  await observe(t.store, 'okta', [
    { type: 'source-app', externalId: '0oa-slack', label: 'Slack', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Slack' }] },
    oktaUser(`ada@${D}`), oktaUser(`svc-ci@${D}`), oktaUser(`team@${D}`), oktaUser('lee@partner.example'),
    seat(`ada@${D}`), seat(`svc-ci@${D}`), seat('lee@partner.example'),
    signin(`ada@${D}`), signin(`team@${D}`), signin('lee@partner.example'),
  ])
}

for (const dialect of DIALECTS) {
  describe(`unmatched-identity [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag company-domain identities no HR row matches, with where they are seen and why they look like a service account', async () => {
      const found = await unmatchedIdentities.detect(t.store.db, config)
      expect(found.map((f) => f.subjectKey)).toEqual([`identity:svc-ci@${D}`, `identity:team@${D}`])
      expect(found[0]).toMatchObject({
        severity: 'medium',
        title: `svc-ci@${D} is in the company domain but not on the HR roster (looks like a service account: named like a service account (svc-ci), no interactive sign-in)`,
        evidence: { email: `svc-ci@${D}`, domain: D, seenIn: ['account:Slack (okta)', 'identity:okta'], service: true, serviceHints: ['named like a service account (svc-ci)', 'no interactive sign-in'] },
      })
      // People sign in with team@: it is shared, not a service account.
      expect(found[1]).toMatchObject({
        title: `team@${D} is in the company domain but not on the HR roster`,
        evidence: { email: `team@${D}`, seenIn: ['identity:okta'], service: false, serviceHints: [] },
      })
    })

    it('should not flag an identity on the roster or one outside the company domains', async () => {
      const keys = (await unmatchedIdentities.detect(t.store.db, config)).map((f) => f.subjectKey)
      expect(keys).not.toContain(`identity:ada@${D}`)
      expect(keys).not.toContain('identity:lee@partner.example')
      // The partner's user is left out for its domain alone: name the domain and it is flagged.
      const partner = await unmatchedIdentities.detect(t.store.db, analyzerConfig({ asOf: AS_OF, companyDomains: [D, 'partner.example'] }))
      expect(partner.map((f) => f.subjectKey)).toContain('identity:lee@partner.example')
    })

    it('should see a shared mailbox\'s sign-ins when the directory was read before the roster', async () => {
      // Read before any roster, the directory makes team@ a person, and its sign-ins are keyed by that person.
      const early = await createTestStore(dialect)
      try {
        await observe(early.store, 'okta', [
          { type: 'source-app', externalId: '0oa-slack', label: 'Slack', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Slack' }] },
          oktaUser(`team@${D}`), signin(`team@${D}`),
        ])
        await observe(early.store, 'hr', [hrPerson(`ada@${D}`), hrPerson(`bob@${D}`)])
        const found = await unmatchedIdentities.detect(early.store.db, config)
        expect(found.map((f) => [f.subjectKey, f.evidence.serviceHints])).toEqual([[`identity:team@${D}`, []]])
      } finally {
        await early.dispose()
      }
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'unmatched-identity')
      expect(runs.first).toMatchObject({ opened: 2, current: 2 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 2, current: 2 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })
  })
}

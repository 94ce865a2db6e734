import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObservedRecord } from '../../collectors/sdk/records.js'
import { setAppStatus } from '../../data/apps.js'
import { classifyScopes } from '../../data/catalog/scope-risk.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { riskyGrants } from './risky-grant.js'
import { analyzeTwice, hrPerson, observe } from './testing/seed.js'

const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'
const config = analyzerConfig({ asOf: AS_OF })
const MAIL = 'https://mail.google.com/'
const DRIVE_READ = 'https://www.googleapis.com/auth/drive.readonly'
const SIGN_IN = ['openid', 'https://www.googleapis.com/auth/userinfo.email']

function grant(email: string, clientName: string, scopes: string[], extra: Partial<Extract<ObservedRecord, { type: 'grant' }>> = {}): ObservedRecord {
  return {
    type: 'grant', userExternalId: `g-${email}`, email, clientId: `${clientName.toLowerCase()}-client`, clientName, scopes, risk: classifyScopes(scopes).level,
    signals: [{ kind: 'oauth_client', value: clientName }], ...extra,
  }
}

/**
 * ada gave InboxPilot (unknown) full mail access and Calendly (unknown) read access to Drive. Beside them: the same
 * Drive access to Slack (sanctioned), sign-in-only scopes to Calendly, and bob's revoked InboxPilot grant.
 */
async function seed(t: TestStore): Promise<void> {
  await observe(t.store, 'hr', [hrPerson(`ada@${D}`), hrPerson(`bob@${D}`)])
  await observe(t.store, 'okta', [{ type: 'source-app', externalId: '0oa-slack', label: 'Slack', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Slack' }] }])
  await observe(t.store, 'google', [
    grant(`ada@${D}`, 'InboxPilot', [MAIL], { consentType: 'user', grantedAt: '2026-03-02T10:00:00.000Z' }),
    grant(`ada@${D}`, 'Slack', [DRIVE_READ]),
    grant(`bob@${D}`, 'Calendly', SIGN_IN),
    grant(`bob@${D}`, 'InboxPilot', [MAIL], { revokedAt: '2026-11-01T10:00:00.000Z' }),
    grant(`grace@${D}`, 'Calendly', [DRIVE_READ]),
  ])
}

for (const dialect of DIALECTS) {
  describe(`risky-grant [${dialect}]`, () => {
    let t: TestStore
    beforeAll(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterAll(async () => t?.dispose())

    it('should flag live high-risk grants to apps IT has not sanctioned, with the scopes, risk and since when', async () => {
      const found = await riskyGrants.detect(t.store.db, config)
      expect(found.map((f) => [f.subjectKey, f.severity])).toEqual([
        [`grant:google:g-ada@${D}:inboxpilot-client`, 'critical'],
        [`grant:google:g-grace@${D}:calendly-client`, 'high'],
      ])
      expect(found[0]).toMatchObject({
        title: `ada@${D} gave Inboxpilot critical access`,
        evidence: {
          user: `ada@${D}`, source: 'google', clientId: 'inboxpilot-client', clientName: 'InboxPilot',
          app: { key: 'candidate:inboxpilot', name: 'Inboxpilot', status: 'unknown' }, scopes: [MAIL], risk: 'critical', consentType: 'user', grantedSince: '2026-03-02T10:00:00.000Z',
        },
      })
      expect(found[1]).toMatchObject({ evidence: { user: `grace@${D}`, app: { key: 'calendly', status: 'unknown' }, scopes: [DRIVE_READ], risk: 'high' } })
    })

    it('should not flag the same access to a sanctioned app, sign-in-only scopes, or a revoked grant', async () => {
      const grants = await t.store.db.selectFrom('grants').select(['user_email', 'client_name', 'risk', 'revoked_at']).orderBy('user_email').orderBy('client_name').execute()
      expect(grants.map((g) => `${g.user_email} ${g.client_name} ${g.risk} ${g.revoked_at ? 'revoked' : 'live'}`)).toEqual([
        `ada@${D} InboxPilot critical live`, `ada@${D} Slack high live`, `bob@${D} Calendly low live`, `bob@${D} InboxPilot critical revoked`, `grace@${D} Calendly high live`,
      ])
      const keys = (await riskyGrants.detect(t.store.db, config)).map((f) => f.subjectKey)
      expect(keys).not.toContain(`grant:google:g-ada@${D}:slack-client`)
      expect(keys).not.toContain(`grant:google:g-bob@${D}:calendly-client`)
      expect(keys).not.toContain(`grant:google:g-bob@${D}:inboxpilot-client`)
    })

    it('should change nothing when analysed twice', async () => {
      const runs = await analyzeTwice(t.store, config, 'risky-grant')
      expect(runs.first).toMatchObject({ opened: 2, current: 2 })
      expect(runs.second).toEqual({ opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 2, current: 2 })
      expect(runs.afterSecond).toEqual(runs.afterFirst)
    })

    it('should flag every live grant to a blocked app as critical, whatever its scopes', async () => {
      await setAppStatus(t.store.db, { app: { key: 'calendly' }, status: 'blocked', actor: `it@${D}`, at: AS_OF })
      const found = await riskyGrants.detect(t.store.db, config)
      const bob = found.find((f) => f.subjectKey === `grant:google:g-bob@${D}:calendly-client`)
      expect(bob).toMatchObject({ severity: 'critical', title: `bob@${D} gave Calendly low access`, recommendation: 'Revoke this grant: Calendly is blocked.' })
    })
  })
}

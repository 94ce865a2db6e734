import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CollectorError } from '../sdk/errors.js'
import type { OktaConfig } from './config.js'
import { RemediatorRegistry } from '../sdk/remediator.js'
import { createOktaRemediator, deactivateOktaAppUser, unassignOktaUserFromApp } from './remediation.js'
import { OKTA_MANIFEST } from './collector.js'
import { OKTA_REMEDIATION_SCOPES } from './scopes.js'
import { startFakeOkta, type FakeOkta } from './testing/fake-okta.js'
import { rsaKeyPair } from './testing/helpers.js'
import { APPS, seedOrg } from './testing/seed-org.js'

describe('Okta remediation against the fake org', () => {
  let fake: FakeOkta
  const keys = rsaKeyPair()
  beforeEach(async () => {
    fake = await startFakeOkta({ apiToken: 'remediate', serviceApp: { clientId: '0oaremediate', publicKeyPem: keys.publicKeyPem, grantedScopes: [...OKTA_REMEDIATION_SCOPES] } })
    seedOrg(fake, { users: 8, signins: 0 })
  })
  afterEach(() => fake.close())
  const config = (): OktaConfig => ({ orgUrl: fake.url, auth: { kind: 'api-token', token: 'remediate' } })
  const slack = () => fake.appUsers.get(APPS[0]!.id)!

  it('should unassign a directly assigned user with DELETE and treat a second call as already done', async () => {
    const target = slack().find((u) => u.scope === 'USER')!
    const result = await unassignOktaUserFromApp(config(), APPS[0]!.id, target.id)
    expect(result).toEqual({ outcome: 'done', request: `DELETE /api/v1/apps/${APPS[0]!.id}/users/${target.id}` })
    expect(slack().some((u) => u.id === target.id)).toBe(false)
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE' })
    expect((await unassignOktaUserFromApp(config(), APPS[0]!.id, target.id)).outcome).toBe('already-done')
  })

  it('should refuse a group assignment by name and leave it in place', async () => {
    const grouped = slack().find((u) => u.scope === 'GROUP')!
    const error = (await deactivateOktaAppUser(config(), APPS[0]!.id, grouped.id).catch((e: unknown) => e)) as CollectorError
    expect(error.code).toBe('permission-denied')
    expect(error.message).toContain('through a group')
    expect(slack().some((u) => u.id === grouped.id)).toBe(true)
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(false)
  })

  it('should deactivate (unassign) with an OAuth token asking only for the declared manage scopes', async () => {
    const target = slack().find((u) => u.scope === 'USER')!
    const cfg: OktaConfig = { orgUrl: fake.url, auth: { kind: 'private-key-jwt', clientId: '0oaremediate', privateKeyPem: keys.privateKeyPem } }
    expect((await deactivateOktaAppUser(cfg, APPS[0]!.id, target.id)).outcome).toBe('done')
    expect(slack().some((u) => u.id === target.id)).toBe(false)
    for (const scope of fake.tokenRequests.flatMap((r) => r.scope.split(' '))) expect(OKTA_MANIFEST.scopes).toContain(scope)
  })

  it('should report an unknown app as not-found, and 401 as unauthenticated', async () => {
    const missing = (await deactivateOktaAppUser(config(), '0oaNOPE', 'x00u1').catch((e: unknown) => e)) as CollectorError
    expect(missing.code).toBe('not-found')
    const unauth = (await unassignOktaUserFromApp({ ...config(), auth: { kind: 'api-token', token: 'nope' } }, APPS[0]!.id, '00u1').catch((e: unknown) => e)) as CollectorError
    expect(unauth.code).toBe('unauthenticated')
    expect(unauth.message).toContain('E0000011')
  })

  it('should answer through the Remediator contract: done, then already-done, failed for a group assignment, and refuse what it cannot do', async () => {
    const registry = new RemediatorRegistry([createOktaRemediator(config())])
    const direct = slack().find((u) => u.scope === 'USER')!
    const target = { action: 'remove-access' as const, source: 'okta', user: direct.id, app: APPS[0]!.id }
    expect(await registry.remediate(target)).toEqual({
      outcome: 'done', request: `DELETE /api/v1/apps/${APPS[0]!.id}/users/${direct.id}`, detail: `okta: unassigned ${direct.id} from app ${APPS[0]!.id}`,
    })
    expect(slack().some((u) => u.id === direct.id)).toBe(false)
    expect((await registry.remediate(target)).outcome).toBe('already-done')
    const grouped = slack().find((u) => u.scope === 'GROUP')!
    const refused = await registry.remediate({ ...target, user: grouped.id })
    expect(refused).toMatchObject({ outcome: 'failed', code: 'permission-denied', retryable: false, detail: expect.stringContaining('through a group') })
    expect(slack().some((u) => u.id === grouped.id)).toBe(true)
    expect(await registry.remediate({ action: 'revoke-grant', source: 'okta', user: direct.id, client: 'x' })).toMatchObject({ outcome: 'failed', detail: 'okta: revoke-grant: not supported (supported: remove-access)' })
    expect(await registry.remediate({ action: 'remove-access', source: 'spend', user: 'a@b.example' })).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('no remediator for this source') })
    expect(await registry.remediate({ action: 'remove-access', source: 'okta', user: direct.id })).toMatchObject({ outcome: 'failed', code: 'invalid-config' })
    expect(() => registry.register(createOktaRemediator(config()))).toThrow('okta is registered twice')
  })
})

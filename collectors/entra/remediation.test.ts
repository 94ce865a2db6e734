import { afterEach, describe, expect, it } from 'vitest'
import { ENTRA_REMEDIATION_PERMISSIONS, ENTRA_SCAN_PERMISSIONS } from './config.js'
import { RemediatorRegistry } from '../sdk/remediator.js'
import { createEntraRemediator, removeEntraAppAccess, removeEntraAppRoleAssignment, revokeEntraConsent, revokeEntraGrant } from './remediation.js'
import { CLIENT_ID, FAST_RETRY, SECRET, startHarness, type Harness } from './testing/helpers.js'
import { IDS } from './testing/sample-tenant.js'

const ALL = [...ENTRA_SCAN_PERMISSIONS, ...ENTRA_REMEDIATION_PERMISSIONS]

describe('Entra remediation against the fake', () => {
  let h: Harness
  afterEach(async () => h.fake.close())

  it('should revoke one oauth2PermissionGrant with DELETE and say not-found the second time', async () => {
    h = await startHarness({ clients: [{ clientId: CLIENT_ID, secret: SECRET, roles: ALL }] })
    const options = { connection: h.connection, retry: FAST_RETRY }
    expect(await revokeEntraGrant(h.config, 'GrDn-bob-graph-0000000000003', options)).toBe('removed')
    expect(h.fake.data.grants.map((g) => g.id)).not.toContain('GrDn-bob-graph-0000000000003')
    expect(h.fake.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path, r.status])).toEqual([['/v1.0/oauth2PermissionGrants/GrDn-bob-graph-0000000000003', 204]])
    expect(await revokeEntraGrant(h.config, 'GrDn-bob-graph-0000000000003', options)).toBe('not-found')
  })

  it('should retry a throttled DELETE and refuse without the write permission', async () => {
    h = await startHarness({ clients: [{ clientId: CLIENT_ID, secret: SECRET, roles: ENTRA_SCAN_PERMISSIONS }] })
    await expect(revokeEntraGrant(h.config, 'GrDn-bob-graph-0000000000003', { connection: h.connection, retry: FAST_RETRY })).rejects.toMatchObject({
      code: 'permission-denied',
      message: expect.stringContaining('HTTP 403 Authorization_RequestDenied'),
    })
    await h.fake.close()
    h = await startHarness({ clients: [{ clientId: CLIENT_ID, secret: SECRET, roles: ALL }] })
    h.fake.fail({ method: 'DELETE', path: /oauth2PermissionGrants/, status: 429, headers: { 'retry-after': '0' } })
    expect(await revokeEntraGrant(h.config, 'GrDn-bob-graph-0000000000003', { connection: h.connection, retry: FAST_RETRY })).toBe('removed')
    expect(h.fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([429, 204])
  })

  it('should remove an app role assignment', async () => {
    h = await startHarness({ clients: [{ clientId: CLIENT_ID, secret: SECRET, roles: ALL }] })
    expect(await removeEntraAppRoleAssignment(h.config, IDS.slackSp, 'AsgSl-carol-0000000000000006', { connection: h.connection })).toBe('removed')
    expect(h.fake.data.assignments.filter((a) => a.principalId === IDS.carol)).toEqual([])
    await expect(removeEntraAppRoleAssignment(h.config, 'not-a-guid', 'x', { connection: h.connection })).rejects.toThrow('is not a service principal id')
  })

  it('should revoke every grant behind one Sightline grant (user × client) and every assignment behind one account', async () => {
    h = await startHarness({ clients: [{ clientId: CLIENT_ID, secret: SECRET, roles: ALL }] })
    const consent = await revokeEntraConsent(h.config, { clientId: IDS.driftnoteApp, userExternalId: IDS.alice }, { connection: h.connection })
    expect(consent.revoked.sort()).toEqual(['GrDn-alice-exo-00000000000002', 'GrDn-alice-graph-000000000001'])
    expect(h.fake.data.grants.map((g) => g.principalId)).toEqual([IDS.bob, null])
    // A grant imported without its service principals is kept by the client's object id, and revoked by it.
    const byObjectId = await revokeEntraConsent(h.config, { clientId: `sp:${IDS.driftnoteSp}`, userExternalId: IDS.bob }, { connection: h.connection })
    expect(byObjectId.revoked).toEqual(['GrDn-bob-graph-0000000000003'])
    await expect(revokeEntraConsent(h.config, { clientId: 'sp:not-a-guid', userExternalId: IDS.bob }, { connection: h.connection })).rejects.toThrow('is not a service principal id')
    const tenantWide = await revokeEntraConsent(h.config, { clientId: IDS.slackApp, userExternalId: 'tenant:whatever' }, { connection: h.connection })
    expect(tenantWide.revoked).toEqual(['GrSl-all-graph-0000000000004'])
    const access = await removeEntraAppAccess(h.config, { appId: IDS.slackApp, userExternalId: IDS.alice }, { connection: h.connection })
    expect(access.removed.sort()).toEqual(['AsgSl-alice-0000000000000004', 'AsgSl-alice-0000000000000005'])
    expect(h.fake.data.assignments.filter((a) => a.resourceId === IDS.slackSp).map((a) => a.principalId)).toEqual([IDS.carol])
  })

  it('should answer through the Remediator contract for both actions, and fail (not throw) without the write permission', async () => {
    h = await startHarness({ clients: [{ clientId: CLIENT_ID, secret: SECRET, roles: ALL }] })
    const registry = new RemediatorRegistry([createEntraRemediator(h.config, { connection: h.connection, retry: FAST_RETRY })])
    const grant = { action: 'revoke-grant' as const, source: 'entra', user: IDS.alice, client: IDS.driftnoteApp }
    expect(await registry.remediate(grant)).toMatchObject({ outcome: 'done', detail: expect.stringMatching(/^entra: revoked 2 grant\(s\)/) })
    expect(await registry.remediate(grant)).toMatchObject({ outcome: 'already-done' })
    const access = { action: 'remove-access' as const, source: 'entra', user: IDS.alice, app: IDS.slackApp }
    expect(await registry.remediate(access)).toMatchObject({ outcome: 'done', detail: `entra: removed 2 assignment(s) of ${IDS.alice} to ${IDS.slackApp}` })
    expect(await registry.remediate(access)).toMatchObject({ outcome: 'already-done' })
    await h.fake.close()
    h = await startHarness({ clients: [{ clientId: CLIENT_ID, secret: SECRET, roles: ENTRA_SCAN_PERMISSIONS }] })
    const readOnly = new RemediatorRegistry([createEntraRemediator(h.config, { connection: h.connection, retry: FAST_RETRY })])
    expect(await readOnly.remediate({ ...access, user: IDS.carol })).toMatchObject({ outcome: 'failed', code: 'permission-denied', retryable: false })
    expect(h.fake.data.assignments.some((a) => a.principalId === IDS.carol)).toBe(true)
  })
})

import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { importEntraGrantsForTenant } from './import-files.js'
import { scanEntra } from './scan.js'
import { FAST_RETRY, inventorySnapshot, resolver, startHarness, writeDirectoryDump } from './testing/helpers.js'
import { IDS, sampleTenant, TENANT_ID } from './testing/sample-tenant.js'

// An oauth2PermissionGrants listing as Graph documents it (GET /oauth2PermissionGrants), saved without the
// service principals that name its clients and APIs.
const GRANTS_PAGE = new URL('./fixtures/oauth2PermissionGrants-page.json', import.meta.url)
const importGrants = importEntraGrantsForTenant(TENANT_ID)
const TENANT = `tenant:${TENANT_ID}`

function grantsAlone(fixture: URL = GRANTS_PAGE, name = 'oauth2PermissionGrants.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'entra-grants-alone-'))
  copyFileSync(fixture, join(dir, name))
  return join(dir, name)
}

async function grantRows(t: TestStore) {
  return t.store.db.selectFrom('grants').select(['id', 'identity_external_id', 'client_id', 'first_seen_at', 'revoked_at']).orderBy('identity_external_id').orderBy('client_id').execute()
}

describe.each(DIALECTS)('Entra grants imported without their service principals on %s', (dialect) => {
  let t: TestStore
  beforeEach(async () => {
    t = await createTestStore(dialect)
  })
  afterEach(async () => t.dispose())

  it('should import the grants by client object id with one warning, bare scope names still classified', async () => {
    const summary = await importGrants(t.store, grantsAlone(), { resolver })
    expect(summary).toMatchObject({ layout: 'graph-grants', read: 4, imported: 3, rejected: 0, status: 'completed' })
    expect(summary.warnings).toEqual([
      'oauth2PermissionGrants.json: no servicePrincipals.json beside it: 2 client app(s) kept by their service-principal object id (sp:<id>) and scopes by their bare names, ' +
        'no grant marked revoked; import servicePrincipals.json later (alone or beside the grants) to name them',
    ])
    const inv = await inventorySnapshot(t.store)
    expect(inv.grants.map((g) => [g.identity_external_id, g.client_id, g.client_name, g.app, JSON.parse(g.scopes), g.risk])).toEqual([
      [IDS.alice, `sp:${IDS.driftnoteSp}`, null, null, ['EWS.AccessAsUser.All', 'Mail.ReadWrite', 'User.Read', 'openid', 'profile'], 'critical'],
      [IDS.bob, `sp:${IDS.driftnoteSp}`, null, null, ['User.Read'], 'low'],
      [TENANT, `sp:${IDS.slackSp}`, null, null, ['User.Read', 'email', 'openid', 'profile'], 'low'],
    ])
    // An object id names no app: no nameless candidate app is made from it.
    expect(await t.store.db.selectFrom('apps').select('name').execute()).toEqual([])
  })

  it('should name the clients when servicePrincipals.json is imported later, then label the scopes with the grants: one grant per user and client', async () => {
    const path = grantsAlone()
    await importGrants(t.store, path, { resolver })
    const before = await grantRows(t)
    const dump = writeDirectoryDump(sampleTenant())

    // The service principals alone (a folder holding only servicePrincipals.json): clients and apps resolved in place.
    const spsOnly = mkdtempSync(join(tmpdir(), 'entra-sps-'))
    copyFileSync(join(dump, 'servicePrincipals.json'), join(spsOnly, 'servicePrincipals.json'))
    await importGrants(t.store, spsOnly, { resolver })
    let inv = await inventorySnapshot(t.store)
    expect(inv.grants.map((g) => [g.identity_external_id, g.client_id, g.client_name, g.app, g.revoked_at])).toEqual([
      [IDS.alice, IDS.driftnoteApp, 'Driftnote', 'Driftnote', null],
      [IDS.bob, IDS.driftnoteApp, 'Driftnote', 'Driftnote', null],
      [TENANT, IDS.slackApp, 'Slack', 'Slack', null],
    ])
    expect((await grantRows(t)).map((g) => g.id)).toEqual(before.map((g) => g.id))

    // The grants again with their service principals beside them: same rows, scopes labelled by their API.
    copyFileSync(join(dump, 'servicePrincipals.json'), join(path, '..', 'servicePrincipals.json'))
    const again = await importGrants(t.store, path, { resolver })
    expect(again).toMatchObject({ imported: 3, status: 'completed', counts: expect.objectContaining({ 'gone.grant': 0 }) })
    expect(again.warnings).toBeUndefined()
    inv = await inventorySnapshot(t.store)
    expect(inv.grants).toHaveLength(3)
    expect(JSON.parse(inv.grants[0]!.scopes)).toEqual(['Mail.ReadWrite', 'User.Read', 'https://outlook.office365.com/EWS.AccessAsUser.All', 'openid', 'profile'])
    expect(inv.grants.every((g) => g.revoked_at === null)).toBe(true)
    const after = await grantRows(t)
    expect(after.map((g) => [g.id, g.first_seen_at])).toEqual(before.map((g) => [g.id, g.first_seen_at]))

    const audit = await t.store.db.selectFrom('audit_events').select(['actor', 'action', 'payload']).where('action', '=', 'grant.clients.resolved').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor: 'system:entra-import' })
    expect(JSON.parse(audit[0]!.payload)).toMatchObject({ rekeyed: 3, merged: 0 })
  })

  it('should fold grants kept by object id into the same grants stored earlier by application id, revoking none', async () => {
    const dump = writeDirectoryDump(sampleTenant())
    await importGrants(t.store, dump, { resolver })
    const first = await grantRows(t)
    // The grants alone afterwards: kept beside the named ones, and (not being comparable) revoke nothing.
    const alone = await importGrants(t.store, grantsAlone(), { resolver })
    expect(alone.counts['gone.grant']).toBeUndefined()
    expect((await grantRows(t)).filter((g) => g.revoked_at === null)).toHaveLength(6)
    // The whole dump again: each object-id row folds into its twin, no duplicate, nothing revoked.
    const again = await importGrants(t.store, dump, { resolver })
    expect(again.counts['gone.grant']).toBe(0)
    const rows = await grantRows(t)
    expect(rows.map((g) => [g.id, g.identity_external_id, g.client_id, g.first_seen_at, g.revoked_at])).toEqual(first.map((g) => [g.id, g.identity_external_id, g.client_id, g.first_seen_at, null]))
    const audit = await t.store.db.selectFrom('audit_events').select('payload').where('action', '=', 'grant.clients.resolved').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.payload)).toMatchObject({ rekeyed: 0, merged: 3 })
  })

  it('should name the clients at the next live scan, without listing a grant twice or revoking the object-id rows', async () => {
    await importGrants(t.store, grantsAlone(), { resolver })
    const before = await grantRows(t)
    const h = await startHarness()
    try {
      const result = await scanEntra(t.store, h.config, { resolver, connection: h.connection, retry: FAST_RETRY })
      expect(result.error).toBeNull()
      expect(result.status).toBe('completed')
      expect(result.counts['gone.grant']).toBe(0)
    } finally {
      await h.fake.close()
    }
    const inv = await inventorySnapshot(t.store)
    expect(inv.grants.map((g) => [g.identity_external_id, g.client_id, g.app, g.revoked_at])).toEqual([
      [IDS.alice, IDS.driftnoteApp, 'Driftnote', null],
      [IDS.bob, IDS.driftnoteApp, 'Driftnote', null],
      [TENANT, IDS.slackApp, 'Slack', null],
    ])
    expect((await grantRows(t)).map((g) => g.id)).toEqual(before.map((g) => g.id))
    const audit = await t.store.db.selectFrom('audit_events').select('actor').where('action', '=', 'grant.clients.resolved').execute()
    expect(audit).toEqual([{ actor: 'system:entra-scan' }])
  })

  it('should still refuse a broken grants document (file, line:column, reason) and name a grant without its client', async () => {
    const broken = grantsAlone(new URL('./fixtures/oauth2PermissionGrants-trailing-comma.json', import.meta.url))
    await expect(importGrants(t.store, broken, { resolver })).rejects.toThrow(/^entra: import: oauth2PermissionGrants\.json: line 35:\d+: not valid JSON/)
    expect(await grantRows(t)).toEqual([])

    const page = JSON.parse(readFileSync(GRANTS_PAGE, 'utf8')) as { value: Record<string, unknown>[] }
    delete page.value[2]!.clientId
    const path = grantsAlone()
    writeFileSync(path, JSON.stringify(page, null, 2))
    const summary = await importGrants(t.store, path, { resolver })
    expect(summary).toMatchObject({ read: 3, imported: 2, rejected: 1, status: 'partial', errors: ['oauth2PermissionGrants.json: record 3: field clientId: missing'] })
  })
})

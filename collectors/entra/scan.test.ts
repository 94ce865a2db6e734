import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { ProgressEvent } from '../sdk/runner.js'
import { createEntraCollector, ENTRA_MANIFEST } from './collector.js'
import { ENTRA_SCAN_PERMISSIONS } from './config.js'
import { importEntraGrants, importEntraSignins } from './import-files.js'
import { scanEntra } from './scan.js'
import { FAST_RETRY, inventorySnapshot, resolver, startHarness, writeDirectoryDump, CLIENT_ID, SECRET, type Harness } from './testing/helpers.js'
import { IDS, sampleTenant, TENANT_ID } from './testing/sample-tenant.js'

const scan = (t: TestStore, h: Harness, extra: { onProgress?: (e: ProgressEvent) => void; signal?: AbortSignal; fresh?: boolean } = {}) =>
  scanEntra(t.store, h.config, { resolver, connection: h.connection, retry: FAST_RETRY, ...extra })

describe.each(DIALECTS)('scanEntra on %s', (dialect) => {
  let t: TestStore
  let h: Harness
  beforeEach(async () => {
    t = await createTestStore(dialect)
    h = await startHarness()
  })
  afterEach(async () => {
    await h.fake.close()
    await t.dispose()
  })

  it('should import people, enterprise apps, assignments, merged grants and sign-ins through Graph', async () => {
    const result = await scan(t, h)
    expect(result.error).toBeNull()
    expect(result.status).toBe('completed')
    const inv = await inventorySnapshot(t.store)
    expect(inv.people.map((p) => [p.email, p.status, p.employment_type, p.manager_email])).toEqual([
      ['alice.lane@northwind.example', 'active', 'employee', 'bob.stone@northwind.example'],
      ['bob.stone@northwind.example', 'active', 'employee', null],
      ['carol.reyes@northwind.example', 'suspended', 'contractor', 'bob.stone@northwind.example'],
      ['dana@partner.example', 'active', null, null],
    ])
    // The managed identity and first-party APIs without assignments are not apps people use.
    expect(inv.sourceApps.map((a) => [a.label, a.app_status])).toEqual([
      ['Salesforce', 'sanctioned'],
      ['Slack', 'sanctioned'],
      ['Driftnote', 'unknown'],
    ])
    expect(inv.accounts.map((a) => [a.app, a.person])).toEqual([
      ['Salesforce', 'alice.lane@northwind.example'],
      ['Salesforce', 'bob.stone@northwind.example'],
      ['Slack', 'alice.lane@northwind.example'],
      ['Slack', 'carol.reyes@northwind.example'],
    ])
    expect(inv.entitlements.filter((e) => e.external_id === IDS.alice).map((e) => e.name)).toEqual(['Default Access', 'Default Access', 'Workspace Admin'])
    const alice = inv.grants.find((g) => g.identity_external_id === IDS.alice)!
    expect(JSON.parse(alice.scopes)).toEqual(['Mail.ReadWrite', 'User.Read', 'https://outlook.office365.com/EWS.AccessAsUser.All', 'openid', 'profile'])
    expect(alice).toMatchObject({ person: 'alice.lane@northwind.example', client_id: IDS.driftnoteApp, client_name: 'Driftnote', consent_type: 'Principal', risk: 'critical', revoked_at: null })
    expect(inv.grants.find((g) => g.consent_type === 'AllPrincipals')).toMatchObject({ identity_external_id: `tenant:${TENANT_ID}`, client_name: 'Slack', person: null })
    expect(inv.signins.map((s) => [s.person, s.result])).toContainEqual(['bob.stone@northwind.example', 'failure'])
    expect(inv.signins).toHaveLength(5)
    expect(inv.signins.find((s) => s.app_ref === IDS.salesforceApp)?.app).toBe('Salesforce')
  })

  it('should use exactly the permissions the manifest declares, and the fake grants only those', async () => {
    const collector = createEntraCollector(h.config, { connection: h.connection })
    const result = await scan(t, h)
    expect(result.status).toBe('completed')
    // A scan's own session is internal; a second collector run over the same fake shows what the calls needed.
    const ctx = { config: h.config, signal: new AbortController().signal, reportItemError: () => undefined }
    await collector.validate(ctx)
    for (const kind of ENTRA_MANIFEST.kinds) {
      let cursor: string | null = null
      do cursor = (await collector.list(kind, { cursor, signal: ctx.signal }, ctx)).next
      while (cursor)
    }
    expect([...collector.session.usedPermissions].sort()).toEqual([...ENTRA_SCAN_PERMISSIONS].sort())
    expect(h.fake.requests.filter((r) => r.status === 403)).toEqual([])
  })

  it('should import the same inventory from a live scan as from the file import of the same data', async () => {
    const live = await scan(t, h)
    expect(live.status).toBe('completed')
    const other = await createTestStore(dialect)
    try {
      const dir = writeDirectoryDump(sampleTenant())
      const grants = await importEntraGrants(other.store, dir, { resolver })
      expect(grants).toMatchObject({ layout: 'graph-directory', status: 'completed', read: 4, imported: 3, rejected: 0 })
      const signins = await importEntraSignins(other.store, join(dir, 'signins.jsonl'), { resolver })
      expect(signins).toMatchObject({ layout: 'graph-jsonl', read: 5, imported: 5, duplicates: 0 })
      const fromLive = await inventorySnapshot(t.store)
      const fromFile = await inventorySnapshot(other.store)
      expect(fromFile).toEqual(fromLive)
    } finally {
      await other.dispose()
    }
  })

  it('should fail clearly on an expired token without retrying it', async () => {
    const events: ProgressEvent[] = []
    const collector = createEntraCollector(h.config, { connection: h.connection })
    await collector.validate({ config: h.config, signal: new AbortController().signal, reportItemError: () => undefined })
    h.fake.expireTokens()
    // The credential caches its token, so the next call presents the one the fake now refuses.
    await expect(collector.list('person', { cursor: null, signal: new AbortController().signal }, { config: h.config, signal: new AbortController().signal, reportItemError: () => undefined })).rejects.toMatchObject({
      code: 'unauthenticated',
      message: expect.stringContaining('HTTP 401 InvalidAuthenticationToken: Lifetime validation failed, the token is expired.'),
    })
    const result = await scan(t, h, { onProgress: (e) => events.push(e) })
    expect(result.status).toBe('completed')
    expect(events.filter((e) => e.type === 'retry')).toEqual([])
  })

  it('should fail the scan with the AADSTS reason when the client secret is wrong', async () => {
    const result = await scanEntra(t.store, { ...h.config, clientSecret: 'wrong' }, { resolver, connection: h.connection, retry: FAST_RETRY })
    expect(result.status).toBe('failed')
    expect(result.error?.message).toMatch(/entra: read organization: get token: .*AADSTS7000215: Invalid client secret provided/)
    const run = await t.store.db.selectFrom('scan_runs').select(['status', 'error']).where('id', '=', result.runId).executeTakeFirstOrThrow()
    expect(run.error).toMatch(/^unauthenticated: /)
  })

  it('should report a 403 on one service principal as an item error and end partial', async () => {
    h.fake.fail({ path: new RegExp(`/servicePrincipals/${IDS.slackSp}/appRoleAssignedTo$`), status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } })
    const result = await scan(t, h)
    expect(result.status).toBe('partial')
    expect(result.itemErrors).toEqual([
      expect.objectContaining({ kind: 'account', code: 'permission-denied', item: `servicePrincipal ${IDS.slackSp} (Slack)`, message: expect.stringContaining('HTTP 403 Authorization_RequestDenied') }),
    ])
    const inv = await inventorySnapshot(t.store)
    expect(inv.accounts.map((a) => a.app)).toEqual(['Salesforce', 'Salesforce'])
  })

  it('should wait for Retry-After on a 429 and finish, each request sent once by the SDK', async () => {
    h.fake.fail({ path: /^\/v1\.0\/users$/, status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests' } } })
    const events: ProgressEvent[] = []
    const started = Date.now()
    const result = await scan(t, h, { onProgress: (e) => events.push(e) })
    expect(result.status).toBe('completed')
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(events.filter((e) => e.type === 'retry')).toEqual([expect.objectContaining({ kind: 'person', attempt: 1, delayMs: 1000, message: expect.stringContaining('HTTP 429 TooManyRequests') })])
    // Without the SDK's RetryHandler, the runner's retry is the only one: one 429, then one success.
    expect(h.fake.requests.filter((r) => r.path === '/v1.0/users' && !r.query.$skiptoken).map((r) => r.status)).toEqual([429, 200])
  })

  it('should retry 503 and 504 and a connection reset mid-page', async () => {
    h.fake.fail({ path: /^\/v1\.0\/servicePrincipals$/, status: 503, body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable' } } })
    h.fake.fail({ path: /oauth2PermissionGrants$/, status: 504, body: { error: { code: 'UnknownError', message: '' } } })
    h.fake.fail({ path: /^\/v1\.0\/auditLogs\/signIns$/, reset: true })
    const events: ProgressEvent[] = []
    const result = await scan(t, h, { onProgress: (e) => events.push(e) })
    expect(result.error).toBeNull()
    expect(result.status).toBe('completed')
    const retries = events.filter((e): e is Extract<ProgressEvent, { type: 'retry' }> => e.type === 'retry')
    expect(retries.map((e) => e.kind)).toEqual(['app', 'grant', 'signin'])
    expect(retries[2]!.message).toMatch(/network/)
    expect((await inventorySnapshot(t.store)).signins).toHaveLength(5)
  })

  it('should mark no grant revoked after a partial scan, and revoke missing ones after a complete scan', async () => {
    expect((await scan(t, h)).status).toBe('completed')
    // Bob's consent is revoked in Entra; the next scan fails on one app's assignments.
    h.fake.data.grants.splice(h.fake.data.grants.findIndex((g) => g.principalId === IDS.bob), 1)
    h.fake.fail({ path: new RegExp(`/servicePrincipals/${IDS.salesforceSp}/appRoleAssignedTo$`), status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } })
    const partial = await scan(t, h)
    expect(partial.status).toBe('partial')
    let inv = await inventorySnapshot(t.store)
    expect(inv.grants.filter((g) => g.revoked_at !== null)).toEqual([])
    const complete = await scan(t, h)
    expect(complete.status).toBe('completed')
    expect(complete.counts['gone.grant']).toBe(1)
    inv = await inventorySnapshot(t.store)
    expect(inv.grants.filter((g) => g.revoked_at !== null).map((g) => g.identity_external_id)).toEqual([IDS.bob])
  })

  it('should resume an interrupted scan from its checkpoint instead of starting over', async () => {
    const controller = new AbortController()
    const first = await scan(t, h, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'page' && e.kind === 'app' && e.pages === 1) controller.abort()
      },
    })
    expect(first.status).toBe('interrupted')
    const before = h.fake.requests.length
    const second = await scan(t, h)
    expect(second.status).toBe('completed')
    const after = h.fake.requests.slice(before)
    // Users were done; the service principal listing went on from its saved nextLink.
    expect(after.filter((r) => r.path === '/v1.0/users')).toEqual([])
    expect(after.find((r) => r.path === '/v1.0/servicePrincipals')?.query.$skiptoken).toBeDefined()
    const run = await t.store.db.selectFrom('scan_runs').select('resumed_from_run_id').where('id', '=', second.runId).executeTakeFirstOrThrow()
    expect(run.resumed_from_run_id).toBe(first.runId)
    expect((await inventorySnapshot(t.store)).accounts).toHaveLength(4)
  })

  it('should read sign-ins incrementally from the newest stored one, less the reporting delay', async () => {
    await scanEntra(t.store, { ...h.config, signinsSince: undefined }, { resolver, connection: h.connection, retry: FAST_RETRY, now: () => new Date('2026-11-28T00:00:00Z') })
    const before = h.fake.requests.length
    await scanEntra(t.store, { ...h.config, signinsSince: undefined }, { resolver, connection: h.connection, retry: FAST_RETRY, now: () => new Date('2026-11-28T00:00:00Z') })
    const filters = h.fake.requests.slice(before).filter((r) => r.path === '/v1.0/auditLogs/signIns' && !r.query.$skiptoken).map((r) => r.query.$filter)
    expect(filters).toEqual(['createdDateTime ge 2026-11-23T10:00:00.000Z'])
    expect((await inventorySnapshot(t.store)).signins).toHaveLength(5)
  })
})

describe('Entra credentials', () => {
  it('should sign in with a certificate (client assertion) as well as a secret', async () => {
    const { generate } = await import('selfsigned')
    const { writeFileSync, mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const pems = await generate([{ name: 'commonName', value: 'sightline-entra' }], { keySize: 2048, algorithm: 'sha256' })
    const path = join(mkdtempSync(join(tmpdir(), 'entra-cert-')), 'app.pem')
    writeFileSync(path, `${pems.private}\n${pems.cert}`)
    const h = await startHarness({ clients: [{ clientId: CLIENT_ID, certificate: true, roles: [...ENTRA_SCAN_PERMISSIONS] }] })
    try {
      const collector = createEntraCollector({ ...h.config, clientSecret: undefined, certificatePath: path }, { connection: h.connection })
      await collector.validate({ config: h.config, signal: new AbortController().signal, reportItemError: () => undefined })
      expect(collector.tenantId()).toBe(TENANT_ID)
      const token = h.fake.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'))
      expect(token?.status).toBe(200)
    } finally {
      await h.fake.close()
    }
    expect(SECRET).not.toBe('')
  })
})

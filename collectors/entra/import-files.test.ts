import { createHash } from 'node:crypto'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { entraConfigFrom } from './config.js'
import { importEntraGrants, importEntraGrantsForTenant, importEntraSignins, importEntraUsers } from './import-files.js'
import { inventorySnapshot, resolver, writeDirectoryDump } from './testing/helpers.js'
import { IDS, sampleTenant } from './testing/sample-tenant.js'

describe.each(DIALECTS)('Entra file imports on %s', (dialect) => {
  let t: TestStore
  beforeEach(async () => {
    t = await createTestStore(dialect)
  })
  afterEach(async () => t.dispose())

  it('should import a grants file with the servicePrincipals.json beside it, and nothing else', async () => {
    const dump = writeDirectoryDump(sampleTenant())
    const lone = mkdtempSync(join(tmpdir(), 'entra-grants-'))
    copyFileSync(join(dump, 'oauth2PermissionGrants.json'), join(lone, 'grants-export.json'))
    copyFileSync(join(dump, 'servicePrincipals.json'), join(lone, 'servicePrincipals.json'))
    const summary = await importEntraGrantsForTenant('7C1F0A3E-5B2D-4E8F-9A61-0D2C4B6E8F10')(t.store, join(lone, 'grants-export.json'), { resolver })
    expect(summary).toMatchObject({ layout: 'graph-grants', read: 4, imported: 3, status: 'completed' })
    const inv = await inventorySnapshot(t.store)
    expect(inv.sourceApps).toEqual([])
    expect(inv.grants.map((g) => g.identity_external_id)).toEqual([IDS.alice, IDS.bob, 'tenant:7c1f0a3e-5b2d-4e8f-9a61-0d2c4b6e8f10'])
  })

  it('should refuse a folder holding none of the Graph listings, naming what it looks for', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'entra-empty-'))
    await expect(importEntraGrants(t.store, empty, { resolver })).rejects.toThrow(/^entra: import: entra-empty-\w+: none of users\.json, servicePrincipals\.json/)
  })

  it('should import users alone and report a record without an id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entra-users-'))
    const users = sampleTenant().users
    writeFileSync(join(dir, 'users.json'), JSON.stringify({ value: [...users, { displayName: 'No Id' }] }))
    const summary = await importEntraUsers(t.store, join(dir, 'users.json'), { resolver })
    expect(summary).toMatchObject({ layout: 'graph-users', read: 4, imported: 4, rejected: 1, status: 'partial', errors: ['users.json: record 5: field id: missing'] })
  })

  it('should refuse a Graph signIns page with a trailing comma in one line (file, line:column, reason), importing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entra-broken-'))
    copyFileSync(new URL('./fixtures/signins-page-trailing-comma.json', import.meta.url), join(dir, 'signins.json'))
    await expect(importEntraSignins(t.store, join(dir, 'signins.json'), { resolver })).rejects.toThrow(
      'entra: import: signins.json: line 17:5: not valid JSON (Expected double-quoted property name); a JSON document is read whole, so nothing was imported',
    )
    expect(await t.store.db.selectFrom('signin_events').select('id').execute()).toEqual([])
    copyFileSync(new URL('./fixtures/signins-page.json', import.meta.url), join(dir, 'signins.json'))
    expect(await importEntraSignins(t.store, join(dir, 'signins.json'), { resolver })).toMatchObject({ layout: 'graph-json', read: 1, imported: 1, status: 'completed' })
  })

  it('should count a re-imported sign-in file as duplicates', async () => {
    const dir = writeDirectoryDump(sampleTenant())
    await importEntraSignins(t.store, join(dir, 'signins.jsonl'), { resolver })
    const again = await importEntraSignins(t.store, join(dir, 'signins.jsonl'), { resolver })
    expect(again).toMatchObject({ read: 5, imported: 0, duplicates: 5 })
  })

  it('should stream a large JSON-lines capture page by page, naming each bad line, with the same result as the whole file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entra-lines-'))
    const lines: string[] = []
    for (let i = 0; i < 4500; i++) {
      lines.push(JSON.stringify({
        time: `2026-11-${String((i % 20) + 1).padStart(2, '0')}T09:00:00Z`, category: 'SignInLogs',
        properties: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, createdDateTime: `2026-11-${String((i % 20) + 1).padStart(2, '0')}T09:00:00Z`, userId: IDS.alice, userPrincipalName: 'Alice@contoso.example', appId: '00000003-0000-0ff1-ce00-000000000000', appDisplayName: 'Office 365 SharePoint Online', status: { errorCode: 0 } },
      }))
    }
    lines.splice(2500, 0, '{not json')
    lines.push(JSON.stringify({ time: '2026-11-20T09:00:00Z', category: 'ServicePrincipalSignInLogs', properties: { id: 'sp-1' } }))
    writeFileSync(join(dir, 'capture.jsonl'), `\uFEFF${lines.join('\n')}\n`)
    const summary = await importEntraSignins(t.store, join(dir, 'capture.jsonl'), { resolver })
    expect(summary).toMatchObject({ layout: 'azure-monitor-jsonl', read: 4501, imported: 4500, duplicates: 0, rejected: 1, status: 'partial' })
    expect(summary.errors).toEqual([expect.stringMatching(/^capture\.jsonl: line 2501: field record: not valid JSON/)])
    const stored = await t.store.db.selectFrom('signin_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    expect(Number(stored.n)).toBe(4500)
    // The reader thread hashed the file on its way through; the run records that hash.
    const run = await t.store.db.selectFrom('scan_runs').select('file_sha256').where('id', '=', summary.runId).executeTakeFirstOrThrow()
    expect(run.file_sha256).toBe(createHash('sha256').update(readFileSync(join(dir, 'capture.jsonl'))).digest('hex'))
  })
})

describe('entraConfigFrom', () => {
  it('should require a secret or a certificate and a GUID client id', () => {
    expect(() => entraConfigFrom({ tenantId: 't', clientId: '0e000000-0000-4000-8000-000000000001' })).toThrow('set SIGHTLINE_ENTRA_CLIENT_SECRET or SIGHTLINE_ENTRA_CERTIFICATE_PATH')
    expect(() => entraConfigFrom({ tenantId: 't', clientId: 'app', clientSecret: 's' })).toThrow('SIGHTLINE_ENTRA_CLIENT_ID must be a GUID')
    expect(() => entraConfigFrom({ clientId: 'x' })).toThrow('SIGHTLINE_ENTRA_TENANT_ID is not set')
    expect(Object.isFrozen(entraConfigFrom({ tenantId: 'contoso.onmicrosoft.com', clientId: '0e000000-0000-4000-8000-000000000001', clientSecret: 's' }))).toBe(true)
  })
})

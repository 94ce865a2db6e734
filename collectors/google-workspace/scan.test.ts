import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OAuth2Client } from 'google-auth-library'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { createResolver } from '../../analyzer/resolve/index.js'
import type { SignalResolver } from '../sdk/app-resolution.js'
import type { ProgressEvent } from '../sdk/runner.js'
import { GOOGLE_SCOPE_LIST, type GoogleConfig } from './config.js'
import { importGoogleActivities, importGoogleTokens, importGoogleUsers } from './import-google.js'
import { scanGoogle } from './scan.js'
import { FakeGoogle } from './testing/fake-google.js'
import { buildTenant, CLIENTS, USERS, writeTenantExports } from './testing/tenant-fixture.js'

const FAST = { baseDelayMs: 5, maxDelayMs: 20 }
const resolver = createResolver({ entries: loadCatalog().entries }) as unknown as SignalResolver

function fixedTokenConfig(fake: FakeGoogle, token = 'ya29.valid'): GoogleConfig {
  const auth = new OAuth2Client()
  auth.setCredentials({ access_token: token })
  return Object.freeze({ keyFile: null, adminSubject: null, customer: 'my_customer', lookbackDays: 30, concurrency: 3, rootUrl: fake.url, authClient: auth, pageSize: 2 })
}

async function grants(t: TestStore) {
  return t.store.db.selectFrom('grants').select(['identity_external_id', 'client_id', 'client_name', 'scopes', 'risk', 'revoked_at', 'user_email', 'person_id']).where('source', '=', 'google').orderBy('identity_external_id').orderBy('client_id').execute()
}

describe.each(DIALECTS)('Google Workspace scan on %s', (dialect) => {
  let t: TestStore
  let fake: FakeGoogle
  let dir: string
  beforeEach(async () => {
    t = await createTestStore(dialect)
    fake = await new FakeGoogle({ tenant: buildTenant(), accessTokens: { 'ya29.valid': GOOGLE_SCOPE_LIST }, usersPageSize: 2, activitiesPageSize: 2 }).start()
    dir = mkdtempSync(join(tmpdir(), 'sightline-google-'))
  })
  afterEach(async () => {
    await fake.stop()
    await t.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('should import people, grants with risk, grant history and sign-ins from a live scan', async () => {
    const result = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST })
    expect(result.error).toBeNull()
    expect(result.status).toBe('completed')

    const identities = await t.store.db.selectFrom('person_identities').select(['external_id', 'email', 'status', 'attributes']).where('source', '=', 'google').orderBy('external_id').execute()
    // The identity's status is normalised; Google's own word stays in its attributes.
    expect(identities.map((i) => [i.email, i.status, (JSON.parse(i.attributes) as { sourceStatus?: string }).sourceStatus])).toEqual([
      ['alice@acme.example', 'active', 'active'], ['bob@acme.example', 'active', 'active'], ['carol@acme.example', 'suspended', 'suspended'], ['dave@acme.example', 'terminated', 'archived'], ['erin@acme.example', 'active', 'active'],
    ])
    const alice = await t.store.db.selectFrom('people').selectAll().where('email', '=', 'alice@acme.example').executeTakeFirstOrThrow()
    expect([alice.department, alice.title, alice.manager_email, alice.employee_number, alice.status]).toEqual(['Engineering', 'Engineer', 'bob@acme.example', 'E001', 'active'])
    const dave = await t.store.db.selectFrom('people').select('status').where('email', '=', 'dave@acme.example').executeTakeFirstOrThrow()
    expect(dave.status).toBe('terminated')

    const g = await grants(t)
    const held = g.filter((x) => x.revoked_at === null)
    expect(held).toHaveLength(7)
    const inbox = held.find((x) => x.client_id === CLIENTS.inboxpilot.clientId && x.identity_external_id === USERS.alice.id)
    expect(inbox?.risk).toBe('critical')
    expect(inbox?.person_id).toBe(alice.id)
    expect(held.find((x) => x.client_id === CLIENTS.figma.clientId)?.risk).toBe('low')
    // Revoked since, and no token any more: known only from the token log.
    const pipewise = g.find((x) => x.client_id === CLIENTS.pipewise.clientId)
    expect(pipewise?.revoked_at).not.toBeNull()
    expect(pipewise?.risk).toBe('high')

    const signins = await t.store.db.selectFrom('signin_events').select(['app_ref', 'result', 'user_email']).where('source', '=', 'google').orderBy('occurred_at').execute()
    expect(signins).toHaveLength(6)
    expect(signins.filter((s) => s.result === 'failure')).toHaveLength(2)
    expect(new Set(signins.map((s) => s.app_ref))).toEqual(new Set(['Google Workspace', 'Canva', 'Hootsuite']))
  })

  it('should fail the scan clearly on an expired credential and write nothing', async () => {
    const result = await scanGoogle(t.store, fixedTokenConfig(fake, 'ya29.expired'), { resolver, retry: FAST })
    expect(result.status).toBe('failed')
    expect(result.error?.message).toMatch(/google-workspace: list users: 401 UNAUTHENTICATED: Request had invalid authentication credentials/)
    const run = await t.store.db.selectFrom('scan_runs').select(['status', 'error']).where('id', '=', result.runId).executeTakeFirstOrThrow()
    expect(run.error).toMatch(/^unauthenticated: /)
    expect(await t.store.db.selectFrom('person_identities').select('id').execute()).toHaveLength(0)
  })

  it('should treat a 403 on one user’s tokens as an item error, mark nothing revoked, and revoke after a complete scan', async () => {
    const first = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST })
    expect(first.status).toBe('completed')
    // Bob loses BrightSheet; Alice's tokens cannot be read this time.
    fake.tenant.tokens.set(USERS.bob.id as string, [fake.tenant.tokens.get(USERS.bob.id as string)![0]!])
    fake.addFault({ path: new RegExp(`/users/${USERS.alice.id}/tokens$`), times: 1, status: 403 })
    const partial = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST })
    expect(partial.status).toBe('partial')
    expect(partial.itemErrors).toEqual([expect.objectContaining({ kind: 'grant', item: 'alice@acme.example', code: 'permission-denied' })])
    expect(partial.itemErrors[0]?.message).toMatch(/403 PERMISSION_DENIED/)
    const afterPartial = await grants(t)
    expect(afterPartial.filter((x) => x.revoked_at === null)).toHaveLength(7)

    const complete = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST })
    expect(complete.status).toBe('completed')
    const after = await grants(t)
    const gone = after.filter((x) => x.revoked_at !== null).map((x) => x.client_id)
    expect(gone.sort()).toEqual([CLIENTS.brightsheet.clientId, CLIENTS.pipewise.clientId].sort())
  })

  it('should retry 429 with Retry-After, 5xx and connection resets through the runner alone', async () => {
    fake.addFault({ path: /\/applications\/login$/, times: 2, status: 429, retryAfter: '1' })
    fake.addFault({ path: /\/users$/, times: 2, status: 503 })
    fake.addFault({ path: new RegExp(`/users/${USERS.bob.id}/tokens$`), times: 1, reset: 'before' })
    fake.addFault({ path: /\/applications\/saml$/, times: 1, reset: 'mid' })
    const retries: Extract<ProgressEvent, { type: 'retry' }>[] = []
    const started = Date.now()
    const result = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST, onProgress: (e) => e.type === 'retry' && retries.push(e) })
    expect(result.error).toBeNull()
    expect(result.status).toBe('completed')
    // Exactly one HTTP request per runner attempt: gaxios' own retry is off.
    expect(fake.requests.filter((r) => r.path.endsWith('/applications/login') && r.status === 429)).toHaveLength(2)
    expect(fake.count(/\/applications\/login$/)).toBe(2 + 3)
    expect(retries.filter((r) => r.kind === 'login').map((r) => r.delayMs)).toEqual([1000, 1000])
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    expect(retries.some((r) => r.kind === 'saml')).toBe(true)
    expect(retries.some((r) => r.kind === 'grant')).toBe(true)
    expect((await grants(t)).filter((x) => x.revoked_at === null)).toHaveLength(7)
    expect(await t.store.db.selectFrom('signin_events').select('id').execute()).toHaveLength(6)
  })

  it('should resume an interrupted scan from its checkpoint and finish without re-listing what it wrote', async () => {
    const controller = new AbortController()
    const first = await scanGoogle(t.store, fixedTokenConfig(fake), {
      resolver, retry: FAST, signal: controller.signal,
      onProgress: (e) => { if (e.type === 'page' && e.kind === 'grant') controller.abort() },
    })
    expect(first.status).toBe('interrupted')
    const tokenCallsBefore = fake.count(/\/tokens$/)
    let resumedFrom: number | null = null
    const second = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST, onProgress: (e) => { if (e.type === 'start') resumedFrom = e.resumedFrom } })
    expect(resumedFrom).toBe(first.runId)
    expect(second.status).toBe('completed')
    // Two users' tokens were read before the interruption; the resumed run reads the other three.
    expect(fake.count(/\/tokens$/) - tokenCallsBefore).toBe(3)
    const g = await grants(t)
    expect(g.filter((x) => x.revoked_at === null)).toHaveLength(7)
  })

  it('should fail, not finish empty, when throttling outlasts the retry policy', async () => {
    fake.addFault({ path: /\/applications\/saml$/, times: 100, status: 500 })
    const result = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: { ...FAST, maxAttempts: 3 } })
    expect(result.status).toBe('failed')
    expect(result.error?.message).toMatch(/list saml activities: 500/)
    expect(fake.count(/\/applications\/saml$/)).toBe(3)
  })

  it('should revoke a grant the token log authorized but a complete token listing no longer shows', async () => {
    await fake.stop()
    fake = await new FakeGoogle({ tenant: buildTenant(Date.now(), { silentlyGone: true }), accessTokens: { 'ya29.valid': GOOGLE_SCOPE_LIST } }).start()
    const result = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST })
    expect(result.status).toBe('completed')
    const calendly = (await grants(t)).find((x) => x.client_id === CLIENTS.calendly.clientId)
    expect(calendly?.revoked_at).not.toBeNull()
  })

  it('should import the same inventory from a live scan as from the file exports of the same data', async () => {
    const live = await scanGoogle(t.store, fixedTokenConfig(fake), { resolver, retry: FAST })
    expect(live.status).toBe('completed')
    const snapshot = async () => ({
      people: await t.store.db.selectFrom('people').select(['email', 'name', 'department', 'title', 'manager_email', 'status', 'employee_number']).orderBy('email').execute(),
      identities: await t.store.db.selectFrom('person_identities').select(['source', 'external_id', 'email', 'status', 'attributes']).orderBy('external_id').execute(),
      grants: await t.store.db.selectFrom('grants').innerJoin('people', 'people.id', 'grants.person_id').leftJoin('apps', 'apps.id', 'grants.app_id')
        .select(['people.email', 'grants.identity_external_id', 'grants.client_id', 'grants.client_name', 'grants.scopes', 'grants.risk', 'grants.native_app', 'grants.revoked_at', 'apps.name as app'])
        .orderBy('grants.identity_external_id').orderBy('grants.client_id').execute(),
      signins: await t.store.db.selectFrom('signin_events').leftJoin('people', 'people.id', 'signin_events.person_id')
        .select(['signin_events.event_id', 'signin_events.occurred_at', 'people.email', 'signin_events.app_ref', 'signin_events.result', 'signin_events.ip']).orderBy('signin_events.event_id').execute(),
    })
    const a = await snapshot()
    expect(a.grants).toHaveLength(8)
    expect(a.signins).toHaveLength(6)
    // Start from an empty inventory in the same store (a second PostgreSQL test schema in one process fails to migrate).
    for (const table of ['signin_daily', 'signin_events', 'grants', 'identifiers', 'person_identities', 'people', 'apps', 'scan_runs'] as const) {
      await t.store.db.deleteFrom(table).execute()
    }
    expect(await snapshot()).toMatchObject({ people: [], grants: [], signins: [] })

    const paths = writeTenantExports(fake.tenant, dir)
    const users = await importGoogleUsers(t.store, paths.users, { resolver })
    expect([users.read, users.imported, users.rejected]).toEqual([5, 5, 0])
    for (const file of [paths.token, paths.login, paths.saml]) expect((await importGoogleActivities(t.store, file, { resolver })).rejected).toBe(0)
    const tokens = await importGoogleTokens(t.store, paths.tokens, { resolver })
    expect([tokens.read, tokens.imported, tokens.rejected]).toEqual([7, 7, 0])
    expect(await snapshot()).toEqual(a)
  })
})

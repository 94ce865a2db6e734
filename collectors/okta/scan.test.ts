import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { ProgressEvent } from '../sdk/runner.js'
import type { OktaConfig } from './config.js'
import { scanOkta } from './scan.js'
import { startFakeOkta, type FakeOkta } from './testing/fake-okta.js'
import { catalogResolver, FAST_RETRY, signinCounts } from './testing/helpers.js'
import { APPS, expectedSignins, seedOrg, userId } from './testing/seed-org.js'

const TOKEN = 'scan-test-token'

describe.each(DIALECTS)('scanOkta on %s', (dialect) => {
  let t: TestStore
  let fake: FakeOkta
  const resolver = catalogResolver()
  beforeEach(async () => {
    t = await createTestStore(dialect)
    fake = await startFakeOkta({ apiToken: TOKEN })
    seedOrg(fake, { users: 14, signins: 40 })
  })
  afterEach(async () => {
    await fake.close()
    await t.dispose()
  })
  const config = (): OktaConfig => ({ orgUrl: fake.url, auth: { kind: 'api-token', token: TOKEN }, logSince: '2026-01-01T00:00:00.000Z', pageSize: { users: 5, apps: 2, appUsers: 4, logs: 9 } })
  const db = () => t.store.db

  it('should write people, apps, assignments and sign-ins, and read the log again only from its checkpoint', async () => {
    const first = await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY })
    expect(first.error).toBeNull()
    expect(first.status).toBe('completed')
    const identities = await db().selectFrom('person_identities').select(['external_id', 'status']).where('source', '=', 'okta').execute()
    expect(identities).toHaveLength(14)
    const terminated = await db().selectFrom('people').select('email').where('status', '=', 'terminated').execute()
    expect(terminated.length).toBe(fake.users.filter((u) => u.status === 'DEPROVISIONED').length)
    const apps = await db().selectFrom('source_apps').innerJoin('apps', 'apps.id', 'source_apps.app_id').select(['source_apps.label', 'apps.catalog_key', 'apps.status']).execute()
    expect(apps.find((a) => a.label === 'Slack')).toMatchObject({ catalog_key: 'slack', status: 'sanctioned' })
    expect(apps.find((a) => a.label === 'Figma')?.status).toBe('unknown')
    const accounts = await db().selectFrom('accounts').select(['person_id']).where('source', '=', 'okta').execute()
    expect(accounts).toHaveLength([...fake.appUsers.values()].reduce((n, a) => n + a.length, 0))
    expect(accounts.every((a) => a.person_id !== null)).toBe(true)
    const counts = await signinCounts(db(), 'okta')
    expect(counts).toEqual({ events: expectedSignins(fake), distinct: expectedSignins(fake), rolledUp: expectedSignins(fake) })
    const slackSignins = await db().selectFrom('signin_events').innerJoin('apps', 'apps.id', 'signin_events.app_id').select('apps.catalog_key').where('apps.catalog_key', '=', 'slack').execute()
    expect(slackSignins.length).toBeGreaterThan(0)
    expect(first.counts['log.membership-add']).toBe(1)

    fake.requests.length = 0
    const second = await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY })
    expect(second.status).toBe('completed')
    const run = await db().selectFrom('scan_runs').select('started_at').where('id', '=', first.runId).executeTakeFirstOrThrow()
    const logRequest = new URL(fake.requests.find((r) => r.url.includes('/api/v1/logs'))!.url)
    expect(logRequest.searchParams.get('since')).toBe(new Date(Date.parse(run.started_at) - 15 * 60_000).toISOString())
    expect(await signinCounts(db(), 'okta')).toEqual(counts)
  })

  it('should ride out a 429 (waiting for X-Rate-Limit-Reset), 5xx and a connection reset mid-page', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1
    fake.faults.push(
      { path: /^\/api\/v1\/apps$/, times: 1, kind: 'status', status: 429, headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } },
      { path: /^\/api\/v1\/logs$/, times: 2, kind: 'status', status: 503 },
      { path: /^\/api\/v1\/users$/, times: 1, kind: 'reset-mid-body' },
      { path: /^\/api\/v1\/apps\/[^/]+\/users$/, times: 1, kind: 'reset' },
    )
    const events: ProgressEvent[] = []
    const started = Date.now()
    const result = await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY, onProgress: (e) => events.push(e) })
    expect(result.error).toBeNull()
    expect(result.status).toBe('completed')
    const retries = events.filter((e) => e.type === 'retry')
    expect(retries.length).toBeGreaterThanOrEqual(4)
    const rateLimited = retries.find((e) => e.type === 'retry' && e.message.includes('E0000047'))
    expect(rateLimited).toBeDefined()
    expect(Date.now() - started).toBeGreaterThanOrEqual(reset * 1000 - started - 50)
    expect(fake.faults.every((f) => f.times === 0)).toBe(true)
    expect(await signinCounts(db(), 'okta')).toMatchObject({ events: expectedSignins(fake) })
  })

  it('should end partial on a user deleted mid-scan and an app deleted mid-scan, marking nothing gone', async () => {
    expect((await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY })).status).toBe('completed')
    // Between listings: the wiki app disappears and Slack lists a user who no longer exists.
    fake.appUsers.delete(APPS[3]!.id)
    const ghost = { ...fake.users[2]!, id: '00uGHOST0000000000001' }
    fake.users.push(ghost)
    fake.deletedUsers.add(ghost.id)
    fake.appUsers.get(APPS[0]!.id)!.push({ id: ghost.id, status: 'ACTIVE', scope: 'USER', credentials: { userName: 'ghost@northwind.example' } })
    // A deleted Okta user loses their assignments with them.
    fake.users = fake.users.filter((u) => u.id !== ghost.id && u.id !== userId(1))
    for (const [appId, list] of fake.appUsers) fake.appUsers.set(appId, list.filter((u) => u.id !== userId(1)))
    const partial = await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY })
    expect(partial.status).toBe('partial')
    expect(partial.itemErrors.map((e) => e.message).join('\n')).toMatch(/00uGHOST0000000000001: deleted during the scan/)
    expect(partial.itemErrors.some((e) => e.item === APPS[3]!.id && e.code === 'not-found')).toBe(true)
    const gone = await db().selectFrom('person_identities').select('external_id').where('gone_at', 'is not', null).execute()
    expect(gone).toEqual([])
    expect(await db().selectFrom('accounts').select('id').where('gone_at', 'is not', null).execute()).toEqual([])
    expect(await db().selectFrom('accounts').select('id').where('external_id', 'like', '%GHOST%').execute()).toEqual([])

    // Once the org is consistent again a complete scan records what is really gone.
    fake.appUsers.get(APPS[0]!.id)!.pop()
    fake.apps = fake.apps.filter((a) => a.id !== APPS[3]!.id)
    const complete = await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY })
    expect(complete.status).toBe('completed')
    const goneNow = await db().selectFrom('person_identities').select('external_id').where('gone_at', 'is not', null).execute()
    expect(goneNow.map((g) => g.external_id)).toEqual([userId(1)])
    expect(complete.counts['gone.app']).toBe(1)
  })

  it('should fail on 401 and on a 403 mid-scan without writing an empty listing or marking anything gone', async () => {
    const bad = await scanOkta(t.store, { ...config(), auth: { kind: 'api-token', token: 'wrong' } }, { resolver, retry: FAST_RETRY })
    expect(bad.status).toBe('failed')
    expect(bad.error?.message).toContain('E0000011')
    expect(await db().selectFrom('person_identities').select('id').execute()).toEqual([])

    expect((await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY })).status).toBe('completed')
    fake.faults.push({ path: /^\/api\/v1\/apps\/[^/]+\/users$/, times: 100, kind: 'status', status: 403 })
    fake.users = []
    const denied = await scanOkta(t.store, config(), { resolver, retry: FAST_RETRY, fresh: true })
    expect(denied.status).toBe('failed')
    expect(denied.error?.message).toContain('E0000006')
    expect(await db().selectFrom('person_identities').select('id').where('gone_at', 'is not', null).execute()).toEqual([])
    expect(await db().selectFrom('accounts').select('id').where('gone_at', 'is not', null).execute()).toEqual([])
  })
})

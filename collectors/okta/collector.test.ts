import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CollectorError } from '../sdk/errors.js'
import type { CollectorContext, ItemError } from '../sdk/contract.js'
import { createOktaCollector, OKTA_MANIFEST, type OktaKind } from './collector.js'
import type { OktaConfig } from './config.js'
import { OktaRateLimiter } from './rate-limit.js'
import { OKTA_READ_SCOPES } from './scopes.js'
import { startFakeOkta, type FakeOkta } from './testing/fake-okta.js'
import { rsaKeyPair } from './testing/helpers.js'
import { seedOrg } from './testing/seed-org.js'

const TOKEN = 'test-api-token-00000000'

function context(config: Readonly<OktaConfig>): CollectorContext<Readonly<OktaConfig>> & { errors: ItemError[] } {
  const errors: ItemError[] = []
  return { config, signal: new AbortController().signal, errors, reportItemError: (e) => errors.push(e) }
}

async function listAll(collector: ReturnType<typeof createOktaCollector>, ctx: CollectorContext<Readonly<OktaConfig>>) {
  const out: Record<OktaKind, unknown[]> = { person: [], app: [], account: [], signin: [] }
  for (const kind of OKTA_MANIFEST.kinds) {
    let cursor: string | null = null
    do {
      const page = await collector.list(kind, { cursor, signal: ctx.signal }, ctx)
      out[kind].push(...page.items)
      cursor = page.next
    } while (cursor !== null)
  }
  return out
}

describe('Okta collector against the fake org', () => {
  let fake: FakeOkta
  beforeEach(async () => {
    fake = await startFakeOkta({ apiToken: TOKEN })
    seedOrg(fake, { users: 12, signins: 30 })
  })
  afterEach(() => fake.close())

  const config = (): OktaConfig => ({ orgUrl: fake.url, auth: { kind: 'api-token', token: TOKEN }, logSince: '2026-01-01T00:00:00.000Z', pageSize: { users: 5, apps: 2, appUsers: 3, logs: 7 } })

  it('should list people including DEPROVISIONED ones, apps, assignments and sign-ins, paging with Link headers', async () => {
    const collector = createOktaCollector(config())
    const ctx = context(config())
    const out = await listAll(collector, ctx)
    expect(ctx.errors).toEqual([])
    expect(out.person).toHaveLength(12)
    const deprovisioned = out.person.filter((p) => (p as { sourceStatus: string }).sourceStatus === 'DEPROVISIONED')
    expect(deprovisioned.length).toBeGreaterThan(0)
    expect(deprovisioned.every((p) => (p as { status: string }).status === 'terminated')).toBe(true)
    expect(out.person.filter((p) => (p as { sourceStatus: string }).sourceStatus === 'SUSPENDED').every((p) => (p as { status: string }).status === 'suspended')).toBe(true)
    // The fake's four apps, plus the Okta org itself (the IdP, sanctioned by being in use).
    expect(out.app).toHaveLength(5)
    expect(out.app[0]).toMatchObject({ externalId: 'okta-org', label: 'Okta', integrated: true })
    expect(out.app.find((a) => (a as { label: string }).label === 'Figma')).toMatchObject({ status: 'inactive', integrated: false })
    const assignments = [...fake.appUsers.values()].reduce((n, a) => n + a.length, 0)
    expect(out.account).toHaveLength(assignments)
    expect(out.account[0]).toMatchObject({ type: 'account', app: { sourceAppId: expect.stringMatching(/^0oa/) }, userExternalId: expect.stringMatching(/^00u/) })
    const sso = fake.logs.filter((e) => e.eventType === 'user.authentication.sso' || e.eventType === 'user.session.start')
    expect(out.signin).toHaveLength(sso.length)
    expect(out.signin.find((s) => (s as { app: { sourceAppId: string | null } }).app.sourceAppId === '0oaslack000000000001')).toMatchObject({ result: expect.any(String), ip: expect.stringMatching(/^10\./) })
    expect(collector.logStats.membershipAdds).toBe(1)
    // Paged for real: several requests per listing, each carrying Okta's SSWS scheme.
    expect(fake.requests.filter((r) => r.url.includes('/api/v1/users?')).length).toBe(3)
    expect(fake.requests.every((r) => r.authorization === `SSWS ${TOKEN}`)).toBe(true)
    expect(fake.requests.some((r) => r.url.includes('filter=status+eq') || r.url.includes('filter=status%20eq'))).toBe(true)
  })

  it('should declare every scope it uses at run time', async () => {
    const collector = createOktaCollector(config())
    const ctx = context(config())
    await collector.validate(ctx)
    await listAll(collector, ctx)
    expect(collector.http.usedScopes.size).toBeGreaterThan(0)
    for (const scope of collector.http.usedScopes) expect(OKTA_MANIFEST.scopes).toContain(scope)
    for (const scope of OKTA_READ_SCOPES) expect(OKTA_MANIFEST.scopes).toContain(scope)
  })

  it('should map 401, 403 and 404 to their codes with the Okta errorCode, never to an empty page', async () => {
    const collector = createOktaCollector(config())
    const ctx = context(config())
    const cases: [number, string, string][] = [
      [401, 'unauthenticated', 'E0000011'],
      [403, 'permission-denied', 'E0000006'],
      [404, 'not-found', 'E0000007'],
      [500, 'unavailable', 'E0000009'],
    ]
    for (const [status, code, errorCode] of cases) {
      fake.faults.push({ path: /^\/api\/v1\/apps$/, times: 1, kind: 'status', status })
      const error = await collector.list('app', { cursor: null, signal: ctx.signal }, ctx).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CollectorError)
      expect((error as CollectorError).code).toBe(code)
      expect((error as CollectorError).message).toContain(errorCode)
      expect((error as CollectorError).message).not.toContain(TOKEN)
    }
  })

  it('should turn a 429 into rate-limited with retryAfterMs from X-Rate-Limit-Reset', async () => {
    const collector = createOktaCollector(config())
    const ctx = context(config())
    const reset = Math.ceil(Date.now() / 1000) + 2
    fake.faults.push({ path: /^\/api\/v1\/logs$/, times: 1, kind: 'status', status: 429, headers: { 'x-rate-limit-limit': '120', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } })
    const error = (await collector.list('signin', { cursor: null, signal: ctx.signal }, ctx).catch((e: unknown) => e)) as CollectorError
    expect(error.code).toBe('rate-limited')
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('E0000047')
    expect(error.retryAfterMs).toBeGreaterThan(900)
    expect(error.retryAfterMs).toBeLessThanOrEqual(3000)
  })

  it('should fail a page whose connection is reset mid-body as unavailable (retryable)', async () => {
    const collector = createOktaCollector(config())
    const ctx = context(config())
    fake.faults.push({ path: /^\/api\/v1\/users$/, times: 1, kind: 'reset-mid-body' })
    const error = (await collector.list('person', { cursor: null, signal: ctx.signal }, ctx).catch((e: unknown) => e)) as CollectorError
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.code).toBe('unavailable')
    fake.faults.push({ path: /^\/api\/v1\/users$/, times: 1, kind: 'reset' })
    const again = (await collector.list('person', { cursor: null, signal: ctx.signal }, ctx).catch((e: unknown) => e)) as CollectorError
    expect(again.code).toBe('unavailable')
  })

  it('should refuse to follow a next link to another origin with the token', async () => {
    const collector = createOktaCollector(config())
    const ctx = context(config())
    const error = (await collector.list('app', { cursor: 'https://evil.example/api/v1/apps?after=x', signal: ctx.signal }, ctx).catch((e: unknown) => e)) as CollectorError
    expect(error.code).toBe('bad-data')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('Okta OAuth service app (private-key JWT)', () => {
  it('should get a Bearer token for exactly the declared read scopes with a signed assertion, and reuse it', async () => {
    const keys = rsaKeyPair()
    const fake = await startFakeOkta({ serviceApp: { clientId: '0oaservice', publicKeyPem: keys.publicKeyPem, grantedScopes: [...OKTA_READ_SCOPES] } })
    try {
      seedOrg(fake, { users: 4, signins: 5 })
      const cfg: OktaConfig = { orgUrl: fake.url, auth: { kind: 'private-key-jwt', clientId: '0oaservice', privateKeyPem: keys.privateKeyPem, keyId: 'kid-1' }, logSince: '2026-01-01T00:00:00.000Z' }
      const collector = createOktaCollector(cfg)
      const ctx = context(cfg)
      await collector.validate(ctx)
      await listAll(collector, ctx)
      expect(fake.tokenRequests).toHaveLength(1)
      expect(fake.tokenRequests[0]?.scope.split(' ').sort()).toEqual([...OKTA_READ_SCOPES].sort())
      expect(fake.tokenRequests[0]?.assertion.header).toMatchObject({ alg: 'RS256', kid: 'kid-1' })
      expect(fake.tokenRequests[0]?.assertion.payload).toMatchObject({ iss: '0oaservice', sub: '0oaservice', aud: `${fake.url}/oauth2/v1/token` })
      const api = fake.requests.filter((r) => r.url.includes('/api/v1/'))
      expect(api.length).toBeGreaterThan(4)
      expect(api.every((r) => r.authorization?.startsWith('Bearer '))).toBe(true)
    } finally {
      await fake.close()
    }
  })

  it('should report a key the org does not know as unauthenticated', async () => {
    const keys = rsaKeyPair()
    const other = rsaKeyPair()
    const fake = await startFakeOkta({ serviceApp: { clientId: '0oaservice', publicKeyPem: keys.publicKeyPem, grantedScopes: [...OKTA_READ_SCOPES] } })
    try {
      const cfg: OktaConfig = { orgUrl: fake.url, auth: { kind: 'private-key-jwt', clientId: '0oaservice', privateKeyPem: other.privateKeyPem } }
      const collector = createOktaCollector(cfg)
      const error = (await collector.validate(context(cfg)).catch((e: unknown) => e)) as CollectorError
      expect(error.code).toBe('unauthenticated')
      expect(error.message).toContain('invalid_client')
    } finally {
      await fake.close()
    }
  })
})

describe('OktaRateLimiter', () => {
  it('should space requests out when X-Rate-Limit-Remaining runs low and not before', async () => {
    const waits: number[] = []
    let now = 1_000_000
    const limiter = new OktaRateLimiter(0.1, async (ms) => void waits.push(ms), () => now)
    const headers = (remaining: number) => new Headers({ 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String((now + 30_000) / 1000) })
    limiter.afterResponse('GET /api/v1/logs', headers(50))
    await limiter.beforeRequest('GET /api/v1/logs')
    expect(waits).toEqual([])
    limiter.afterResponse('GET /api/v1/logs', headers(4))
    await limiter.beforeRequest('GET /api/v1/logs')
    expect(waits).toEqual([6000])
    limiter.afterResponse('GET /api/v1/logs', headers(0))
    await limiter.beforeRequest('GET /api/v1/logs')
    expect(waits[1]).toBe(30_000)
    // Another endpoint has its own window.
    await limiter.beforeRequest('GET /api/v1/users')
    expect(waits).toHaveLength(2)
    now += 31_000
    await limiter.beforeRequest('GET /api/v1/logs')
    expect(waits).toHaveLength(2)
  })
})

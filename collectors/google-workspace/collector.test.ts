import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OAuth2Client } from 'google-auth-library'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CollectorContext, ItemError } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import type { ObservedRecord } from '../sdk/records.js'
import { createGoogleCollector, GOOGLE_MANIFEST, type GoogleKind } from './collector.js'
import { GOOGLE_SCOPES, googleConfigFromEnv, type GoogleConfig } from './config.js'
import { RemediatorRegistry } from '../sdk/remediator.js'
import { createGoogleRemediator, revokeGoogleToken } from './remediation.js'
import { FakeGoogle } from './testing/fake-google.js'
import { buildTenant, CLIENTS, USERS, writeServiceAccountKey } from './testing/tenant-fixture.js'

/** The scope each route of the fake needs, per the Directory and Reports API references. */
const ROUTE_SCOPES: [RegExp, string][] = [
  [/^\/admin\/directory\/v1\/users$/, GOOGLE_SCOPES.users],
  [/^\/admin\/directory\/v1\/users\/[^/]+\/tokens(\/[^/]+)?$/, GOOGLE_SCOPES.tokens],
  [/^\/admin\/reports\/v1\/activity\//, GOOGLE_SCOPES.reports],
]

async function listEverything(config: GoogleConfig): Promise<{ records: ObservedRecord[]; errors: ItemError[] }> {
  const collector = createGoogleCollector(config)
  const errors: ItemError[] = []
  const ctx: CollectorContext<GoogleConfig> = { config, signal: new AbortController().signal, reportItemError: (e) => errors.push(e) }
  await collector.validate(ctx)
  const records: ObservedRecord[] = []
  for (const kind of collector.manifest.kinds) {
    let cursor: string | null = null
    do {
      const page = await collector.list(kind as GoogleKind, { cursor, signal: ctx.signal }, ctx)
      records.push(...page.items)
      cursor = page.next
    } while (cursor !== null)
  }
  return { records, errors }
}

describe('Google Workspace collector against the fake', () => {
  let fake: FakeGoogle
  let dir: string
  beforeEach(async () => {
    fake = await new FakeGoogle({ tenant: buildTenant(), usersPageSize: 2 }).start()
    dir = mkdtempSync(join(tmpdir(), 'sightline-google-'))
  })
  afterEach(async () => {
    await fake.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  function trustKey(delegatedScopes: readonly string[] = GOOGLE_MANIFEST.scopes): GoogleConfig {
    const key = writeServiceAccountKey(dir, `${fake.url}token`)
    fake.trustServiceAccount({ clientEmail: key.clientEmail, publicKeyPem: key.publicKeyPem, subject: 'admin@acme.example', delegatedScopes })
    return { ...googleConfigFromEnv({ SIGHTLINE_GOOGLE_KEY_FILE: key.path, SIGHTLINE_GOOGLE_ADMIN_SUBJECT: 'Admin@acme.example' }), rootUrl: fake.url }
  }

  it('should sign in with the service account key at its token_uri and use only declared scopes', async () => {
    const { records, errors } = await listEverything(trustKey())
    expect(errors).toEqual([])
    expect(records.filter((r) => r.type === 'person')).toHaveLength(5)
    expect(fake.requestedScopes.length).toBeGreaterThan(0)
    for (const asked of fake.requestedScopes) expect([...asked].sort()).toEqual([...GOOGLE_MANIFEST.scopes].sort())
    const apiCalls = fake.requests.filter((r) => r.path !== '/token')
    expect(apiCalls.length).toBeGreaterThan(5)
    for (const call of apiCalls) {
      const scope = ROUTE_SCOPES.find(([route]) => route.test(call.path))?.[1]
      expect(scope, call.path).toBeDefined()
      expect(GOOGLE_MANIFEST.scopes).toContain(scope)
      expect(call.status).toBe(200)
    }
  })

  it('should fail validation as unauthenticated when delegation does not grant the scopes', async () => {
    const config = trustKey([GOOGLE_SCOPES.users])
    const collector = createGoogleCollector(config)
    const ctx: CollectorContext<GoogleConfig> = { config, signal: new AbortController().signal, reportItemError: () => undefined }
    const error = await collector.validate(ctx).then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(CollectorError)
    expect((error as CollectorError).code).toBe('unauthenticated')
    expect((error as CollectorError).message).toMatch(/get access token: 401 unauthorized_client/)
    expect(fake.count(/\/token$/, 'POST')).toBe(1)
  })

  it('should revoke a token with tokens.delete and report an already-missing one as gone', async () => {
    const config = trustKey()
    const first = await revokeGoogleToken(config, USERS.alice.id as string, CLIENTS.inboxpilot.clientId)
    expect(first.outcome).toBe('revoked')
    expect(fake.tenant.tokens.get(USERS.alice.id as string)?.map((t) => t.clientId)).not.toContain(CLIENTS.inboxpilot.clientId)
    expect(fake.count(/\/tokens\/2222-inboxpilot/, 'DELETE')).toBe(1)
    const again = await revokeGoogleToken(config, USERS.alice.id as string, CLIENTS.inboxpilot.clientId)
    expect(again.outcome).toBe('already-gone')
  })

  it('should retry a throttled revoke and surface a permission failure', async () => {
    const auth = new OAuth2Client()
    auth.setCredentials({ access_token: 'ya29.readonly' })
    const readOnly = new FakeGoogle({ tenant: buildTenant(), accessTokens: { 'ya29.readonly': [GOOGLE_SCOPES.users] } })
    await readOnly.start()
    try {
      const config: GoogleConfig = { keyFile: null, adminSubject: null, customer: 'my_customer', lookbackDays: 30, concurrency: 2, rootUrl: readOnly.url, authClient: auth }
      const error = await revokeGoogleToken(config, USERS.bob.id as string, CLIENTS.slack.clientId).then(() => null, (e: unknown) => e)
      expect((error as CollectorError).code).toBe('permission-denied')
      expect((error as CollectorError).message).toMatch(/403 PERMISSION_DENIED: Request had insufficient authentication scopes/)
    } finally {
      await readOnly.stop()
    }
    const config = trustKey()
    fake.addFault({ method: 'DELETE', path: /\/tokens\//, times: 2, status: 429, retryAfter: '0' })
    const result = await revokeGoogleToken(config, USERS.bob.id as string, CLIENTS.slack.clientId, { retry: { baseDelayMs: 5, maxDelayMs: 20 } })
    expect(result.outcome).toBe('revoked')
    expect(fake.count(/\/tokens\//, 'DELETE')).toBe(3)
  })

  it('should revoke a token through the Remediator contract: done, then already-done, and a 403 as failed', async () => {
    const registry = new RemediatorRegistry([createGoogleRemediator(trustKey(), { retry: { baseDelayMs: 5, maxDelayMs: 20 } })])
    const target = { action: 'revoke-grant' as const, source: 'google', user: USERS.alice.id as string, client: CLIENTS.inboxpilot.clientId }
    expect(await registry.remediate(target)).toEqual({
      outcome: 'done', request: `DELETE /admin/directory/v1/users/${USERS.alice.id}/tokens/${CLIENTS.inboxpilot.clientId}`,
      detail: `google: revoked the token ${USERS.alice.id} gave ${CLIENTS.inboxpilot.clientId}`,
    })
    expect(fake.tenant.tokens.get(USERS.alice.id as string)?.map((t) => t.clientId)).not.toContain(CLIENTS.inboxpilot.clientId)
    expect((await registry.remediate(target)).outcome).toBe('already-done')
    expect(await registry.remediate({ action: 'remove-access', source: 'google', user: 'x', app: 'y' })).toMatchObject({ outcome: 'failed' })
    fake.addFault({ method: 'DELETE', path: /\/tokens\//, times: 1, status: 403 })
    expect(await registry.remediate({ ...target, user: USERS.bob.id as string, client: CLIENTS.slack.clientId })).toMatchObject({ outcome: 'failed', code: 'permission-denied', retryable: false })
  })

  it('should keep the token-event window in its cursor so a resumed scan pages the same query', async () => {
    const config = trustKey()
    const collector = createGoogleCollector({ ...config, startTime: '2020-01-01T00:00:00.000Z' })
    const ctx: CollectorContext<GoogleConfig> = { config, signal: new AbortController().signal, reportItemError: () => undefined }
    const page = await collector.list('token-event', { cursor: null, signal: ctx.signal }, ctx)
    expect(JSON.parse(page.next as string)).toMatchObject({ startTime: '2020-01-01T00:00:00.000Z', phase: 'revoke' })
    const reports = fake.requests.filter((r) => r.path.includes('/applications/token'))
    expect(reports.map((r) => [r.query.get('startTime'), r.query.get('eventName')])).toEqual([['2020-01-01T00:00:00.000Z', 'authorize']])
  })
})

describe('googleConfigFromEnv', () => {
  it('should name the missing variable', () => {
    expect(() => googleConfigFromEnv({})).toThrow(/SIGHTLINE_GOOGLE_KEY_FILE is not set/)
    expect(() => googleConfigFromEnv({ SIGHTLINE_GOOGLE_KEY_FILE: '/k.json' })).toThrow(/SIGHTLINE_GOOGLE_ADMIN_SUBJECT/)
    expect(() => googleConfigFromEnv({ SIGHTLINE_GOOGLE_KEY_FILE: '/k.json', SIGHTLINE_GOOGLE_ADMIN_SUBJECT: 'a@b.c', SIGHTLINE_GOOGLE_LOOKBACK_DAYS: '400' })).toThrow(/1 to 180/)
  })

  it('should default the customer to my_customer and declare every env name in the manifest', () => {
    const config = googleConfigFromEnv({ SIGHTLINE_GOOGLE_KEY_FILE: '/k.json', SIGHTLINE_GOOGLE_ADMIN_SUBJECT: 'a@b.c' })
    expect(config.customer).toBe('my_customer')
    expect(GOOGLE_MANIFEST.config.map((f) => f.env)).toEqual(expect.arrayContaining(['SIGHTLINE_GOOGLE_KEY_FILE', 'SIGHTLINE_GOOGLE_ADMIN_SUBJECT', 'SIGHTLINE_GOOGLE_CUSTOMER']))
    expect(GOOGLE_MANIFEST.config.find((f) => f.env === 'SIGHTLINE_GOOGLE_KEY_FILE')?.secret).toBe(true)
  })
})

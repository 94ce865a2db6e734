import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { createDeviceToken, revokeApiToken } from '../../data/api-tokens.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { createTelemetryIngest, TELEMETRY_PATH, type TelemetryIngest } from './ingest.js'

const resolver = createResolver({ entries: loadCatalog().entries })
const AT = '2026-12-01T10:00:00.000Z'
const reasonOf = async (r: Response): Promise<string> => ((await r.json()) as { reason: string }).reason

function batch(batchId: string, events: unknown[], deviceId = 'profile-1'): Record<string, unknown> {
  return { batchId, deviceId, events }
}
const visit = (eventId: string, domain: string, userEmail = 'ada@northwind.example') => ({ eventId, kind: 'visit', domain, userEmail, occurredAt: AT })

for (const dialect of DIALECTS) {
  describe(`telemetry ingest [${dialect}]`, () => {
    let t: TestStore
    let ingest: TelemetryIngest
    afterEach(async () => {
      await ingest?.close()
      await t?.dispose()
    })

    async function setup(rateLimit = { burst: 50, perSecond: 50 }) {
      t = await createTestStore(dialect)
      ingest = createTelemetryIngest({ store: t.store, resolver, drain: 'manual', rateLimit })
      const { token } = await createDeviceToken(t.store.db, { name: 'laptop-ada', actor: 'cli:test' })
      return token
    }
    const post = (token: string | null, body: unknown, headers: Record<string, string> = {}) =>
      ingest.app.request(TELEMETRY_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
    const count = async (table: 'telemetry_events' | 'telemetry_batches' | 'device_software') =>
      Number((await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

    it('should accept a batch, then write visits, consents and extensions through the inventory writer', async () => {
      const token = await setup()
      const res = await post(token, batch('b-1', [
        visit('e1', 'zoom.us'),
        { eventId: 'e2', kind: 'signup', domain: 'app.tallyfox.io', userEmail: 'Ada@Northwind.example', occurredAt: AT },
        { eventId: 'e3', kind: 'oauth_consent', domain: 'app.tallyfox.io', userEmail: 'ada@northwind.example', occurredAt: AT, provider: 'google', clientId: '123-abc.apps.googleusercontent.com', scopes: ['openid', 'https://www.googleapis.com/auth/drive'] },
        { eventId: 'e4', kind: 'extension', userEmail: 'ada@northwind.example', occurredAt: AT, extension: { id: 'a'.repeat(32), name: 'Tab Helper', version: '1.2', permissions: ['cookies', 'tabs'], hostPermissions: ['<all_urls>'], installType: 'normal', enabled: true } },
      ]))
      expect(res.status).toBe(202)
      expect(await res.json()).toEqual({ accepted: true, batchId: 'b-1', events: 4 })
      expect(await count('telemetry_events')).toBe(0)
      const run = await ingest.drain()
      expect(run).toMatchObject({ status: 'completed', error: null })
      const events = await t.store.db
        .selectFrom('telemetry_events').leftJoin('apps', 'apps.id', 'telemetry_events.app_id')
        .select(['event_id', 'device_id', 'kind', 'user_email', 'client_id', 'scopes', 'apps.catalog_key', 'apps.candidate_key'])
        .orderBy('event_id').execute()
      expect(events).toEqual([
        { event_id: 'e1', device_id: 'laptop-ada/profile-1', kind: 'visit', user_email: 'ada@northwind.example', client_id: null, scopes: null, catalog_key: 'zoom', candidate_key: null },
        { event_id: 'e2', device_id: 'laptop-ada/profile-1', kind: 'signup', user_email: 'ada@northwind.example', client_id: null, scopes: null, catalog_key: null, candidate_key: expect.stringContaining('tallyfox') },
        { event_id: 'e3', device_id: 'laptop-ada/profile-1', kind: 'oauth_consent', user_email: 'ada@northwind.example', client_id: '123-abc.apps.googleusercontent.com', scopes: 'openid https://www.googleapis.com/auth/drive', catalog_key: null, candidate_key: expect.any(String) },
      ])
      const software = await t.store.db.selectFrom('device_software').select(['kind', 'item_id', 'name', 'permissions', 'user_email', 'source']).execute()
      expect(software).toEqual([{ kind: 'chrome_extension', item_id: 'a'.repeat(32), name: 'Tab Helper', permissions: JSON.stringify(['<all_urls>', 'cookies', 'tabs']), user_email: 'ada@northwind.example', source: 'browser-extension' }])
      const pending = await t.store.db.selectFrom('telemetry_batches').select(['processed_run_id']).execute()
      expect(pending).toEqual([{ processed_run_id: run!.runId }])
      const token_ = await t.store.db.selectFrom('api_tokens').select('last_used_at').executeTakeFirstOrThrow()
      expect(token_.last_used_at).not.toBeNull()
    })

    it('should be 401 for a missing, forged or revoked token, and store nothing', async () => {
      const token = await setup()
      const body = batch('b-1', [visit('e1', 'zoom.us')])
      expect((await post(null, body)).status).toBe(401)
      const forged = await post(`slt_${'x'.repeat(43)}`, body)
      expect(forged.status).toBe(401)
      expect(forged.headers.get('www-authenticate')).toContain('invalid_token')
      await revokeApiToken(t.store.db, { idOrName: 'laptop-ada', actor: 'cli:test' })
      const revoked = await post(token, body)
      expect(revoked.status).toBe(401)
      expect(await revoked.json()).toMatchObject({ error: 'unauthorized' })
      expect(await count('telemetry_batches')).toBe(0)
    })

    it('should be 400 with a reason for oversized, non-JSON and invalid batches, and store nothing', async () => {
      const token = await setup()
      // Valid JSON padded past the limit: the size is checked before anything is parsed.
      const tooLarge = await post(token, JSON.stringify(batch('b-big', [visit('e1', 'zoom.us')])) + ' '.repeat(300 * 1024))
      expect(tooLarge.status).toBe(400)
      expect(await tooLarge.json()).toMatchObject({ error: 'too_large' })
      const notJson = await post(token, '{"batchId": ')
      expect(notJson.status).toBe(400)
      expect((await reasonOf(notJson))).toMatch(/not JSON/)
      const markupDomain = await post(token, batch('b-2', [visit('e1', '<script>alert(1)</script>')]))
      expect(markupDomain.status).toBe(400)
      expect((await reasonOf(markupDomain))).toBe('events.0.domain: not a domain name')
      const url = await post(token, batch('b-3', [{ ...visit('e1', 'zoom.us'), url: 'https://zoom.us/j/123?pwd=secret' }]))
      expect(url.status).toBe(400)
      expect((await reasonOf(url))).toMatch(/^events\.0: .*url/)
      const wrongType = await post(token, JSON.stringify(batch('b-4', [visit('e1', 'zoom.us')])), { 'content-type': 'text/plain' })
      expect(wrongType.status).toBe(400)
      const twice = await post(token, batch('b-5', [visit('e1', 'zoom.us'), visit('e1', 'slack.com')]))
      expect(twice.status).toBe(400)
      expect(await count('telemetry_batches')).toBe(0)
    })

    it('should ignore a replayed batch', async () => {
      const token = await setup()
      const body = batch('b-1', [visit('e1', 'zoom.us'), visit('e2', 'slack.com')])
      expect((await post(token, body)).status).toBe(202)
      await ingest.drain()
      const replay = await post(token, body)
      expect(replay.status).toBe(200)
      expect(await replay.json()).toEqual({ accepted: false, replay: true, batchId: 'b-1' })
      const run = await ingest.drain()
      expect(run?.counts['batches.processed'] ?? 0).toBe(0)
      expect(await count('telemetry_batches')).toBe(1)
      expect(await count('telemetry_events')).toBe(2)
    })

    it('should store names with markup as text', async () => {
      const token = await setup()
      const name = '<img src=x onerror="alert(1)">Evil & Co'
      const res = await post(token, batch('b-1', [{ eventId: 'x1', kind: 'extension', occurredAt: AT, extension: { id: 'b'.repeat(32), name, permissions: [], hostPermissions: ['*://*/*'], installType: 'sideload', enabled: true } }]))
      expect(res.status).toBe(202)
      await ingest.drain()
      const row = await t.store.db.selectFrom('device_software').innerJoin('apps', 'apps.id', 'device_software.app_id').select(['device_software.name', 'apps.name as app']).executeTakeFirstOrThrow()
      expect(row.name).toBe(name)
      expect(row.app).toContain('Evil')
    })

    it('should throttle a flood from one token without slowing another', async () => {
      const token = await setup({ burst: 3, perSecond: 0.001 })
      const other = (await createDeviceToken(t.store.db, { name: 'laptop-grace', actor: 'cli:test' })).token
      const statuses: number[] = []
      for (let i = 0; i < 6; i++) statuses.push((await post(token, batch(`a-${i}`, [visit(`e${i}`, 'zoom.us')]))).status)
      expect(statuses).toEqual([202, 202, 202, 429, 429, 429])
      const limited = await post(token, batch('a-9', [visit('e9', 'zoom.us')]))
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await post(other, batch('g-1', [visit('g1', 'zoom.us')]))).status).toBe(202)
      expect(await count('telemetry_batches')).toBe(4)
    })

    it('should drain in the background after a batch is accepted', async () => {
      t = await createTestStore(dialect)
      ingest = createTelemetryIngest({ store: t.store, resolver, drainDelayMs: 5 })
      const { token } = await createDeviceToken(t.store.db, { name: 'laptop-ada', actor: 'cli:test' })
      expect((await post(token, batch('b-1', [visit('e1', 'zoom.us')]))).status).toBe(202)
      await ingest.idle()
      expect(await count('telemetry_events')).toBe(1)
    })
  })
}

import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../analyzer/resolve/index.js'
import { createTelemetryIngest, TELEMETRY_PATH, type TelemetryIngest } from '../collectors/browser-extension/ingest.js'
import { createDeviceToken } from '../data/api-tokens.js'
import { loadCatalog } from '../data/catalog/index.js'
import { createTestStore, type TestStore } from '../data/testing/test-store.js'
import { createApp } from './app.js'
import { silentLogger } from './env.js'
import { testUiConfig } from './testing/ui-test-kit.js'

const resolver = createResolver({ entries: loadCatalog().entries })
const batch = { batchId: 'b-1', deviceId: 'profile-1', events: [{ eventId: 'e1', kind: 'visit', domain: 'zoom.us', userEmail: 'ada@northwind.example', occurredAt: '2026-12-01T10:00:00.000Z' }] }

describe('machine routes in the web app', () => {
  let t: TestStore | undefined
  let ingest: TelemetryIngest | undefined
  afterEach(async () => {
    await ingest?.close()
    await t?.dispose()
  })

  it('should serve the telemetry ingest with its bearer token, outside the session and CSRF layers', async () => {
    t = await createTestStore('sqlite')
    ingest = createTelemetryIngest({ store: t.store, resolver, drain: 'manual' })
    const app = createApp({ store: t.store, config: testUiConfig(), logger: silentLogger, clientAddress: () => '192.0.2.10', machineRoutes: [ingest.app] })
    const { token } = await createDeviceToken(t.store.db, { name: 'laptop-ada', actor: 'cli:test' })
    const post = (auth: string | null) =>
      app.request(`http://sightline.test${TELEMETRY_PATH}`, {
        method: 'POST',
        // a device has no cookie and its Origin is the extension's, which the CSRF layer would refuse
        headers: { 'content-type': 'application/json', origin: 'chrome-extension://lhcdjkmnlageagleofmajpcpacaeohln', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify(batch),
      })
    expect((await post(null)).status).toBe(401)
    expect((await post('Bearer forged-token')).status).toBe(401)
    const accepted = await post(`Bearer ${token}`)
    expect(accepted.status).toBe(202)
    expect(accepted.headers.get('x-content-type-options')).toBe('nosniff')
    await ingest.drain()
    const n = await t.store.db.selectFrom('telemetry_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(1)
  })

  it('should not answer the ingest path when no machine routes are mounted', async () => {
    t = await createTestStore('sqlite')
    const app = createApp({ store: t.store, config: testUiConfig(), logger: silentLogger, clientAddress: () => '192.0.2.10' })
    const r = await app.request(`http://sightline.test${TELEMETRY_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://sightline.test' }, body: '{}' })
    expect(r.status).toBe(404)
  })
})

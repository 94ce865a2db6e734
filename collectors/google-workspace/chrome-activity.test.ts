import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OAuth2Client } from 'google-auth-library'
import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { SignalResolver } from '../sdk/app-resolution.js'
import { GOOGLE_SCOPE_LIST, type GoogleConfig } from './config.js'
import { importChromeActivities } from './import-google.js'
import type { GoogleActivity } from './map-activity.js'
import { mapChromeActivity } from './map-chrome.js'
import { scanGoogle } from './scan.js'
import { FakeGoogle } from './testing/fake-google.js'
import { buildTenant } from './testing/tenant-fixture.js'

const resolver = createResolver({ entries: loadCatalog().entries }) as unknown as SignalResolver
const GRAMMARLY = 'kbfnbcaeplbcioakkpcpgfkobkghlhen'
const UNKNOWN = 'cdefghijklmnopabcdefghijklmnopab'

// Event types as Google lists them beside each event name (EXTENSION_REQUEST_TYPE, LOGIN_EVENT_TYPE …).
const TYPE_OF: Record<string, string> = { PASSWORD_CHANGED: 'SAFE_BROWSING_PASSWORD_ALERT', PASSWORD_REUSE: 'SAFE_BROWSING_PASSWORD_ALERT' }

function chrome(time: string, qualifier: string, name: string, params: Record<string, string>, email = 'alice@acme.example'): GoogleActivity {
  return {
    kind: 'admin#reports#activity',
    id: { time, uniqueQualifier: qualifier, applicationName: 'chrome', customerId: 'C03az79cb' },
    actor: { email, profileId: '100000000000000000001' },
    events: [{ type: TYPE_OF[name] ?? `${name}_TYPE`, name, parameters: Object.entries(params).map(([n, value]) => ({ name: n, value })) }],
  }
}

const DEVICE = { DEVICE_NAME: 'ALICE-MBP', DIRECTORY_DEVICE_ID: 'dev-1', PROFILE_USER_NAME: 'alice@acme.example' }
const ACTIVITIES: GoogleActivity[] = [
  chrome('2026-11-20T10:00:00.000Z', '1', 'BROWSER_EXTENSION_INSTALL', { ...DEVICE, APP_ID: GRAMMARLY, APP_NAME: 'Grammarly: AI Writing', EXTENSION_ACTION: 'INSTALL', EXTENSION_SOURCE: 'CHROME_WEBSTORE', EXTENSION_VERSION: '14.1' }),
  chrome('2026-11-20T11:00:00.000Z', '2', 'BROWSER_EXTENSION_INSTALL', { ...DEVICE, APP_ID: UNKNOWN, APP_NAME: 'Coupon <i>Finder</i>', EXTENSION_ACTION: 'INSTALL', EXTENSION_VERSION: '0.9' }),
  chrome('2026-11-20T12:00:00.000Z', '3', 'EXTENSION_REQUEST', { ...DEVICE, APP_ID: 'bcdefghijklmnopabcdefghijklmnopa', APP_NAME: 'Tab Sorter' }),
  chrome('2026-11-20T13:00:00.000Z', '4', 'LOGIN_EVENT', { ...DEVICE, URL: 'https://app.tallyfox.io/login?next=/secret', LOGIN_USER_NAME: 'Alice@Acme.example' }),
  chrome('2026-11-20T14:00:00.000Z', '5', 'UNSAFE_SITE_VISIT', { ...DEVICE, URL: 'http://malware.example-bad.com/x', THREAT_TYPE: 'MALWARE' }),
  chrome('2026-11-20T15:00:00.000Z', '6', 'BROWSER_EXTENSION_INSTALL', { ...DEVICE, APP_ID: 'defghijklmnopabcdefghijklmnopabc', APP_NAME: 'Removed One', EXTENSION_ACTION: 'UNINSTALL' }),
]

async function software(t: TestStore) {
  return t.store.db
    .selectFrom('device_software').leftJoin('apps', 'apps.id', 'device_software.app_id')
    .select(['device_software.device_id', 'device_software.item_id', 'device_software.name', 'device_software.install_type', 'device_software.user_email', 'apps.catalog_key', 'apps.candidate_key'])
    .orderBy('device_software.item_id').execute()
}

describe('Chrome activity records', () => {
  it('should take the person from the profile when Chrome masks the login name, and the browser id from DEVICE_ID', () => {
    const login = chrome('2026-11-21T09:00:00.000Z', '7', 'LOGIN_EVENT', { DEVICE_ID: 'b9b5c1d0-browser', PROFILE_USER_NAME: 'Bob@Acme.example', URL: 'https://app.tallyfox.io/sign-in', LOGIN_USER_NAME: '*****@gmail.com' }, 'bob@acme.example')
    expect(mapChromeActivity(login)).toEqual([
      { type: 'telemetry', deviceId: 'b9b5c1d0-browser', eventId: 'chrome:2026-11-21T09:00:00.000Z:7:0', email: 'bob@acme.example', domain: 'app.tallyfox.io', kind: 'login', occurredAt: '2026-11-21T09:00:00.000Z' },
    ])
  })

  it('should keep updates and external installs, drop uninstalls, and read the user of a password alert from TRIGGER_USER', () => {
    const update = chrome('2026-11-21T10:00:00.000Z', '8', 'BROWSER_EXTENSION_INSTALL', { VIRTUAL_DEVICE_ID: 'v-1', APP_ID: GRAMMARLY, APP_NAME: 'Grammarly', EXTENSION_ACTION: 'UPDATE', EXTENSION_SOURCE: 'EXTERNAL', EXTENSION_VERSION: '14.2' })
    expect(mapChromeActivity(update)).toMatchObject([{ type: 'software', deviceId: 'v-1', itemId: GRAMMARLY, installType: 'external', version: '14.2' }])
    const removed = chrome('2026-11-21T10:05:00.000Z', '9', 'BROWSER_EXTENSION_INSTALL', { VIRTUAL_DEVICE_ID: 'v-1', APP_ID: GRAMMARLY, EXTENSION_ACTION: 'uninstall' })
    expect(mapChromeActivity(removed)).toEqual([])
    const reuse = { ...chrome('2026-11-21T11:00:00.000Z', '10', 'PASSWORD_REUSE', { DEVICE_NAME: 'CAROL-PC', TRIGGER_USER: 'Carol@Acme.example', URL: 'https://login.tallyfox.io/' }), actor: { callerType: 'KEY', key: 'SYSTEM' } } as GoogleActivity
    expect(mapChromeActivity(reuse)).toMatchObject([{ type: 'telemetry', deviceId: 'CAROL-PC', email: 'carol@acme.example', domain: 'login.tallyfox.io', kind: 'login' }])
  })
})

describe.each(DIALECTS)('Chrome activity [%s]', (dialect) => {
  let t: TestStore
  let dir: string
  afterEach(async () => {
    await t?.dispose()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('should read activities.list pages: extensions to device software, logins and unsafe sites to telemetry on the host', async () => {
    t = await createTestStore(dialect)
    dir = mkdtempSync(join(tmpdir(), 'sightline-chrome-'))
    const file = join(dir, 'chrome.json')
    writeFileSync(file, JSON.stringify({ kind: 'admin#reports#activities', items: [...ACTIVITIES, { id: { time: 'yesterday', applicationName: 'chrome' }, events: [] }] }))
    const summary = await importChromeActivities(t.store, file, { resolver })
    expect(summary).toMatchObject({ layout: 'chrome-activity', read: 7, imported: 5, rejected: 1, status: 'partial' })
    expect(summary.errors).toEqual([expect.stringMatching(/^chrome\.json: record 7: .*id\.time/)])
    expect(await software(t)).toEqual([
      { device_id: 'dev-1', item_id: 'bcdefghijklmnopabcdefghijklmnopa', name: 'Tab Sorter', install_type: 'requested', user_email: 'alice@acme.example', catalog_key: null, candidate_key: expect.any(String) },
      { device_id: 'dev-1', item_id: UNKNOWN, name: 'Coupon <i>Finder</i>', install_type: 'install', user_email: 'alice@acme.example', catalog_key: null, candidate_key: expect.stringContaining('coupon') },
      { device_id: 'dev-1', item_id: GRAMMARLY, name: 'Grammarly: AI Writing', install_type: 'chrome_webstore', user_email: 'alice@acme.example', catalog_key: 'grammarly', candidate_key: null },
    ])
    const events = await t.store.db.selectFrom('telemetry_events').select(['kind', 'domain', 'user_email']).orderBy('occurred_at').execute()
    expect(events).toEqual([
      { kind: 'login', domain: 'app.tallyfox.io', user_email: 'alice@acme.example' },
      { kind: 'visit', domain: 'malware.example-bad.com', user_email: 'alice@acme.example' },
    ])
  })

  it('should read the SIEM shape (one event object, epoch-microsecond time) as JSON lines, and a re-import adds nothing', async () => {
    t = await createTestStore(dialect)
    dir = mkdtempSync(join(tmpdir(), 'sightline-chrome-'))
    const file = join(dir, 'chrome.jsonl')
    const siem = ACTIVITIES.slice(0, 4).map((a) => ({ ...a, id: { ...a.id, time: Date.parse(a.id!.time!) * 1000, uniqueQualifier: Number(a.id!.uniqueQualifier) }, events: a.events![0] }))
    writeFileSync(file, siem.map((a) => JSON.stringify(a)).join('\n') + '\n')
    const first = await importChromeActivities(t.store, file, { resolver })
    expect(first).toMatchObject({ read: 4, imported: 4, rejected: 0, status: 'completed' })
    const again = await importChromeActivities(t.store, file, { resolver })
    expect(again).toMatchObject({ read: 4, duplicates: 1 })
    expect((await software(t)).map((s) => s.item_id)).toEqual(['bcdefghijklmnopabcdefghijklmnopa', UNKNOWN, GRAMMARLY])
    expect(await t.store.db.selectFrom('telemetry_events').select('domain').execute()).toEqual([{ domain: 'app.tallyfox.io' }])
  })

  it('should read Chrome activities in a live scan through the Google collector against the fake Reports API', async () => {
    t = await createTestStore(dialect)
    const tenant = buildTenant()
    const now = Date.now()
    tenant.activities.chrome = ACTIVITIES.map((a, i) => ({ ...a, id: { ...a.id, time: new Date(now - (i + 1) * 3_600_000).toISOString() } }))
    const fake = await new FakeGoogle({ tenant, accessTokens: { 'ya29.valid': GOOGLE_SCOPE_LIST }, usersPageSize: 2, activitiesPageSize: 2 }).start()
    try {
      const auth = new OAuth2Client()
      auth.setCredentials({ access_token: 'ya29.valid' })
      const config: GoogleConfig = Object.freeze({ keyFile: null, adminSubject: null, customer: 'my_customer', lookbackDays: 30, concurrency: 3, rootUrl: fake.url, authClient: auth, pageSize: 2 })
      const result = await scanGoogle(t.store, config, { resolver, retry: { baseDelayMs: 5, maxDelayMs: 20 } })
      expect(result.error).toBeNull()
      expect((await software(t)).map((s) => [s.item_id, s.catalog_key])).toEqual([['bcdefghijklmnopabcdefghijklmnopa', null], [UNKNOWN, null], [GRAMMARLY, 'grammarly']])
      const sources = await t.store.db.selectFrom('device_software').select('source').distinct().execute()
      expect(sources).toEqual([{ source: 'google' }])
    } finally {
      await fake.stop()
    }
  })
})

// The built MV3 extension in Debian's Chromium, configured by a real managed policy, posting to the real endpoint.
//
// Managed configuration: Chromium (also with --headless=new) reads /etc/chromium/policies/managed/*.json, including
// the `3rdparty.extensions.<id>` section that becomes chrome.storage.managed. The test writes its policy file there
// (it needs write access to /etc/chromium, as CI has) and removes it afterwards.
import { execFileSync } from 'node:child_process'
import { createServer as createHttpsServer } from 'node:https'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { chromium, type Browser, type BrowserContext, type Worker } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { createTelemetryIngest, type TelemetryIngest } from '../../collectors/browser-extension/ingest.js'
import { makeLocalhostCertificate } from '../../collectors/entra/testing/tls.js'
import { createDeviceToken } from '../../data/api-tokens.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, type TestStore } from '../../data/testing/test-store.js'

// Only what the worker pages evaluate: the extension's chrome.* API (the Node side has no types for it).
declare const chrome: any

const POLICY_DIR = '/etc/chromium/policies/managed'
const POLICY_FILE = join(POLICY_DIR, 'sightline-extension-e2e.json')
const COMPANY = 'northwind.example'
const CLIENT_ID = '123456789012-e2etestclient.apps.googleusercontent.com'

/** The id Chromium gives the extension: derived from the public key in its manifest (a-p for each hex digit). */
function extensionId(manifestPath: string): string {
  const key = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { key: string }).key
  const hex = execFileSync('node', ['-e', `process.stdout.write(require('crypto').createHash('sha256').update(Buffer.from(${JSON.stringify(key)}, 'base64')).digest('hex').slice(0, 32))`]).toString()
  return [...hex].map((h) => String.fromCharCode(97 + Number.parseInt(h, 16))).join('')
}

function listen(app: Hono, tls?: { key: string; cert: string }): Promise<{ server: ServerType; port: number }> {
  return new Promise((done) => {
    const options = tls ? { createServer: createHttpsServer, serverOptions: tls } : {}
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', ...options }, (info: AddressInfo) => done({ server, port: info.port }))
  })
}

const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`
const loginForm = (action: string) =>
  `<form id="login" method="post" action="${action}"><label>Email <input type="email" name="email"></label><label>Password <input type="password" name="password"></label><button type="submit">Log in</button></form>`
const signupForm = `<form id="signup" method="post" action="/signup"><label>Work email <input type="email" name="email"></label><label>Password <input type="password" name="password" autocomplete="new-password"></label><label>Repeat <input type="password" name="password2" autocomplete="new-password"></label><button type="submit">Create account</button></form>`
/** A log-in page that fills itself in and submits on load (the incognito window cannot be driven by the test). */
const autoLogin = (email: string) =>
  loginForm('/session') + `<script>const f=document.getElementById('login');f.email.value=${JSON.stringify(email)};f.password.value='hunter2';setTimeout(()=>f.requestSubmit(),300)</script>`

describe('browser extension in Chromium → POST /api/v1/telemetry → inventory', () => {
  let t: TestStore
  let ingest: TelemetryIngest
  let api: { server: ServerType; port: number }
  let sites: { server: ServerType; port: number }
  let context: BrowserContext
  let worker: Worker
  /** A second connection to the same browser, for an off-the-record (incognito) context. */
  let browser: Browser
  let work: string
  /** host + path of every request the fake sites answered, to prove the incognito page really ran. */
  const served: string[] = []

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sightline-ext-e2e-'))
    // Build what is loaded, from the sources of this checkout.
    const out = join(work, 'build')
    execFileSync('node', ['scripts/build-extension.mjs', out], { stdio: 'pipe' })
    const extension = resolve(out, 'sightline')
    // A second extension with broad permissions, to be found by the inventory.
    const other = join(work, 'page-helper')
    mkdirSync(other)
    writeFileSync(join(other, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'Page Helper <b>Pro</b>', version: '2.0.1', permissions: ['cookies', 'clipboardRead'], host_permissions: ['<all_urls>'] }))

    t = await createTestStore('sqlite')
    const { token } = await createDeviceToken(t.store.db, { name: 'e2e-laptop', actor: 'cli:e2e' })
    ingest = createTelemetryIngest({ store: t.store, resolver: createResolver({ entries: loadCatalog().entries }), drainDelayMs: 20 })
    // The smallest server around the sub-app, mounted the way the web app mounts it.
    const root = new Hono()
    root.route('/', ingest.app)
    api = await listen(root)

    const site = new Hono()
    site.use(async (c, next) => {
      served.push(`${c.req.header('host')?.split(':')[0]}${new URL(c.req.url).pathname}`)
      await next()
    })
    site.get('/login', (c) => c.html(page('Log in', loginForm('/session'))))
    site.get('/signup', (c) => c.html(page('Sign up', signupForm)))
    site.post('/session', (c) => c.html(page('Welcome', '<p>Signed in</p>')))
    site.post('/signup', (c) => c.html(page('Welcome', '<p>Account created</p>')))
    site.get('/auto-login', (c) => c.html(page('Log in', autoLogin(c.req.query('email') ?? ''))))
    site.get('/o/oauth2/v2/auth', (c) => c.html(page('Sign in with Google', '<p>TallyFox wants to access your Google Account</p>')))
    site.get('*', (c) => c.html(page('Home', '<p>Hello</p>')))
    // HTTPS, as real sites are: accounts.google.com and others are HSTS-preloaded and would never load over http.
    sites = await listen(site, await makeLocalhostCertificate())

    mkdirSync(POLICY_DIR, { recursive: true })
    writeFileSync(POLICY_FILE, JSON.stringify({
      '3rdparty': { extensions: { [extensionId(join(extension, 'manifest.json'))]: { serverUrl: `http://127.0.0.1:${api.port}`, enrolmentToken: token, companyDomains: [COMPANY] } } },
    }))

    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: false,
      args: [
        '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        // The fake sites' certificate names localhost; the browser connection used for the incognito case is local.
        '--ignore-certificate-errors', '--remote-debugging-port=0',
        `--disable-extensions-except=${extension},${other}`, `--load-extension=${extension},${other}`,
        // Every site name goes to the local fake sites; the API is reached by IP.
        `--host-resolver-rules=MAP * 127.0.0.1:${sites.port}, EXCLUDE 127.0.0.1`,
      ],
    })
    worker = context.serviceWorkers().find((w) => w.url().includes('background.js')) ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }))
    // The policy is read at start-up; wait until the extension sees it (or fail naming the cause).
    let managed: { companyDomains?: string[] } = {}
    for (let i = 0; i < 50 && !managed.companyDomains; i++) {
      managed = await worker.evaluate(() => chrome.storage.managed.get(null))
      if (!managed.companyDomains) await new Promise((r) => setTimeout(r, 200))
    }
    if (!managed.companyDomains) throw new Error(`e2e: Chromium did not read the managed policy in ${POLICY_FILE}`)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await context?.close()
    rmSync(POLICY_FILE, { force: true })
    await ingest?.close()
    await new Promise((r) => (api ? api.server.close(r) : r(null)))
    await new Promise((r) => (sites ? sites.server.close(r) : r(null)))
    await t?.dispose()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  const events = () =>
    t.store.db
      .selectFrom('telemetry_events')
      .leftJoin('apps', 'apps.id', 'telemetry_events.app_id')
      .select(['telemetry_events.kind', 'telemetry_events.domain', 'telemetry_events.user_email', 'telemetry_events.client_id', 'telemetry_events.scopes', 'telemetry_events.device_id', 'apps.catalog_key'])
      .orderBy('telemetry_events.id')
      .execute()

  it('should report log-ins, sign-ups, visits, consent screens and extensions of the work identity, and nothing else', async () => {
    const tab = await context.newPage()
    // A personal address is never reported, and does not make the site a signed-in one.
    await tab.goto('https://app.personal-only.io/login')
    await tab.fill('input[name=email]', 'ada.lovelace@gmail.com')
    await tab.fill('input[name=password]', 'correct horse')
    await Promise.all([tab.waitForURL('**/session'), tab.click('button[type=submit]')])

    await tab.goto('https://app.tallyfox.io/login')
    await tab.fill('input[name=email]', `Ada.Lovelace@${COMPANY}`)
    await tab.fill('input[name=password]', 'correct horse battery')
    await Promise.all([tab.waitForURL('**/session'), tab.click('button[type=submit]')])
    await tab.goto('https://signup.formbird.io/signup')
    await tab.fill('input[name=email]', `ada.lovelace@${COMPANY}`)
    await tab.fill('input[name=password]', 'pw-one-two')
    await tab.fill('input[name=password2]', 'pw-one-two')
    await Promise.all([tab.waitForURL('**/signup'), tab.click('button[type=submit]')])
    await tab.goto('https://zoom.us/')
    await tab.goto('https://zoom.us/j/123')
    await tab.goto('https://news.example-daily.com/')
    const consent = new URL('https://accounts.google.com/o/oauth2/v2/auth')
    consent.search = new URLSearchParams({ client_id: CLIENT_ID, scope: 'openid email https://www.googleapis.com/auth/drive.readonly', redirect_uri: 'https://app.tallyfox.io/oauth/callback', response_type: 'code' }).toString()
    await tab.goto(consent.toString())
    // The same self-submitting log-in in a normal tab is reported (so its absence below means something).
    await tab.goto(`https://app.autoform.io/auto-login?email=ada.lovelace@${COMPANY}`)
    await tab.waitForURL('**/session')

    await expect.poll(async () => (await events()).map((e) => `${e.kind} ${e.domain}`).sort(), { timeout: 45_000, interval: 500 }).toEqual([
      'login app.autoform.io',
      'login app.tallyfox.io',
      'oauth_consent app.tallyfox.io',
      'signup signup.formbird.io',
      'visit app.autoform.io',
      'visit app.tallyfox.io',
      'visit signup.formbird.io',
      'visit zoom.us',
    ])
    const rows = await events()
    for (const e of rows) {
      expect(e.user_email).toBe(`ada.lovelace@${COMPANY}`)
      expect(e.device_id).toMatch(/^e2e-laptop\/[0-9a-f-]{36}$/)
    }
    expect(rows.find((e) => e.domain === 'zoom.us')?.catalog_key).toBe('zoom')
    expect(rows.find((e) => e.kind === 'oauth_consent')).toMatchObject({ client_id: CLIENT_ID, scopes: 'openid email https://www.googleapis.com/auth/drive.readonly' })
    // Nothing but a domain, a kind and the work address reached the server: no URL path, no password.
    const batches = await t.store.db.selectFrom('telemetry_batches').select('events').execute()
    const raw = batches.map((b) => b.events).join('\n')
    for (const secret of ['correct horse', 'pw-one-two', 'hunter2', '/j/123', '/login', 'gmail.com', 'personal-only', 'example-daily']) expect(raw).not.toContain(secret)

    await expect.poll(() => t.store.db.selectFrom('device_software').select(['kind', 'name', 'version', 'permissions', 'user_email']).execute(), { timeout: 30_000, interval: 500 }).toEqual([
      { kind: 'chrome_extension', name: 'Page Helper <b>Pro</b>', version: '2.0.1', permissions: JSON.stringify(['<all_urls>', 'clipboardRead', 'cookies']), user_email: `ada.lovelace@${COMPANY}` },
    ])
    // The popup shows what was sent, as text.
    const popup = await context.newPage()
    await popup.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html`)
    await expect.poll(() => popup.locator('#sent').innerText()).toContain('app.tallyfox.io')
    expect(await popup.locator('#sent b').count()).toBe(0)
  })

  it('should send nothing from an incognito window', async () => {
    const before = await t.store.db.selectFrom('telemetry_batches').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    // An off-the-record context of the same browser (what an incognito window is; Playwright cannot open one inside a
    // persistent context, so it is made over a second DevTools connection). Its page logs in with a company address.
    const port = readFileSync(join(work, 'profile', 'DevToolsActivePort'), 'utf8').split('\n')[0]
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
    const incognito = await browser.newContext({ ignoreHTTPSErrors: true })
    const hidden = await incognito.newPage()
    await hidden.goto('https://zoom.us/in-incognito')
    await hidden.goto(`https://app.incognito-saas.io/auto-login?email=grace.hopper@${COMPANY}`)
    await hidden.waitForURL('**/session')
    expect(served).toContain('app.incognito-saas.io/session')
    await incognito.close()
    // Then a normal tab, so a batch is due: if the incognito events were queued they would travel with it.
    const tab = await context.newPage()
    await tab.goto('https://zoom.us/after-incognito')
    await tab.goto(`https://app.control-saas.io/auto-login?email=ada.lovelace@${COMPANY}`)
    await tab.waitForURL('**/session')
    await expect.poll(async () => (await events()).some((e) => e.domain === 'app.control-saas.io'), { timeout: 30_000, interval: 500 }).toBe(true)
    const all = await events()
    expect(all.filter((e) => e.domain.includes('incognito') || e.user_email?.startsWith('grace'))).toEqual([])
    expect(all.filter((e) => e.domain === 'zoom.us')).toHaveLength(1)
    const after = await t.store.db.selectFrom('telemetry_batches').select('events').execute()
    expect(after.length).toBeGreaterThan(Number(before.n))
    expect(after.map((b) => b.events).join('\n')).not.toContain('incognito')
  })
})

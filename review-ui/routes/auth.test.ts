import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { countSessions } from '../../data/ui-sessions.js'
import { createUiTestKit, sessionCookieFrom, TEST_PASSWORD, type UiTestKit } from '../testing/ui-test-kit.js'
import { safeNextPath } from './auth.js'

describe.each(DIALECTS)('sign-in and sessions (%s)', (dialect) => {
  let kit: UiTestKit
  afterEach(async () => kit?.dispose())

  it('should sign in with the right password, set an HttpOnly SameSite=Lax cookie, and record the sign-in', async () => {
    kit = await createUiTestKit(dialect)
    const res = await kit.postForm('/sign-in', { email: ' IT@Example.test ', password: TEST_PASSWORD, next: '/account' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/account')
    const setCookie = res.headers.getSetCookie().join('\n')
    expect(setCookie).toMatch(/sightline_session=/)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    const token = sessionCookieFrom(res)!.split('=')[1]!
    const sessions = await kit.store.db.selectFrom('ui_sessions').selectAll().execute()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]!.id).not.toBe(token) // only the hash is stored
    const audit = await kit.store.db.selectFrom('audit_events').select(['actor', 'action', 'payload']).where('action', '=', 'ui.signin').execute()
    expect(audit).toEqual([{ actor: 'it@example.test', action: 'ui.signin', payload: expect.stringContaining('"method":"password"') }])
    expect(audit[0]!.payload).not.toContain(token)
  })

  it('should answer a wrong password and an unknown account alike with 401, audit both, and create no session', async () => {
    kit = await createUiTestKit(dialect)
    const wrong = await kit.postForm('/sign-in', { email: 'it@example.test', password: 'not the password at all' })
    const unknown = await kit.postForm('/sign-in', { email: 'nobody@example.test', password: 'not the password at all' })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.text()).toContain('Enter a correct email address and password')
    expect(sessionCookieFrom(wrong)).toBeNull()
    expect(await kit.store.db.selectFrom('ui_sessions').selectAll().execute()).toHaveLength(0)
    const failed = await kit.store.db.selectFrom('audit_events').select('payload').where('action', '=', 'ui.signin.failed').execute()
    expect(failed).toHaveLength(2)
    expect(failed.map((f) => f.payload).join()).not.toContain('not the password')
  })

  it('should refuse a disabled user with the same message', async () => {
    kit = await createUiTestKit(dialect)
    await kit.store.db.updateTable('ui_users').set({ disabled: 1 }).where('email', '=', 'finance@example.test').execute()
    const res = await kit.postForm('/sign-in', { email: 'finance@example.test', password: TEST_PASSWORD })
    expect(res.status).toBe(401)
  })

  it('should rate-limit an account after 5 failures, even with the right password, and let it in after the window', async () => {
    kit = await createUiTestKit(dialect)
    for (let i = 0; i < 5; i++) expect((await kit.postForm('/sign-in', { email: 'it@example.test', password: `wrong password ${i}` })).status).toBe(401)
    const locked = await kit.postForm('/sign-in', { email: 'it@example.test', password: TEST_PASSWORD })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await locked.text()).toContain('Too many failed sign-ins for this account')
    // Another account from the same address is not held back by this one.
    expect((await kit.postForm('/sign-in', { email: 'auditor@example.test', password: TEST_PASSWORD })).status).toBe(303)
    kit.clock.advance(16 * 60_000)
    expect((await kit.postForm('/sign-in', { email: 'it@example.test', password: TEST_PASSWORD })).status).toBe(303)
  })

  it('should rate-limit an address that sprays many accounts', async () => {
    kit = await createUiTestKit(dialect, { config: { loginRateLimit: { windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerAddress: 4 } } })
    for (let i = 0; i < 4; i++) expect((await kit.postForm('/sign-in', { email: `user${i}@example.test`, password: 'wrong password!' })).status).toBe(401)
    const res = await kit.postForm('/sign-in', { email: 'admin@example.test', password: TEST_PASSWORD })
    expect(res.status).toBe(429)
    expect(await res.text()).toContain('from your network')
  })

  it('should send a visitor without a session to sign-in, keeping where they were going', async () => {
    kit = await createUiTestKit(dialect)
    const res = await kit.request('/account')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/sign-in?next=%2Faccount')
  })

  it('should treat a forged session cookie as signed out', async () => {
    kit = await createUiTestKit(dialect)
    const res = await kit.request('/account', { headers: { Cookie: 'sightline_session=forged-token-value' } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/sign-in/)
  })

  it('should end a session after its idle timeout, and slide it while in use up to the absolute cap', async () => {
    kit = await createUiTestKit(dialect, { config: { session: { idleMinutes: 30, absoluteHours: 2 } } })
    const agent = await kit.signIn('it')
    for (let i = 0; i < 5; i++) {
      kit.clock.advance(20 * 60_000) // used every 20 minutes: the 30-minute idle timeout keeps sliding
      expect((await agent.get('/account')).status).toBe(200)
    }
    kit.clock.advance(25 * 60_000) // 125 minutes after sign-in: past the 2-hour cap although recently used
    expect((await agent.get('/account')).status).toBe(303)
    expect(await kit.store.db.selectFrom('ui_sessions').selectAll().execute()).toHaveLength(0)

    const idle = await kit.signIn('it')
    kit.clock.advance(31 * 60_000)
    expect((await idle.get('/account')).status).toBe(303)
  })

  it('should refuse a form post with a forged CSRF token (403) and change nothing', async () => {
    kit = await createUiTestKit(dialect)
    const agent = await kit.signIn('it')
    const res = await agent.post('/account/sign-out-everywhere', { _csrf: 'forged' })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('did not come from Sightline')
    expect(await countSessions(kit.store.db, (await kit.store.db.selectFrom('ui_users').select('id').where('email', '=', agent.email).executeTakeFirstOrThrow()).id)).toBe(1)
  })

  it('should refuse a form posted from another origin (403) even with a valid token', async () => {
    kit = await createUiTestKit(dialect)
    const agent = await kit.signIn('it')
    const res = await agent.post('/account/sign-out-everywhere', {}, { headers: { Origin: 'https://evil.example' } })
    expect(res.status).toBe(403)
    expect((await agent.get('/account')).status).toBe(200)
  })

  it('should sign out everywhere: every session of the user ends, others stay', async () => {
    kit = await createUiTestKit(dialect)
    const laptop = await kit.signIn('it')
    const phone = await kit.signIn('it')
    const other = await kit.signIn('auditor')
    const res = await laptop.post('/account/sign-out-everywhere')
    expect(res.status).toBe(303)
    expect((await phone.get('/account')).status).toBe(303)
    expect((await laptop.get('/account')).status).toBe(303)
    expect((await other.get('/account')).status).toBe(200)
    const audit = await kit.store.db.selectFrom('audit_events').select('payload').where('action', '=', 'ui.signout.everywhere').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.payload)).toEqual({ sessions: 2 })
  })

  it('should sign out this session only', async () => {
    kit = await createUiTestKit(dialect)
    const a = await kit.signIn('it')
    const b = await kit.signIn('it')
    expect((await a.post('/sign-out')).status).toBe(303)
    expect((await a.get('/account')).status).toBe(303)
    expect((await b.get('/account')).status).toBe(200)
  })
})

describe('pages and headers', () => {
  let kit: UiTestKit
  afterEach(async () => kit?.dispose())

  it('should send a CSP without inline script, frame-ancestors none, nosniff and a request id', async () => {
    kit = await createUiTestKit('sqlite')
    const res = await kit.request('/sign-in')
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const html = await res.text()
    expect(html).not.toMatch(/<script|style=/)
    expect(html).toContain('href="#main"')
  })

  it('should serve the stylesheet the layout links to', async () => {
    kit = await createUiTestKit('sqlite')
    const html = await (await kit.request('/sign-in')).text()
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!
    const css = await kit.request(href)
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toContain('text/css')
    expect(await css.text()).toContain('.skip-link')
  })

  it('should render a plain 404 page for an unknown path', async () => {
    kit = await createUiTestKit('sqlite')
    const res = await kit.request('/no/such/page')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('Page not found')
  })

  it('should escape what a user typed when re-rendering the sign-in form', async () => {
    kit = await createUiTestKit('sqlite')
    const res = await kit.postForm('/sign-in', { email: '"><script>alert(1)</script>', password: '' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('&quot;&gt;&lt;script&gt;')
  })

  it('should only follow next= to a path on this site', () => {
    expect(safeNextPath('/apps?sort=spend')).toBe('/apps?sort=spend')
    expect(safeNextPath('//evil.example/')).toBe('/')
    expect(safeNextPath('https://evil.example/')).toBe('/')
    expect(safeNextPath('/\\evil.example')).toBe('/')
    expect(safeNextPath(undefined)).toBe('/')
  })
})

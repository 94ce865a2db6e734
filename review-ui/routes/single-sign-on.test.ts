import { OAuth2Server } from 'oauth2-mock-server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCampaign, launchCampaign } from '../../data/campaigns/index.js'
import { seedCompany } from '../../data/campaigns/testing/seed.js'
import { DIALECTS } from '../../data/testing/test-store.js'
import { setUserDisabled } from '../../data/ui-users.js'
import { createUiTestKit, sessionCookieFrom, TEST_ORIGIN, type UiTestKit } from '../testing/ui-test-kit.js'

// Letters only: the mock issuer does not form-decode the Basic credentials that openid-client form-encodes (RFC 6749 2.3.1).
const CLIENT_ID = 'sightlinetest'
const REDIRECT = `${TEST_ORIGIN}/auth/oidc/callback`

/** A real OpenID provider on loopback (discovery, JWKS, authorize, token), whose next ID token we choose. */
let issuer: OAuth2Server
let issuerUrl: string
let nextClaims: Record<string, unknown> = {}

beforeAll(async () => {
  issuer = new OAuth2Server()
  await issuer.issuer.keys.generate('RS256')
  await issuer.start(0, '127.0.0.1')
  issuerUrl = issuer.issuer.url!
  issuer.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    Object.assign(token.payload, nextClaims)
  })
})
afterAll(async () => issuer.stop())

function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((h) => h.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ')
}

interface Journey {
  start: Response
  callback: Response
  session: string | null
}

/**
 * Walks the browser's part: /auth/oidc/start → the issuer's authorize endpoint (for real, over HTTP) → back to
 * /auth/oidc/callback with the pending cookie. `tamper` may change the callback URL or the cookie on the way back.
 */
async function signInWithSso(kit: UiTestKit, claims: Record<string, unknown>, tamper: { callbackUrl?: (u: URL) => void; cookie?: (c: string) => string } = {}): Promise<Journey> {
  nextClaims = claims
  const start = await kit.request('/auth/oidc/start?next=%2Fapps')
  expect(start.status).toBe(302)
  const authorize = new URL(start.headers.get('location')!)
  expect(authorize.origin + '/').toBe(issuerUrl.endsWith('/') ? issuerUrl : `${issuerUrl}/`)
  const atIssuer = await fetch(authorize, { redirect: 'manual' })
  expect(atIssuer.status).toBe(302)
  const back = new URL(atIssuer.headers.get('location')!)
  expect(back.origin + back.pathname).toBe(REDIRECT)
  tamper.callbackUrl?.(back)
  let cookie = cookiesFrom(start)
  if (tamper.cookie) cookie = tamper.cookie(cookie)
  const callback = await kit.request(back.pathname + back.search, { headers: { Cookie: cookie } })
  return { start, callback, session: sessionCookieFrom(callback) }
}

for (const dialect of DIALECTS) {
  describe(`single sign-on (OpenID Connect) on ${dialect}`, () => {
    let kit: UiTestKit | undefined
    afterEach(async () => kit?.dispose())

    const setup = async () => {
      kit = await createUiTestKit(dialect, {
        config: { oidc: { issuer: issuerUrl, clientId: CLIENT_ID, clientSecret: 'test-secret', redirectUri: REDIRECT, allowInsecureIssuer: true } },
        seed: async (store) => void (await seedCompany(store.db)),
      })
      return kit
    }

    it('should offer single sign-on on the sign-in page only when an issuer is configured', async () => {
      const k = await setup()
      expect(await (await k.request('/sign-in')).text()).toContain('/auth/oidc/start')
      const plain = await createUiTestKit(dialect)
      try {
        expect(await (await plain.request('/sign-in')).text()).not.toContain('/auth/oidc/start')
        expect((await plain.request('/auth/oidc/start')).status).toBe(404)
      } finally {
        await plain.dispose()
      }
    })

    it('should send the browser to the issuer with PKCE (S256), state and nonce, keeping them in an HttpOnly cookie', async () => {
      const k = await setup()
      const start = await k.request('/auth/oidc/start?next=%2Fapps')
      const target = new URL(start.headers.get('location')!)
      expect(target.searchParams.get('client_id')).toBe(CLIENT_ID)
      expect(target.searchParams.get('redirect_uri')).toBe(REDIRECT)
      expect(target.searchParams.get('code_challenge_method')).toBe('S256')
      expect(target.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(target.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/)
      expect(target.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/)
      expect(target.searchParams.get('scope')).toBe('openid email profile')
      const cookie = start.headers.getSetCookie().find((h) => h.startsWith('sightline_oidc='))!
      expect(cookie).toMatch(/HttpOnly/i)
      expect(cookie).toMatch(/SameSite=Lax/i)
      expect(cookie).toMatch(/Path=\/auth\/oidc/)
    })

    it('should sign an existing user in by verified email, link the identity (audited), and then know them by subject', async () => {
      const k = await setup()
      const first = await signInWithSso(k, { sub: 'okta-it-1', email: 'IT@Example.test', email_verified: true })
      expect(first.callback.status).toBe(303)
      expect(first.callback.headers.get('location')).toBe('/apps')
      expect(first.session).not.toBeNull()
      const user = await k.store.db.selectFrom('ui_users').selectAll().where('email', '=', 'it@example.test').executeTakeFirstOrThrow()
      expect(user.oidc_issuer).toBe(issuerUrl)
      expect(user.oidc_subject).toBe('okta-it-1')
      expect(user.role).toBe('it')
      const session = await k.store.db.selectFrom('ui_sessions').select('auth_method').where('user_id', '=', user.id).executeTakeFirstOrThrow()
      expect(session.auth_method).toBe('oidc')
      const link = await k.store.db.selectFrom('audit_events').select(['actor', 'payload']).where('action', '=', 'ui.user.sso.link').where('subject_id', '=', String(user.id)).execute()
      expect(link).toHaveLength(1)
      // The page works with the new session.
      expect((await k.request('/apps', { headers: { Cookie: first.session! } })).status).toBe(200)

      // Later the issuer sends another email for the same subject: the link decides, not the email.
      const again = await signInWithSso(k, { sub: 'okta-it-1', email: 'renamed@example.test', email_verified: true })
      expect(again.callback.status).toBe(303)
      const signedIn = await k.request('/account', { headers: { Cookie: again.session! } })
      expect(await signedIn.text()).toContain('it@example.test')
    })

    it('should give a stranger with an assigned review only the reviewer role, and refuse a stranger without one', async () => {
      const k = await setup()
      const db = k.store.db
      const stranger = await signInWithSso(k, { sub: 'okta-x', email: 'nobody@northwind.example', email_verified: true })
      expect(stranger.callback.status).toBe(403)
      expect(await stranger.callback.text()).toContain('no access review is assigned to you')
      expect(stranger.session).toBeNull()
      expect(await db.selectFrom('ui_users').select('id').where('email', '=', 'nobody@northwind.example').executeTakeFirst()).toBeUndefined()

      const campaign = await createCampaign(db, { name: 'GitHub review', scope: { apps: ['github'] }, reviewer: { kind: 'named', email: 'it@example.test' }, fallbackReviewer: 'admin@example.test' }, 'cli:root')
      await launchCampaign(db, campaign.id, 'cli:root')
      // An item handed to someone with no account (as an older version or a direct edit would leave it).
      const item = await db.selectFrom('review_items').select('id').where('campaign_id', '=', campaign.id).orderBy('id').executeTakeFirstOrThrow()
      await db.updateTable('review_items').set({ reviewer_email: 'newmanager@northwind.example' }).where('id', '=', item.id).execute()

      const reviewer = await signInWithSso(k, { sub: 'okta-nm', email: 'newmanager@northwind.example', email_verified: true })
      expect(reviewer.callback.status).toBe(303)
      expect(reviewer.callback.headers.get('location')).toBe('/apps')
      const created = await db.selectFrom('ui_users').selectAll().where('email', '=', 'newmanager@northwind.example').executeTakeFirstOrThrow()
      expect(created.role).toBe('reviewer')
      expect(created.password_hash).toBeNull()
      expect(created.oidc_subject).toBe('okta-nm')
      // A reviewer sees the inbox and not the inventory.
      expect((await k.request('/review', { headers: { Cookie: reviewer.session! } })).status).toBe(200)
      expect((await k.request('/apps', { headers: { Cookie: reviewer.session! } })).status).toBe(403)
    })

    it('should refuse an unverified email, an account linked to another subject, and a disabled account', async () => {
      const k = await setup()
      const unverified = await signInWithSso(k, { sub: 'okta-f', email: 'finance@example.test', email_verified: false })
      expect(unverified.callback.status).toBe(403)
      expect(await unverified.callback.text()).toContain('not verified')

      expect((await signInWithSso(k, { sub: 'okta-a1', email: 'admin@example.test', email_verified: true })).callback.status).toBe(303)
      const impostor = await signInWithSso(k, { sub: 'okta-a2', email: 'admin@example.test', email_verified: true })
      expect(impostor.callback.status).toBe(403)
      expect(impostor.session).toBeNull()
      expect(await impostor.callback.text()).toContain('belongs to another company sign-in')

      expect((await signInWithSso(k, { sub: 'okta-au', email: 'auditor@example.test' })).callback.status).toBe(303)
      await setUserDisabled(k.store.db, { email: 'auditor@example.test', disabled: true, actor: 'cli:root', at: k.clock.now() })
      const disabled = await signInWithSso(k, { sub: 'okta-au', email: 'auditor@example.test' })
      expect(disabled.callback.status).toBe(403)
      expect(disabled.session).toBeNull()
      const refusals = await k.store.db.selectFrom('audit_events').select('payload').where('action', '=', 'ui.signin.failed').execute()
      expect(refusals.filter((r) => String(r.payload).includes('sso-refused')).length).toBeGreaterThanOrEqual(3)
    })

    it('should refuse a forged state, a changed nonce, a replayed code and a callback without its cookie, signing nobody in', async () => {
      const k = await setup()
      const claims = { sub: 'okta-it', email: 'it@example.test', email_verified: true }
      const forgedState = await signInWithSso(k, claims, { callbackUrl: (u) => u.searchParams.set('state', 'forged-state-value-123456') })
      expect(forgedState.callback.status).toBe(401)
      expect(forgedState.session).toBeNull()

      const changedNonce = await signInWithSso(k, claims, {
        cookie: (c) => {
          const [name, value] = c.split('=') as [string, string]
          const pending = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
          pending.nonce = 'another-nonce-0000000000000'
          return `${name}=${Buffer.from(JSON.stringify(pending)).toString('base64url')}`
        },
      })
      expect(changedNonce.callback.status).toBe(401)
      expect(changedNonce.session).toBeNull()

      const noCookie = await signInWithSso(k, claims, { cookie: () => '' })
      expect(noCookie.callback.status).toBe(400)
      expect(noCookie.session).toBeNull()

      let replayUrl = ''
      const ok = await signInWithSso(k, claims, { callbackUrl: (u) => void (replayUrl = u.pathname + u.search) })
      expect(ok.callback.status).toBe(303)
      const replay = await k.request(replayUrl, { headers: { Cookie: cookiesFrom(ok.start) } })
      expect(replay.status).not.toBe(303)
      expect(sessionCookieFrom(replay)).toBeNull()

      const issuerSaysNo = await k.request('/auth/oidc/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E', { headers: { Cookie: cookiesFrom(await k.request('/auth/oidc/start')) } })
      expect(issuerSaysNo.status).toBe(401)
      const html = await issuerSaysNo.text()
      expect(html).toContain('access_denied')
      expect(html).not.toContain('<script>alert(1)')
      const sessions = await k.store.db.selectFrom('ui_sessions').select('id').execute()
      expect(sessions).toHaveLength(1)
    })

    it('should answer 502 with a clear page when the issuer cannot be reached', async () => {
      kit = await createUiTestKit(dialect, {
        config: { oidc: { issuer: 'http://127.0.0.1:9/', clientId: CLIENT_ID, clientSecret: null, redirectUri: REDIRECT, allowInsecureIssuer: true } },
      })
      const response = await kit.request('/auth/oidc/start')
      expect(response.status).toBe(502)
      expect(await response.text()).toContain('did not answer')
    })
  })
}

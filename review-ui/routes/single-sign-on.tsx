import { Hono } from 'hono'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import * as oidc from 'openid-client'
import { recordFailedSignIn } from '../../data/ui-login-attempts.js'
import { createSession } from '../../data/ui-sessions.js'
import { resolveOidcSignIn, type OidcRefusal } from '../../data/ui-single-sign-on.js'
import type { AppEnv, OidcConfig } from '../env.js'
import { renderError } from '../errors.js'
import { setSessionCookie } from '../middleware/session.js'
import { safeNextPath } from './auth.js'

/** How long a browser has between leaving for the issuer and coming back. */
const PENDING_MINUTES = 10

/** What the browser carries to the issuer and back: only in an HttpOnly cookie scoped to these two routes. */
interface Pending {
  state: string
  nonce: string
  verifier: string
  next: string
  expires: number
}

const REFUSALS: Record<OidcRefusal, string> = {
  'no-email': 'Your company sign-in did not say which email address is yours. Ask your administrator to release the email claim to Sightline.',
  'email-unverified': 'Your company sign-in says your email address is not verified, so Sightline cannot tell which account is yours.',
  'linked-elsewhere': 'The Sightline account for this email address belongs to another company sign-in. Ask your Sightline administrator.',
  disabled: 'Your Sightline account is disabled. Ask your Sightline administrator.',
  'no-account': 'You have no Sightline account and no access review is assigned to you. Ask your Sightline administrator to add you.',
}

function pendingCookieName(secure: boolean): string {
  return secure ? '__Secure-sightline_oidc' : 'sightline_oidc'
}

function readPending(c: Context<AppEnv>, now: number): Pending | null {
  const raw = getCookie(c, pendingCookieName(c.var.deps.config.secureCookies))
  if (!raw) return null
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Pending>
    if (typeof value.state !== 'string' || typeof value.nonce !== 'string' || typeof value.verifier !== 'string') return null
    if (typeof value.expires !== 'number' || value.expires < now) return null
    return { state: value.state, nonce: value.nonce, verifier: value.verifier, next: safeNextPath(value.next), expires: value.expires }
  } catch {
    return null
  }
}

/**
 * One discovery per issuer for the life of the app, retried after a failure. `allowInsecureIssuer` (a local
 * issuer on http://127.0.0.1, as in tests) is the only way plain http is accepted.
 */
function issuerClient(settings: OidcConfig): () => Promise<oidc.Configuration> {
  let pending: Promise<oidc.Configuration> | null = null
  return () => {
    pending ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret ?? undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        settings.allowInsecureIssuer ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      )
      .catch((error: unknown) => {
        pending = null
        throw error
      })
    return pending
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  // openid-client wraps oauth4webapi's error, which says which check failed and names the claim (iss, aud, nonce …).
  let inner: unknown = error.cause
  let detail = ''
  for (let depth = 0; inner && typeof inner === 'object' && depth < 3; depth++) {
    const { message, claim, cause } = inner as { message?: unknown; claim?: unknown; cause?: unknown }
    if (typeof claim === 'string') detail = ` (claim ${claim})`
    else if (inner instanceof Error && typeof message === 'string' && message !== error.message) detail = ` (${message})`
    inner = cause
  }
  return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}${detail}`
}

/**
 * Single sign-on with OpenID Connect: authorization code flow with PKCE (S256), state and nonce, the issuer found
 * by discovery. Only mounted when the issuer is configured; the sign-in page then shows its button.
 */
export function singleSignOnRoutes(settings: OidcConfig): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const client = issuerClient(settings)

  app.get('/start', async (c) => {
    const { config, logger } = c.var.deps
    let configuration: oidc.Configuration
    try {
      configuration = await client()
    } catch (error) {
      logger.error('auth.oidc.discovery', { requestId: c.var.requestId, issuer: settings.issuer, error: reasonOf(error) })
      return renderError(c, 502, `The single sign-on service at ${settings.issuer} did not answer. Try again in a moment, or sign in with your password.`)
    }
    const pending: Pending = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      next: safeNextPath(c.req.query('next')),
      expires: Date.parse(c.var.deps.clock.now()) + PENDING_MINUTES * 60_000,
    }
    setCookie(c, pendingCookieName(config.secureCookies), Buffer.from(JSON.stringify(pending)).toString('base64url'), {
      httpOnly: true, sameSite: 'Lax', secure: config.secureCookies, path: '/auth/oidc', maxAge: PENDING_MINUTES * 60,
    })
    const target = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: settings.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    })
    return c.redirect(target.href, 302)
  })

  app.get('/callback', async (c) => {
    const { store, clock, config, logger, clientAddress } = c.var.deps
    const now = clock.now()
    const pending = readPending(c, Date.parse(now))
    deleteCookie(c, pendingCookieName(config.secureCookies), { path: '/auth/oidc', secure: config.secureCookies })
    const issuerError = c.req.query('error')
    if (issuerError) {
      const description = c.req.query('error_description')?.slice(0, 300)
      logger.info('auth.oidc.issuer-error', { requestId: c.var.requestId, error: issuerError.slice(0, 100) })
      return renderError(c, 401, `Your company sign-in refused: ${issuerError.slice(0, 100)}${description ? ` (${description})` : ''}. Try again, or sign in with your password.`)
    }
    if (!pending) {
      return renderError(c, 400, 'This sign-in took too long or was started in another browser. Start again from the sign-in page.')
    }

    let claims: oidc.IDToken | undefined
    try {
      const configuration = await client()
      // The issuer redirected to our registered address; check against it, not the Host header a proxy may change.
      const currentUrl = new URL(settings.redirectUri)
      currentUrl.search = new URL(c.req.url).search
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      claims = tokens.claims()
    } catch (error) {
      logger.info('auth.oidc.failed', { requestId: c.var.requestId, error: reasonOf(error).slice(0, 300) })
      return renderError(c, 401, `Single sign-on did not complete: ${reasonOf(error).slice(0, 200)}. Start again from the sign-in page.`)
    }
    if (!claims) return renderError(c, 401, 'Single sign-on did not complete: the issuer sent no ID token. Start again from the sign-in page.')

    const email = typeof claims.email === 'string' ? claims.email : null
    const verified = typeof claims.email_verified === 'boolean' ? claims.email_verified : null
    const result = await resolveOidcSignIn(store.db, { issuer: claims.iss, subject: claims.sub, email, emailVerified: verified }, now)
    const address = clientAddress(c.req.raw, c.env)
    if ('refused' in result) {
      await recordFailedSignIn(store.db, { email: email?.trim().toLowerCase() || `sub:${claims.sub}`, address, reason: 'sso-refused', at: now })
      logger.info('auth.oidc.refused', { requestId: c.var.requestId, reason: result.refused })
      return renderError(c, 403, REFUSALS[result.refused])
    }
    const created = await createSession(store.db, { user: result.user, method: 'oidc', address, at: now, policy: config.session })
    setSessionCookie(c, created.token, created.session.expires_at)
    logger.info('auth.signin', { requestId: c.var.requestId, user: result.user.id, method: 'oidc', created: result.created })
    const next = pending.next === '/' && result.user.role === 'reviewer' ? '/review' : pending.next
    return c.redirect(next, 303)
  })

  return app
}

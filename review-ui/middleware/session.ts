import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { csrfTokenFor, validateSessionToken } from '../../data/ui-sessions.js'
import type { AppEnv } from '../env.js'

export function sessionCookieName(secure: boolean): string {
  // `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain); browsers only accept it over TLS.
  return secure ? '__Host-sightline_session' : 'sightline_session'
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: string): void {
  const secure = c.var.deps.config.secureCookies
  setCookie(c, sessionCookieName(secure), token, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires: new Date(expiresAt) })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  const secure = c.var.deps.config.secureCookies
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure })
}

/** Reads the session cookie and puts `{ user, session, csrfToken }` (or null) on the context. Never refuses. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async function loadSession(c, next) {
    const { store, config, clock } = c.var.deps
    const token = getCookie(c, sessionCookieName(config.secureCookies))
    c.set('auth', null)
    if (token) {
      const result = await validateSessionToken(store.db, token, clock.now(), config.session)
      if (result.session) {
        c.set('auth', { user: result.user, session: result.session, csrfToken: csrfTokenFor(token) })
        // The cookie's expiry follows the session's sliding expiry.
        if (result.session.last_seen_at === clock.now()) setSessionCookie(c, token, result.session.expires_at)
      } else {
        clearSessionCookie(c)
      }
    }
    await next()
  }
}

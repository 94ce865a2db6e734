import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Role } from '../../data/tables/auth.table.js'
import type { AppEnv } from '../env.js'

/** Signed in with one of these roles, or: 401-style redirect to sign-in (pages) / 403 (wrong role). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  if (roles.length === 0) throw new Error('requireRole: name at least one role')
  return async function requireRole(c, next) {
    const auth = c.var.auth
    if (!auth) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const back = new URL(c.req.url)
        return c.redirect(`/sign-in?next=${encodeURIComponent(back.pathname + back.search)}`, 303)
      }
      throw new HTTPException(401, { message: 'Please sign in again: your session has ended.' })
    }
    if (!roles.includes(auth.user.role)) throw new HTTPException(403, { message: 'Your role does not allow this page.' })
    await next()
  }
}

/** Any signed-in user. */
export const requireSignedIn = (): MiddlewareHandler<AppEnv> => requireRole('admin', 'it', 'finance', 'reviewer', 'auditor')

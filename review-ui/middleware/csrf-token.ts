import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { csrfTokenMatches } from '../../data/ui-sessions.js'
import type { AppEnv } from '../env.js'

const SAFE = /^(GET|HEAD|OPTIONS)$/

/**
 * The synchronizer token: every state-changing request of a signed-in user carries the session's CSRF token
 * (form field `_csrf` or header `X-CSRF-Token`). Runs after Hono's `csrf()` origin check, as a second lock.
 * Requests without a session are left to the route (sign-in has no session yet).
 *
 * A multipart body (a file upload) is never read here: it may be many megabytes, and the route streams it to
 * disk. Its token travels in the header or in the form's action URL (`?_csrf=`), checked before any byte is read.
 */
export function csrfToken(): MiddlewareHandler<AppEnv> {
  return async function csrfToken(c, next) {
    const auth = c.var.auth
    if (SAFE.test(c.req.method) || !auth) return next()
    let submitted = c.req.header('X-CSRF-Token') ?? null
    if (!submitted) {
      const type = c.req.header('content-type') ?? ''
      if (type.startsWith('multipart/form-data')) submitted = c.req.query('_csrf') ?? null
      else if (type.startsWith('application/x-www-form-urlencoded')) {
        const body = await c.req.parseBody()
        const field = body['_csrf']
        submitted = typeof field === 'string' ? field : null
      }
    }
    if (!csrfTokenMatches(auth.session, submitted)) {
      throw new HTTPException(403, { message: 'This form has expired or did not come from Sightline. Go back, reload the page and try again.' })
    }
    await next()
  }
}

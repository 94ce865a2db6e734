import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'

/** Gives every request an id (logged, shown on error pages, returned as `X-Request-Id`). */
export function requestId(options: { header?: string } = {}): MiddlewareHandler<AppEnv> {
  const header = options.header ?? 'X-Request-Id'
  return async function requestId(c, next) {
    // An id from a proxy is kept only if it looks like one; anything else could forge log lines.
    const incoming = c.req.header(header)
    const id = incoming && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : randomUUID()
    c.set('requestId', id)
    c.header(header, id)
    await next()
  }
}

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Hono } from 'hono'

const script = readFileSync(new URL('./static/review.js', import.meta.url))
/** The inbox's keyboard script; its URL carries a hash of its content, so it can be cached for good. */
export const REVIEW_SCRIPT_PATH = `/static/review.${createHash('sha256').update(script).digest('hex').slice(0, 12)}.js`

export function campaignStaticFiles(): Hono {
  const app = new Hono()
  app.get(REVIEW_SCRIPT_PATH, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return c.body(script)
  })
  return app
}

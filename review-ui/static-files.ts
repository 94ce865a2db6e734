import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Hono } from 'hono'

const css = readFileSync(new URL('./static/app.css', import.meta.url))
const cssVersion = createHash('sha256').update(css).digest('hex').slice(0, 12)

/** The one stylesheet; its URL carries a hash of its content, so it can be cached for good. */
export const STYLESHEET_PATH = `/static/app.${cssVersion}.css`

export function staticFiles(): Hono {
  const app = new Hono()
  app.get(STYLESHEET_PATH, (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8')
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return c.body(css)
  })
  return app
}

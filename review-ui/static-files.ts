import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Hono } from 'hono'

/** A file served under a URL that carries a hash of its content, so browsers may cache it for good. */
export interface StaticAsset {
  path: string
  contentType: string
  body: Buffer
}

/** Reads `file` once and names it `/static/<name>.<hash>.<ext>`. */
export function hashedAsset(file: URL, name: string, ext: string, contentType: string): StaticAsset {
  const body = readFileSync(file)
  return { path: `/static/${name}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`, contentType, body }
}

/** The one stylesheet. */
export const STYLESHEET = hashedAsset(new URL('./static/app.css', import.meta.url), 'app', 'css', 'text/css; charset=utf-8')
export const STYLESHEET_PATH = STYLESHEET.path

/** Serves the given assets, immutable for a year (a change makes a new URL). */
export function staticFiles(assets: readonly StaticAsset[]): Hono {
  const app = new Hono()
  for (const asset of assets) {
    app.get(asset.path, (c) => {
      c.header('Content-Type', asset.contentType)
      c.header('Cache-Control', 'public, max-age=31536000, immutable')
      return c.body(new Uint8Array(asset.body))
    })
  }
  return app
}

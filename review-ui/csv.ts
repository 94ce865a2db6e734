import type { Context } from 'hono'

export { toCsv } from '../data/csv.js'

/** A CSV download: attachment, never rendered by the browser as a page. */
export function csvResponse(c: Context, fileName: string, body: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
  c.header('Cache-Control', 'no-store')
  return c.body(body)
}

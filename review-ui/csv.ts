import type { Context } from 'hono'

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, tab and carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/
/** A plain number (as this app writes amounts and counts) is data, not a formula, even when negative. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/

/**
 * One CSV cell: a string that could start a formula gets a leading apostrophe, so Excel, LibreOffice and Google
 * Sheets show it as text; then RFC 4180 quoting. Numbers pass through.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  let text = String(value)
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n'
}

/** A CSV download: attachment, never rendered by the browser as a page. */
export function csvResponse(c: Context, fileName: string, body: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
  c.header('Cache-Control', 'no-store')
  return c.body(body)
}

// The one CSV writer of the project: CLI `--format csv`, the web app's downloads and the evidence package.

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, tab and carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/
/** A plain number written as text ("-12.50", an amount) is data, not a formula, even when negative. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/

/**
 * One CSV cell. A text that could start a formula gets a leading apostrophe, so Excel, LibreOffice and Google
 * Sheets show it as text instead of running it; then RFC 4180 quoting (and quotes around leading or trailing
 * blanks, which spreadsheets would otherwise drop). Numbers and booleans are written as they are; objects as JSON.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV line with its CRLF. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

/** A whole CSV document: the header, then the rows. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return csvLine(columns) + rows.map(csvLine).join('')
}

export type CsvColumns<Row> = readonly (readonly [header: string, value: (row: Row) => unknown])[]

/** Header line, then one line per row, as the rows arrive (rows may be an async page reader). */
export async function* csvLines<Row>(columns: CsvColumns<Row>, rows: Iterable<Row> | AsyncIterable<Row>): AsyncGenerator<string> {
  yield csvLine(columns.map(([header]) => header))
  for await (const row of rows) yield csvLine(columns.map(([, value]) => value(row)))
}

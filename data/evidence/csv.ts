/**
 * CSV for auditors' spreadsheets (RFC 4180 quoting). A text cell that starts with = + - @, a tab or a carriage
 * return is prefixed with an apostrophe, so a spreadsheet shows it instead of running it as a formula (OWASP
 * "CSV injection"). Numbers stay numbers: -45 is a value, "-45" from a file is text and is neutralised.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

export type CsvColumns<Row> = readonly (readonly [header: string, value: (row: Row) => unknown])[]

/** Header line, then one line per row, as the rows arrive (rows may be an async page reader). */
export async function* csvLines<Row>(columns: CsvColumns<Row>, rows: Iterable<Row> | AsyncIterable<Row>): AsyncGenerator<string> {
  yield csvLine(columns.map(([header]) => header))
  for await (const row of rows) yield csvLine(columns.map(([, value]) => value(row)))
}

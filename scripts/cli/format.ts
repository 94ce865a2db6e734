import { redactSecrets } from '../../collectors/sdk/redact.js'
import { UsageError } from './errors.js'
import { csvCell } from '../../data/csv.js'

/**
 * Untrusted text (app names from card files, user agents) shown on a terminal: control characters become
 * spaces, so a name cannot carry escape sequences that rewrite the screen.
 */
export function printable(text: string): string {
  return redactSecrets(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ')
}

/** Renders rows as an aligned text table, CSV (RFC 4180 quoting), one JSON document (an array) or JSON lines. */
export type TableFormat = 'table' | 'csv' | 'json' | 'jsonl'
const FORMATS: readonly TableFormat[] = ['table', 'csv', 'json', 'jsonl']

export function parseFormat(value: string | undefined, fallback: TableFormat = 'table'): TableFormat {
  const v = (value ?? fallback) as TableFormat
  if (!FORMATS.includes(v)) throw new UsageError(`--format ${value}: expected table, csv, json or jsonl`)
  return v
}

export function renderRows(rows: readonly Record<string, unknown>[], columns: readonly string[], format: TableFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2)
  if (format === 'jsonl') return rows.map((r) => JSON.stringify(r)).join('\n')
  if (format === 'csv') return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n')
  const text = (v: unknown) => printable(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/[\r\n\t]+/g, ' ')
  const widths = columns.map((c) => Math.min(60, Math.max(c.length, ...rows.map((r) => text(r[c]).length))))
  const line = (cells: string[]) => cells.map((cell, i) => (cell.length > widths[i]! ? `${cell.slice(0, widths[i]! - 1)}…` : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line([...columns]), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => text(r[c]))))].join('\n')
}

import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Store } from '../../data/connection.js'
import type { Collector } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { importFileWithCollector, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import type { ObservedRecord, SoftwareRecord } from '../sdk/records.js'
import { mapSoftwareRow, OSQUERY_TABLES, RowError, tableOfColumns, tableOfQueryName, type OsqueryTable } from './map-software.js'

const PAGE = 1000

export interface ParsedSoftware {
  records: SoftwareRecord[]
  read: number
  errors: string[]
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function isoOf(value: unknown): string | null {
  if (typeof value === 'number' && value > 0) return new Date(value * 1000).toISOString()
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString()
  return null
}

/**
 * osquery / Fleet software inventories in the shapes they come in:
 * - osqueryd result logs, JSON lines: `{name, hostIdentifier, unixTime, columns, action}` (differential; `removed`
 *   rows are skipped) or `{name, hostIdentifier, unixTime, snapshot: [rows], action: "snapshot"}`;
 * - `osqueryi --json` output: a JSON array of rows (the table known from its columns; the device from the file name);
 * - Fleet: `{software: [...]}` (the software list, `source` names the table) or a host `{host: {hostname, uuid, software}}`.
 */
export function parseSoftwareDocuments(file: string, documents: { where: string; value: unknown }[]): ParsedSoftware {
  const out: ParsedSoftware = { records: [], read: 0, errors: [] }
  const take = (where: string, table: OsqueryTable | null, row: unknown, device: string, seenAt: string | null) => {
    out.read += 1
    try {
      if (!isObject(row)) throw new RowError('row: not an object')
      const t = table ?? tableOfColumns(row)
      if (!t) throw new RowError(`row: not a row of ${OSQUERY_TABLES.join(', ')} (columns ${Object.keys(row).slice(0, 6).join(', ')})`)
      out.records.push(mapSoftwareRow(t, row, device, seenAt))
    } catch (error) {
      if (!(error instanceof RowError)) throw error
      out.errors.push(`${file}: ${where}: ${error.message}`)
    }
  }
  for (const { where, value } of documents) {
    if (Array.isArray(value)) {
      value.forEach((row, i) => take(`${where} row ${i + 1}`, null, row, basename(file).replace(/\.[^.]+$/, ''), null))
      continue
    }
    if (!isObject(value)) {
      out.errors.push(`${file}: ${where}: not a JSON object`)
      continue
    }
    if (Array.isArray(value.software) || isObject(value.host)) {
      const host = isObject(value.host) ? value.host : null
      const device = host ? String(host.uuid ?? host.hostname ?? host.id ?? 'fleet-host') : 'fleet-inventory'
      const list = (host ? host.software : value.software) as unknown[] | undefined
      for (const [i, item] of (list ?? []).entries()) {
        const source = isObject(item) ? String(item.source ?? '') : ''
        // Fleet lists OS packages too (deb_packages, homebrew_packages …): only the five tables here are read.
        if (!(OSQUERY_TABLES as readonly string[]).includes(source)) continue
        take(`${where} software ${i + 1}`, source as OsqueryTable, item, device, null)
      }
      continue
    }
    if (typeof value.name === 'string' && (isObject(value.columns) || Array.isArray(value.snapshot))) {
      const device = String(value.hostIdentifier ?? value.host_identifier ?? 'osquery-host')
      const table = tableOfQueryName(value.name)
      const seenAt = isoOf(value.unixTime) ?? isoOf(value.calendarTime)
      if (value.action === 'removed') continue
      const rows = Array.isArray(value.snapshot) ? value.snapshot : [value.columns]
      rows.forEach((row, i) => take(rows.length > 1 ? `${where} row ${i + 1}` : where, table, row, device, seenAt))
      continue
    }
    take(where, null, value, basename(file).replace(/\.[^.]+$/, ''), null)
  }
  return out
}

/** The file as one JSON document, or as JSON lines when it is not one. */
export async function readSoftwareFile(path: string): Promise<ParsedSoftware> {
  const file = basename(path)
  let text: string
  try {
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '')
  } catch (cause) {
    throw new CollectorError('bad-data', `osquery: read ${path}: ${(cause as Error).message}`, { cause })
  }
  try {
    return parseSoftwareDocuments(file, [{ where: 'document', value: JSON.parse(text) }])
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
  }
  const documents: { where: string; value: unknown }[] = []
  const bad: string[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return
    try {
      documents.push({ where: `line ${i + 1}`, value: JSON.parse(line) })
    } catch (error) {
      bad.push(`${file}: line ${i + 1}: not JSON: ${(error as Error).message}`)
    }
  })
  const parsed = parseSoftwareDocuments(file, documents)
  return { ...parsed, read: parsed.read + bad.length, errors: [...bad, ...parsed.errors] }
}

/** `sightline import software --format osquery FILE`: software and browser extensions per device. */
export async function importOsquerySoftware(store: Store, path: string, options: FileImportOptions): Promise<FileImportSummary> {
  let parsed: ParsedSoftware | null = null
  const collector: Collector<null, ObservedRecord, 'software'> = {
    manifest: { id: 'osquery', description: 'osquery / Fleet software inventory', config: [], scopes: [], kinds: ['software'], snapshotKinds: [] },
    async validate(ctx) {
      parsed = await readSoftwareFile(path)
      parsed.errors.forEach((message, i) => ctx.reportItemError({ kind: 'software', item: String(i + 1), code: 'bad-data', message }))
    },
    async list(_kind, request) {
      const records = parsed?.records ?? []
      const start = request.cursor === null ? 0 : Number(request.cursor)
      const end = Math.min(records.length, start + PAGE)
      return { items: records.slice(start, end), next: end < records.length ? String(end) : null, progress: { done: end, total: records.length, unit: 'rows' } }
    },
  }
  return importFileWithCollector(store, path, collector, null, {
    ...options,
    layout: 'osquery',
    source: 'osquery',
    count: { read: () => parsed?.read ?? 0, imported: 'software.written' },
  })
}

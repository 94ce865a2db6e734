import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Kysely } from 'kysely'
import { appendAuditEvent } from '../audit.js'
import type { Database } from '../database.js'
import { csvLines, type CsvColumns } from '../csv.js'
import { inventoryAsOf, type AccessAsOf, type AppAsOf, type FindingAsOf, type InventoryAsOf, type SourceAsOf } from './inventory-as-of.js'

/** `2026-09-30` means the end of that day (UTC); an ISO-8601 time means that instant. */
export function parseAsOf(text: string): string {
  const t = text.trim()
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const start = Date.parse(`${t}T00:00:00Z`)
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== t) throw new RangeError(`--as-of ${text}: not a calendar date`)
    return new Date(start + 86_400_000 - 1).toISOString()
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(t) && !Number.isNaN(Date.parse(t))) return new Date(t).toISOString()
  throw new RangeError(`--as-of ${text}: expected a date (YYYY-MM-DD) or an ISO-8601 time`)
}

export const INVENTORY_CSV: {
  apps: CsvColumns<AppAsOf>
  access: CsvColumns<AccessAsOf>
  findings: CsvColumns<FindingAsOf>
  sources: CsvColumns<SourceAsOf>
} = {
  apps: [
    ['app_id', (r) => r.app_id], ['key', (r) => r.key], ['name', (r) => r.name], ['vendor', (r) => r.vendor], ['category', (r) => r.category],
    ['status', (r) => r.status], ['status_source', (r) => r.status_source], ['owner_email', (r) => r.owner_email], ['first_seen_at', (r) => r.first_seen_at],
    ['people_with_access', (r) => r.people_with_access],
  ],
  access: [
    ['person_email', (r) => r.person_email], ['person_name', (r) => r.person_name], ['department', (r) => r.department], ['person_status', (r) => r.person_status],
    ['app_id', (r) => r.app_id], ['app', (r) => r.app], ['via', (r) => r.via], ['first_seen_at', (r) => r.first_seen_at], ['last_signin_at', (r) => r.last_signin_at],
  ],
  findings: [
    ['finding_id', (r) => r.finding_id], ['kind', (r) => r.kind], ['severity', (r) => r.severity], ['title', (r) => r.title], ['subject_type', (r) => r.subject_type],
    ['subject_id', (r) => r.subject_id], ['status', (r) => r.status], ['status_source', (r) => r.status_source], ['first_detected_at', (r) => r.first_detected_at],
    ['last_detected_at', (r) => r.last_detected_at],
  ],
  sources: [
    ['collector', (r) => r.collector], ['source_key', (r) => r.source_key], ['run_id', (r) => r.run_id], ['run_mode', (r) => r.run_mode], ['run_finished_at', (r) => r.run_finished_at],
    ['completed_runs', (r) => r.completed_runs], ['identities', (r) => r.identities], ['accounts', (r) => r.accounts], ['grants', (r) => r.grants],
    ['file_name', (r) => r.file_name], ['file_sha256', (r) => r.file_sha256],
  ],
}

export interface InventoryExport {
  inventory: InventoryAsOf
  /** Files written (CSV: one per table in the directory; JSON: the one file, or none when returned for stdout). */
  files: string[]
}

/** `sightline export inventory`: the inventory as of an instant, as CSV files or one JSON document; the export is audited. */
export async function exportInventory(
  db: Kysely<Database>,
  options: { asOf: string; format: 'csv' | 'json'; out: string | null; actor: string },
): Promise<InventoryExport> {
  const inventory = await inventoryAsOf(db, options.asOf)
  const files: string[] = []
  if (options.format === 'csv') {
    if (!options.out) throw new Error('export inventory: CSV needs a directory to write into')
    mkdirSync(options.out, { recursive: true })
    const write = async <Row>(name: string, columns: CsvColumns<Row>, rows: readonly Row[]) => {
      const path = join(options.out!, name)
      await pipeline(Readable.from(csvLines(columns, rows)), createWriteStream(path))
      files.push(path)
    }
    await write('apps.csv', INVENTORY_CSV.apps, inventory.apps)
    await write('access-matrix.csv', INVENTORY_CSV.access, inventory.access)
    await write('open-findings.csv', INVENTORY_CSV.findings, inventory.findings)
    await write('sources.csv', INVENTORY_CSV.sources, inventory.sources)
  } else if (options.out) {
    await pipeline(Readable.from([`${JSON.stringify(inventory, null, 2)}\n`]), createWriteStream(options.out))
    files.push(options.out)
  }
  await appendAuditEvent(db, {
    actor: options.actor,
    action: 'export.inventory',
    subjectType: 'inventory',
    subjectId: options.asOf,
    payload: { format: options.format, apps: inventory.apps.length, access: inventory.access.length, findings: inventory.findings.length, to: options.out ? 'file' : 'stdout' },
  })
  return { inventory, files }
}

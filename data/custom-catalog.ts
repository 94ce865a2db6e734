import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { loadCatalog, type CatalogEntry, type CatalogProblem } from './catalog/index.js'

// The schema (and zod) load when custom entries are validated, not with the resolver that reads this module.
const schema = () => import('./catalog/schema.js')

/** The company's own catalog entries (same schema as the shipped catalog), parsed but not yet validated. */
export async function loadCustomEntries(db: Kysely<Database>): Promise<unknown[]> {
  const rows = await db.selectFrom('catalog_custom_entries').select(['key', 'entry']).orderBy('key').execute()
  return rows.map((r) => JSON.parse(r.entry) as unknown)
}

export interface CustomEntryRow {
  key: string
  /** The stored JSON text, unparsed: `catalog check` reports a row that is not valid JSON instead of failing. */
  entry: string
  created_by: string | null
  created_at: string
  updated_at: string
}

export async function loadCustomEntryRows(db: Kysely<Database>): Promise<CustomEntryRow[]> {
  return db.selectFrom('catalog_custom_entries').selectAll().orderBy('key').execute()
}

/**
 * Stores a company catalog entry (validated by the caller against the catalog schema). An existing key is
 * replaced only when `replace` is set, so a typo in `--key` cannot overwrite another app silently.
 */
export async function saveCustomEntry(
  db: Kysely<Database>,
  input: { key: string; entry: unknown; by: string | null; at: string; replace: boolean },
): Promise<'created' | 'replaced'> {
  const json = JSON.stringify(input.entry)
  const existing = await db.selectFrom('catalog_custom_entries').select('key').where('key', '=', input.key).executeTakeFirst()
  if (existing) {
    if (!input.replace) throw new Error(`custom catalog: save ${input.key}: an entry with this key exists (replace it explicitly)`)
    await db.updateTable('catalog_custom_entries').set({ entry: json, updated_at: input.at }).where('key', '=', input.key).execute()
    return 'replaced'
  }
  await db.insertInto('catalog_custom_entries').values({ key: input.key, entry: json, created_by: input.by, created_at: input.at, updated_at: input.at }).execute()
  return 'created'
}

export interface ListedEntry {
  entry: CatalogEntry
  source: 'shipped' | 'custom'
}

/** Shipped entries plus the company's valid custom entries; a custom entry with a shipped key is skipped (check reports it). */
export async function loadAllEntries(db: Kysely<Database>): Promise<ListedEntry[]> {
  const shipped = loadCatalog().entries.map((entry) => ({ entry, source: 'shipped' as const }))
  const keys = new Set(shipped.map((s) => s.entry.key))
  const custom: ListedEntry[] = []
  const rows = await loadCustomEntryRows(db)
  const { catalogEntrySchema } = rows.length > 0 ? await schema() : { catalogEntrySchema: null }
  for (const row of rows) {
    let raw: unknown
    try {
      raw = JSON.parse(row.entry)
    } catch {
      continue
    }
    const parsed = catalogEntrySchema!.safeParse(raw)
    if (parsed.success && !keys.has(parsed.data.key)) custom.push({ entry: parsed.data, source: 'custom' })
  }
  return [...shipped, ...custom]
}

/** The shipped or custom catalog entry with this key, if any. */
export async function findEntry(db: Kysely<Database>, key: string): Promise<ListedEntry | undefined> {
  return (await loadAllEntries(db)).find((e) => e.entry.key === key)
}

/** The shipped catalog files, read raw so `catalog check` can list every problem rather than stop at the first. */
const SHIPPED_DIR = fileURLToPath(new URL('./catalog/apps/', import.meta.url))

/** Every problem of the shipped files and the custom entries, checked together (a custom entry may clash with a shipped one). */
export async function checkCatalog(db: Kysely<Database>, shippedDir: string = SHIPPED_DIR): Promise<CatalogProblem[]> {
  const problems: CatalogProblem[] = []
  const entries: unknown[] = []
  for (const file of readdirSync(shippedDir).filter((f) => f.endsWith('.json')).sort()) {
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(join(shippedDir, file), 'utf8'))
    } catch (cause) {
      problems.push({ entry: file, message: `not valid JSON: ${(cause as Error).message}` })
      continue
    }
    if (!Array.isArray(raw)) problems.push({ entry: file, message: 'expected an array of entries' })
    else entries.push(...(raw as unknown[]))
  }
  for (const row of await loadCustomEntryRows(db)) {
    let raw: unknown
    try {
      raw = JSON.parse(row.entry)
    } catch (cause) {
      problems.push({ entry: `custom ${row.key}`, message: `not valid JSON: ${(cause as Error).message}` })
      continue
    }
    if (typeof raw !== 'object' || raw === null || (raw as { key?: unknown }).key !== row.key) {
      problems.push({ entry: `custom ${row.key}`, message: 'the stored entry does not carry its own key' })
    }
    entries.push(raw)
  }
  const { validateCatalog } = await import('./catalog/validate-catalog.js')
  return [...problems, ...validateCatalog(entries)]
}

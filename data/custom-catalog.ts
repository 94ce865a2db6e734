import type { Kysely } from 'kysely'
import type { Database } from './database.js'

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

import type { Kysely } from 'kysely'
import type { Database } from './database.js'

/** The company's own catalog entries (same schema as the shipped catalog), parsed but not yet validated. */
export async function loadCustomEntries(db: Kysely<Database>): Promise<unknown[]> {
  const rows = await db.selectFrom('catalog_custom_entries').select(['key', 'entry']).orderBy('key').execute()
  return rows.map((r) => JSON.parse(r.entry) as unknown)
}

import type { Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import { catalogEntrySchema, loadCatalog, type CatalogEntry } from '../../data/catalog/index.js'
import { createResolver } from '../../analyzer/resolve/index.js'
import type { SignalResolver } from '../../collectors/sdk/app-resolution.js'
import { loadCustomEntries } from '../../data/custom-catalog.js'

/** The resolver over the shipped catalog plus the company's own entries and admin-confirmed mappings. */
export async function loadResolver(db: Kysely<Database>): Promise<SignalResolver> {
  const catalog = loadCatalog()
  const custom: CatalogEntry[] = []
  for (const raw of await loadCustomEntries(db)) {
    const parsed = catalogEntrySchema.safeParse(raw)
    if (!parsed.success) {
      throw new Error(`custom catalog entry ${(raw as { key?: string }).key ?? '?'} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    }
    custom.push(parsed.data)
  }
  const confirmed = await db
    .selectFrom('identifiers')
    .leftJoin('apps', 'apps.id', 'identifiers.app_id')
    .select(['identifiers.kind', 'identifiers.value', 'apps.catalog_key'])
    .where('identifiers.confirmed', '=', 1)
    .execute()
  const overrides = confirmed.map((c) => ({ kind: c.kind, value: c.value, appKey: c.catalog_key ?? null }))
  return createResolver({ entries: [...catalog.entries, ...custom], overrides })
}

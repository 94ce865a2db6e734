import type { Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import { loadCatalog, type CatalogEntry } from '../../data/catalog/index.js'
import { loadCustomEntries } from '../../data/custom-catalog.js'
import { confirmedIdentifiers } from '../../data/identifiers.js'
import type { Normalizer } from '../../data/identifiers.js'
import type { IdentifierKind } from '../../data/tables/apps.table.js'
import { createResolver } from './resolver.js'
import type { Resolver } from './resolver.js'

/**
 * The resolver over the shipped catalog plus the company's own entries and admin-confirmed mappings, as stored
 * now. Load it once per import or request batch; it does not see mappings made after it was loaded.
 * Throws when a stored custom entry no longer fits the catalog schema (naming the entry).
 */
export async function loadResolver(db: Kysely<Database>): Promise<Resolver> {
  const catalog = loadCatalog()
  const custom: CatalogEntry[] = []
  const stored = await loadCustomEntries(db)
  // The schema (and zod) only when there is something to check: most inventories have no custom entries.
  const { catalogEntrySchema } = stored.length > 0 ? await import('../../data/catalog/schema.js') : { catalogEntrySchema: null }
  for (const raw of stored) {
    const parsed = catalogEntrySchema!.safeParse(raw)
    if (!parsed.success) {
      throw new Error(`custom catalog entry ${(raw as { key?: string }).key ?? '?'} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    }
    custom.push(parsed.data)
  }
  const overrides = (await confirmedIdentifiers(db)).map((c) => ({ kind: c.kind, value: c.value, appKey: c.catalogKey }))
  return createResolver({ entries: [...catalog.entries, ...custom], overrides })
}

/** The resolver's normalisation for one kind of identifier, as data/identifiers.ts and data/apps.ts expect it. */
export function normalizerFor(resolver: Pick<Resolver, 'resolve'>, kind: IdentifierKind): Normalizer {
  return (raw: string) => resolver.resolve({ kind, value: raw }).normalized
}

import { sql, type Kysely } from 'kysely'
import { loadCatalog } from '../data/catalog/index.js'
import type { Database } from '../data/database.js'

/**
 * A vendor often bills several products under one name (ATLASSIAN for Jira and Confluence, LINKEDIN for Sales
 * Navigator). Charges resolved to such an umbrella entry — one nobody uses as a product itself — belong to the
 * product the company actually uses: the only child app in use, else the one child doing the umbrella's own
 * main job (Atlassian's issue tracking is Jira). Returns umbrella app id → product app id; data/spend-attribution.ts
 * applies it (after admin mappings and plain catalog matches, which it never overrides).
 */
export async function findUmbrellaTargets(db: Kysely<Database>): Promise<Map<number, number>> {
  const catalog = loadCatalog()
  const umbrellas = await sql<{ id: number; catalog_key: string }>`
    select distinct a.id, a.catalog_key from apps a join identifiers i on i.app_id = a.id
    where a.catalog_key is not null and i.kind in ('merchant', 'name')
  `.execute(db)
  const targets = new Map<number, number>()
  for (const umbrella of umbrellas.rows) {
    const children = catalog.entries.filter((e) => e.parent === umbrella.catalog_key).map((e) => e.key)
    if (children.length === 0) continue
    // Microsoft 365 is a parent of Teams and also a product people use: its charges stay its own.
    const umbrellaInUse = await sql<{ n: number }>`
      select count(*) as n from apps a
      where a.id = ${umbrella.id}
        and (a.status = 'sanctioned'
             or exists (select 1 from accounts ac where ac.app_id = a.id and ac.gone_at is null)
             or exists (select 1 from signin_daily d where d.app_id = a.id))
    `.execute(db)
    if (Number(umbrellaInUse.rows[0]?.n ?? 0) > 0) continue
    const inUse = await sql<{ id: number; catalog_key: string }>`
      select a.id, a.catalog_key from apps a
      where a.catalog_key in (${sql.join(children)})
        and (a.status = 'sanctioned'
             or exists (select 1 from accounts ac where ac.app_id = a.id and ac.gone_at is null)
             or exists (select 1 from signin_daily d where d.app_id = a.id))
      order by a.catalog_key
    `.execute(db)
    const own = catalog.byKey(umbrella.catalog_key)?.function
    const target = inUse.rows.length === 1 ? inUse.rows[0] : inUse.rows.filter((r) => own && catalog.byKey(r.catalog_key)?.function === own).length === 1 ? inUse.rows.find((r) => catalog.byKey(r.catalog_key)?.function === own) : undefined
    if (!target) continue
    targets.set(Number(umbrella.id), Number(target.id))
  }
  return targets
}

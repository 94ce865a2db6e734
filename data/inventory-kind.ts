// Whether an inventory holds a company's real data, the generated demo company, or nothing yet.
import { existsSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import type { Database } from './database.js'

/** The settings row that marks an inventory as the demo company's. */
export const INVENTORY_KIND_KEY = 'inventory.kind'

export type InventoryKind = 'empty' | 'demo' | 'real'

/** Tables whose rows mean the inventory has been used: a roster, a card line, any import or scan. */
const USED_TABLES = ['people', 'spend_transactions', 'scan_runs'] as const

export async function inventoryKind(db: Kysely<Database>): Promise<InventoryKind> {
  const mark = await db.selectFrom('settings').select('value').where('key', '=', INVENTORY_KIND_KEY).executeTakeFirst()
  if (mark?.value === 'demo') return 'demo'
  for (const table of USED_TABLES) {
    const row = await db.selectFrom(table).select('id').limit(1).executeTakeFirst()
    if (row) return 'real'
  }
  return 'empty'
}

/** Marks an empty inventory as the demo company's, so later demo runs may add to it and `--fresh` may delete it. */
export async function markDemoInventory(db: Kysely<Database>, actor: Actor, now: string = new Date().toISOString()): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('settings')
      .values({ key: INVENTORY_KIND_KEY, value: 'demo', updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'demo', updated_at: now }))
      .execute()
    await appendAuditEvent(tx, { actor, action: 'inventory.mark-demo', subjectType: 'inventory', payload: {} })
  })
}

/**
 * What a SQLite file at `path` is, read without changing it: `absent`, `demo` (a Sightline inventory marked as
 * the demo's), `empty` (a Sightline inventory with nothing in it), or `other` — real data, or not ours at all.
 */
export function sqliteFileKind(path: string): 'absent' | InventoryKind | 'other' {
  if (!existsSync(path)) return 'absent'
  let sqlite: BetterSqlite3.Database | undefined
  try {
    sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
    const mark = sqlite.prepare('select value from settings where key = ?').get(INVENTORY_KIND_KEY) as { value: string } | undefined
    if (mark?.value === 'demo') return 'demo'
    for (const table of USED_TABLES) if (sqlite.prepare(`select 1 from ${table} limit 1`).get()) return 'real'
    return 'empty'
  } catch {
    return 'other'
  } finally {
    sqlite?.close()
  }
}

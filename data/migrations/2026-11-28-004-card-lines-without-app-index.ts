import type { Kysely } from 'kysely'

// Frozen in time. Card lines by (app_id, posted_on) cost a 1M-line statement about 2 s of its import (a third
// of the merge), and no query reads them that way: the analyzer and the spend report aggregate whole months
// of every app at once, which a scan of the table serves as fast. Per-app pages can add it back if they need it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('spend_transactions_app_posted').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('spend_transactions_app_posted').on('spend_transactions').columns(['app_id', 'posted_on']).execute()
}

import type { Transaction } from 'kysely'
import { insertValuesSqlite } from '../bulk.js'
import type { Database } from '../database.js'
import { sqliteHandleOf } from '../sqlite-write-wait.js'
import type { NewReviewItem } from '../tables/reviews.table.js'
import { batches } from './load.js'

const COLUMNS = [
  'campaign_id', 'stage', 'reviewer_email', 'assigned_by_rule', 'kind', 'access_key', 'fingerprint', 'person_id', 'subject_email', 'app_id',
  'account_id', 'grant_id', 'source', 'snapshot', 'last_activity_at', 'finding_count', 'previous', 'status', 'created_at',
] as const satisfies ReadonlyArray<keyof NewReviewItem>

export type ReviewItemRow = { [K in (typeof COLUMNS)[number]]: NewReviewItem[K] }

/**
 * Writes a launch's or a stage's review items inside the caller's transaction. On SQLite one cached prepared
 * statement runs per row on the transaction's own connection (a 100k-item launch compiles no Kysely query per
 * batch); on PostgreSQL, multi-row inserts under its parameter bound.
 */
export async function insertReviewItems(tx: Transaction<Database>, rows: readonly ReviewItemRow[]): Promise<void> {
  if (rows.length === 0) return
  const sqlite = await sqliteHandleOf(tx)
  if (sqlite) {
    const values = new Array<string | number | null>(rows.length * COLUMNS.length)
    let k = 0
    for (const row of rows) for (const column of COLUMNS) values[k++] = (row[column] ?? null) as string | number | null
    insertValuesSqlite(sqlite, 'review_items', COLUMNS, values)
    return
  }
  for (const batch of batches(rows, COLUMNS.length)) await tx.insertInto('review_items').values(batch).execute()
}

import type { Kysely } from 'kysely'

// Frozen in time. Raw sign-ins and card lines are written by the million: an index that serves no query
// costs every insert. Raw sign-ins are read through the daily rollup, so (person_id, app_id) goes; no query
// selects card lines by scan run, so that index goes too. Dedupe, retention and per-app spend indexes stay.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signin_events_person_app').ifExists().execute()
  await db.schema.dropIndex('spend_transactions_scan_run').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('signin_events_person_app').on('signin_events').columns(['person_id', 'app_id']).execute()
  await db.schema.createIndex('spend_transactions_scan_run').on('spend_transactions').columns(['scan_run_id']).execute()
}

import type { Kysely } from 'kysely'

// Frozen in time. Raw sign-ins are written by the million and read almost only through the daily rollup:
// the (person_id, app_id) index cost every insert and served no query, so it goes. The unique
// (source, event_id) index (dedupe) and occurred_at (retention) stay.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signin_events_person_app').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('signin_events_person_app').on('signin_events').columns(['person_id', 'app_id']).execute()
}

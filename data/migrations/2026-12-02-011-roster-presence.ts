import type { Kysely } from 'kysely'

// Frozen in time. A person the authoritative HR roster stopped listing is a state with a date (shown in stats,
// findings and the web app), not a one-time message of the import that noticed it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').addColumn('roster_missing_since', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').dropColumn('roster_missing_since').execute()
}

import type { Kysely } from 'kysely'

// Frozen in time (Kysely<any>, no app helpers). Adds what the analyzer needs to run set-based:
// daily sign-in rollups that outlive raw-event retention, the licensed flag on accounts, and lookup indexes.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signin_daily')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('user_key', 'text', (c) => c.notNull())
    .addColumn('app_key', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer')
    .addColumn('app_id', 'integer')
    .addColumn('successes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('signin_daily_pk', ['day', 'source', 'user_key', 'app_key'])
    .execute()

  await db.schema.alterTable('accounts').addColumn('licensed', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  const indexes: [string, string, string[]][] = [
    ['signin_events_occurred_at', 'signin_events', ['occurred_at']],
    ['signin_events_person_app', 'signin_events', ['person_id', 'app_id']],
    ['signin_daily_person_app', 'signin_daily', ['person_id', 'app_id']],
    ['telemetry_events_person_app', 'telemetry_events', ['person_id', 'app_id']],
    ['spend_transactions_app_posted', 'spend_transactions', ['app_id', 'posted_on']],
    ['spend_transactions_scan_run', 'spend_transactions', ['scan_run_id']],
    ['accounts_person', 'accounts', ['person_id']],
    ['grants_person', 'grants', ['person_id']],
    ['grants_app', 'grants', ['app_id']],
    ['identifiers_app', 'identifiers', ['app_id']],
    ['person_identities_person', 'person_identities', ['person_id']],
    ['scan_runs_collector_source', 'scan_runs', ['collector', 'source_key', 'status']],
    ['findings_status', 'findings', ['status', 'kind']],
    ['review_items_campaign', 'review_items', ['campaign_id', 'reviewer_email']],
  ]
  for (const [name, table, columns] of indexes) {
    await db.schema.createIndex(name).on(table).columns(columns).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signin_daily').ifExists().execute()
}

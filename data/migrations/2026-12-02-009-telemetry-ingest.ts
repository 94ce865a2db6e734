import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen in time: Kysely<any> and no app helpers. Adds what pushed telemetry and endpoint inventories need:
// the inbox of accepted batches (idempotent by device × batch id), OAuth consent details on telemetry events,
// and the software seen on devices (browser extensions, desktop programs) with their permissions.

function withId(db: Kysely<any>, table: string): CreateTableBuilder<string, 'id'> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  return pg
    ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
    : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, 'telemetry_batches')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('token_id', 'integer')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addColumn('processed_run_id', 'integer')
    .addUniqueConstraint('telemetry_batches_device_batch', ['device_id', 'batch_id'])
    .execute()
  await db.schema.createIndex('telemetry_batches_pending').on('telemetry_batches').columns(['processed_at', 'id']).execute()

  await db.schema.alterTable('telemetry_events').addColumn('client_id', 'text').execute()
  await db.schema.alterTable('telemetry_events').addColumn('scopes', 'text').execute()

  await withId(db, 'device_software')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('user_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('version', 'text')
    .addColumn('publisher', 'text')
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('install_type', 'text')
    .addColumn('enabled', 'integer')
    .addColumn('person_id', 'integer')
    .addColumn('user_email', 'text')
    .addColumn('app_id', 'integer')
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_scan_run_id', 'integer')
    .addColumn('gone_at', 'text')
    .addUniqueConstraint('device_software_item', ['source', 'device_id', 'user_key', 'kind', 'item_id'])
    .execute()
  await db.schema.createIndex('device_software_kind_item').on('device_software').columns(['kind', 'item_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('device_software').ifExists().execute()
  await db.schema.alterTable('telemetry_events').dropColumn('scopes').execute()
  await db.schema.alterTable('telemetry_events').dropColumn('client_id').execute()
  await db.schema.dropTable('telemetry_batches').ifExists().execute()
}

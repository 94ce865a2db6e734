import { PostgresAdapter, sql, type Kysely } from 'kysely'

// Frozen in time. The audit trail is append-only: the database itself refuses UPDATE and DELETE of its rows
// (and TRUNCATE on PostgreSQL), so only someone who drops the triggers can edit it — and the hash chain
// (`sightline audit verify`) names the first event such an edit broke. Also an index for period queries.

const MESSAGE = 'audit_events is append-only: events cannot be changed or deleted'

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create or replace function audit_events_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception using errcode = 'P0001', message = ${sql.lit(MESSAGE)} || ' (' || tg_op || ')';
      end
    $$`.execute(db)
    await sql`create trigger audit_events_no_update before update on audit_events for each row execute function audit_events_refuse_change()`.execute(db)
    await sql`create trigger audit_events_no_delete before delete on audit_events for each row execute function audit_events_refuse_change()`.execute(db)
    await sql`create trigger audit_events_no_truncate before truncate on audit_events for each statement execute function audit_events_refuse_change()`.execute(db)
  } else {
    await sql`create trigger audit_events_no_update before update on audit_events begin select raise(abort, ${sql.lit(`${MESSAGE} (UPDATE)`)}); end`.execute(db)
    await sql`create trigger audit_events_no_delete before delete on audit_events begin select raise(abort, ${sql.lit(`${MESSAGE} (DELETE)`)}); end`.execute(db)
  }
  await db.schema.createIndex('audit_events_occurred_at').on('audit_events').column('occurred_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_occurred_at').ifExists().execute()
  if (isPostgres(db)) {
    await sql`drop trigger if exists audit_events_no_truncate on audit_events`.execute(db)
    await sql`drop trigger if exists audit_events_no_delete on audit_events`.execute(db)
    await sql`drop trigger if exists audit_events_no_update on audit_events`.execute(db)
    await sql`drop function if exists audit_events_refuse_change()`.execute(db)
  } else {
    await sql`drop trigger if exists audit_events_no_delete`.execute(db)
    await sql`drop trigger if exists audit_events_no_update`.execute(db)
  }
}

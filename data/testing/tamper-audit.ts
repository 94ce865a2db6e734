import { sql } from 'kysely'
import type { Store } from '../connection.js'

/**
 * What an attacker with database rights would do: drop the trigger that refuses the change, make it, and put
 * the trigger back, so the schema looks untouched. Only the hash chain can tell afterwards.
 */
export async function editBehindTriggers(store: Store, change: { op: 'update'; seq: number; actor: string } | { op: 'delete'; seq: number }): Promise<void> {
  const trigger = change.op === 'update' ? 'audit_events_no_update' : 'audit_events_no_delete'
  const { db } = store
  if (store.dialect === 'sqlite') {
    const found = await db.selectNoFrom(sql<string>`(select sql from sqlite_master where type = 'trigger' and name = ${trigger})`.as('ddl')).executeTakeFirstOrThrow()
    await sql`drop trigger ${sql.id(trigger)}`.execute(db)
    await apply(store, change)
    await sql.raw(found.ddl).execute(db)
  } else {
    const event = change.op === 'update' ? 'update' : 'delete'
    await sql`drop trigger ${sql.id(trigger)} on audit_events`.execute(db)
    await apply(store, change)
    await sql.raw(`create trigger ${trigger} before ${event} on audit_events for each row execute function audit_events_refuse_change()`).execute(db)
  }
}

async function apply(store: Store, change: { op: 'update'; seq: number; actor: string } | { op: 'delete'; seq: number }): Promise<void> {
  if (change.op === 'update') await store.db.updateTable('audit_events').set({ actor: change.actor }).where('seq', '=', change.seq).execute()
  else await store.db.deleteFrom('audit_events').where('seq', '=', change.seq).execute()
}

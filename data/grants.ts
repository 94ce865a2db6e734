import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import type { Database } from './database.js'
import type { Grant } from './tables/access.table.js'

/** A client stored under a provisional key (e.g. Entra's service-principal object id) and what it turned out to be. */
export interface GrantClientResolution {
  /** The provisional client_id the grants were stored under. */
  from: string
  /** The client's real id (an OAuth client / application id). */
  to: string
  clientName: string | null
  /** The app the client resolves to, when the caller knows it; otherwise the row keeps its own. */
  appId: number | null
}

export interface ResolvedGrantClients {
  /** Rows re-keyed in place (no grant under the real id yet). */
  rekeyed: number
  /** Rows folded into the grant already stored under the real id (same identity and client). */
  merged: number
}

/** The client ids of a source's grants that begin with `prefix`: the provisional keys still waiting to be resolved. */
export async function grantClientIdsStartingWith(db: Kysely<Database>, source: string, prefix: string): Promise<string[]> {
  const rows = await db.selectFrom('grants').select('client_id').distinct().where('source', '=', source).where('client_id', 'like', `${prefix}%`).execute()
  return rows.map((r) => r.client_id).filter((id) => id.startsWith(prefix))
}

const earlier = (a: string, b: string) => (a < b ? a : b)

/**
 * Re-keys grants stored under a provisional client id to the client's real id, in one audited transaction. A
 * grant with no twin under the real id keeps its row (its id, first-seen time and review history); one whose
 * identity already holds a grant for that client is folded into it — the more recently seen of the two gives the
 * scopes and state, the earlier first-seen time stays, review items and decisions follow — so no (identity,
 * client) is ever listed twice and nothing reads as revoked just because its key changed.
 */
export async function resolveGrantClients(
  db: Kysely<Database>,
  input: { source: string; clients: readonly GrantClientResolution[]; actor: Actor; at: string },
): Promise<ResolvedGrantClients> {
  if (!db.isTransaction) return db.transaction().execute((tx) => resolveGrantClients(tx, input))
  const result: ResolvedGrantClients = { rekeyed: 0, merged: 0 }
  const moved: { from: string; to: string; grants: number }[] = []
  for (const client of input.clients) {
    if (client.from === client.to) continue
    const rows = await db.selectFrom('grants').selectAll().where('source', '=', input.source).where('client_id', '=', client.from).execute()
    for (const row of rows) {
      const twin = await db
        .selectFrom('grants')
        .selectAll()
        .where('source', '=', input.source)
        .where('identity_external_id', '=', row.identity_external_id)
        .where('client_id', '=', client.to)
        .executeTakeFirst()
      if (!twin) {
        await db
          .updateTable('grants')
          .set({ client_id: client.to, client_name: client.clientName ?? row.client_name, app_id: client.appId ?? row.app_id })
          .where('id', '=', row.id)
          .execute()
        result.rekeyed += 1
      } else {
        await foldInto(db, row, twin, client)
        result.merged += 1
      }
    }
    if (rows.length > 0) moved.push({ from: client.from, to: client.to, grants: rows.length })
  }
  if (moved.length > 0) {
    await appendAuditEvent(db, {
      actor: input.actor,
      action: 'grant.clients.resolved',
      subjectType: 'source',
      subjectId: input.source,
      occurredAt: input.at,
      payload: { ...result, clients: moved },
    })
  }
  return result
}

/** Folds a provisional grant row into its twin under the real client id, then removes it. */
async function foldInto(db: Kysely<Database>, row: Grant, twin: Grant, client: GrantClientResolution): Promise<void> {
  const newer = row.last_seen_at > twin.last_seen_at ? row : twin
  await db
    .updateTable('grants')
    .set({
      first_seen_at: earlier(row.first_seen_at, twin.first_seen_at),
      last_seen_at: newer.last_seen_at,
      scopes: newer.scopes,
      risk: newer.risk,
      consent_type: newer.consent_type ?? twin.consent_type,
      revoked_at: newer.revoked_at,
      last_scan_run_id: newer.last_scan_run_id,
      person_id: twin.person_id ?? row.person_id,
      user_email: twin.user_email ?? row.user_email,
      client_name: client.clientName ?? twin.client_name ?? row.client_name,
      app_id: client.appId ?? twin.app_id ?? row.app_id,
    })
    .where('id', '=', twin.id)
    .execute()
  await db.updateTable('review_items').set({ grant_id: twin.id }).where('grant_id', '=', row.id).execute()
  await db.deleteFrom('grants').where('id', '=', row.id).execute()
}

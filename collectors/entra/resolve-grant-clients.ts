import type { Kysely } from 'kysely'
import type { Actor } from '../../data/audit.js'
import type { Database } from '../../data/database.js'
import { grantClientIdsStartingWith, resolveGrantClients, type GrantClientResolution, type ResolvedGrantClients } from '../../data/grants.js'
import { AppResolution, type SignalResolver } from '../sdk/app-resolution.js'
import { ENTRA_SOURCE } from './config.js'
import type { GraphServicePrincipal } from './graph-types.js'
import { spSignals, UNRESOLVED_CLIENT_PREFIX } from './map-records.js'

/** A service principal by object id, from a dump (a Map) or from Graph (one call each). */
export type ServicePrincipalSource = (objectId: string) => GraphServicePrincipal | undefined | Promise<GraphServicePrincipal | undefined>

/** The object ids of the clients whose Entra grants are still kept by object id (a grants file imported alone). */
export async function unresolvedEntraClients(db: Kysely<Database>): Promise<string[]> {
  const ids = await grantClientIdsStartingWith(db, ENTRA_SOURCE, UNRESOLVED_CLIENT_PREFIX)
  return ids.map((id) => id.slice(UNRESOLVED_CLIENT_PREFIX.length))
}

/**
 * Names the clients of grants imported without their service principals: each one the source now knows is
 * re-keyed to its application id and display name and given its app (data/grants.ts resolveGrantClients, one
 * audited transaction). Called before a directory import or a live scan writes its grants, so those land on the
 * re-keyed rows: one grant per (user, client), none revoked for having changed key. A client still unknown stays.
 */
export async function resolveEntraGrantClients(
  db: Kysely<Database>,
  options: { servicePrincipal: ServicePrincipalSource; resolver: SignalResolver; actor: Actor; at: string },
): Promise<ResolvedGrantClients & { unresolved: number }> {
  const pending = await unresolvedEntraClients(db)
  if (pending.length === 0) return { rekeyed: 0, merged: 0, unresolved: 0 }
  const found: [string, GraphServicePrincipal][] = []
  for (const objectId of pending) {
    const sp = await options.servicePrincipal(objectId)
    if (sp?.appId) found.push([objectId, sp])
  }
  if (found.length === 0) return { rekeyed: 0, merged: 0, unresolved: pending.length }
  const result = await db.transaction().execute(async (tx) => {
    const apps = new AppResolution(options.resolver, () => options.at)
    const clients: GrantClientResolution[] = []
    for (const [objectId, sp] of found) {
      const app = await apps.resolve(tx, spSignals(sp, 'oauth_client'), true)
      clients.push({ from: `${UNRESOLVED_CLIENT_PREFIX}${objectId}`, to: sp.appId, clientName: sp.displayName ?? null, appId: app?.appId ?? null })
    }
    await apps.flush(tx)
    return resolveGrantClients(tx, { source: ENTRA_SOURCE, clients, actor: options.actor, at: options.at })
  })
  return { ...result, unresolved: pending.length - found.length }
}

import { sql } from 'kysely'
import type { Store } from '../../data/connection.js'
import type { RunResult } from '../sdk/runner.js'
import { scanWithCollector, type LiveScanOptions } from '../sdk/scan-live.js'
import { CollectorError } from '../sdk/errors.js'
import { createEntraCollector, DEFAULT_SIGNIN_LOOKBACK_MS, SERVICE_PRINCIPAL_FIELDS, type EntraCollectorOptions, type EntraKind } from './collector.js'
import type { GraphServicePrincipal } from './graph-types.js'
import { resolveEntraGrantClients } from './resolve-grant-clients.js'
import { ENTRA_SOURCE, type EntraConfig } from './config.js'

/** Entra can take up to two hours to show a sign-in, so each scan re-reads that much (duplicates are dropped). */
const SIGNIN_OVERLAP_MS = 2 * 3600_000
/** Who re-keys grants kept by object id when a scan names their clients. */
const SCAN_ACTOR = 'system:entra-scan'

export interface ScanEntraOptions extends EntraCollectorOptions, LiveScanOptions {}

/** The sign-in checkpoint: the newest Entra sign-in stored, less the reporting delay; 30 days back on a first scan. */
export async function entraSigninsSince(store: Store, now: Date): Promise<string> {
  const row = await store.db
    .selectFrom('signin_events')
    .select(sql<string | null>`max(occurred_at)`.as('latest'))
    .where('source', '=', ENTRA_SOURCE)
    .executeTakeFirst()
  const latest = row?.latest ? Date.parse(String(row.latest)) : NaN
  const floor = now.getTime() - DEFAULT_SIGNIN_LOOKBACK_MS
  const since = Number.isNaN(latest) ? floor : Math.max(floor, latest - SIGNIN_OVERLAP_MS)
  return new Date(since).toISOString()
}

/**
 * A live scan of one tenant: each page commits with its checkpoint, so an interrupted scan resumes; a scan
 * with item errors ends `partial` and marks nothing gone, a complete one revokes the grants it no longer saw.
 */
export async function scanEntra(store: Store, config: EntraConfig, options: ScanEntraOptions): Promise<RunResult> {
  const now = options.now ?? (() => new Date())
  const signinsSince = config.signinsSince ?? (await entraSigninsSince(store, now()))
  const effective: EntraConfig = Object.freeze({ ...config, signinsSince })
  const collector = createEntraCollector(effective, { connection: options.connection, credential: options.credential, now })
  // Grants a file import kept by object id are named before the scan lists grants by application id; else the
  // completed scan would list each twice and revoke the object-id row. A client deleted since stays, and is revoked.
  await resolveEntraGrantClients(store.db, {
    servicePrincipal: async (id) => {
      try {
        return await collector.session.get<GraphServicePrincipal>(`/servicePrincipals/${id}?$select=${SERVICE_PRINCIPAL_FIELDS.join(',')}`, 'Application.Read.All', `get service principal ${id}`, options.signal)
      } catch (error) {
        if (error instanceof CollectorError && error.code === 'not-found') return undefined
        throw error
      }
    },
    resolver: options.resolver,
    actor: SCAN_ACTOR,
    at: now().toISOString(),
  })
  return scanWithCollector<EntraConfig, EntraKind>(store, collector, effective, {
    ...options,
    source: ENTRA_SOURCE,
    sourceKey: `tenant:${config.tenantId.toLowerCase()}`,
  })
}

import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'
import { rosterPresence } from './people.js'

const TABLES = [
  'people', 'person_identities', 'apps', 'identifiers', 'source_apps', 'accounts', 'entitlements', 'grants',
  'signin_events', 'signin_daily', 'telemetry_events', 'spend_transactions', 'scan_runs', 'findings',
  'campaigns', 'review_items', 'decisions', 'remediations', 'audit_events', 'ui_users', 'api_tokens',
] as const satisfies readonly (keyof Database)[]

export interface InventoryStats {
  tables: Record<(typeof TABLES)[number], number>
  /** Whether an HR roster was imported, how many people it lists, who it stopped listing and since when. */
  roster: Awaited<ReturnType<typeof rosterPresence>> & { unmatchedIdentities: number }
  lastRuns: { collector: string; sourceKey: string; status: string; startedAt: string; finishedAt: string | null; error: string | null }[]
}

export async function inventoryStats(db: Kysely<Database>): Promise<InventoryStats> {
  const tables = {} as InventoryStats['tables']
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    tables[table] = Number(row.n)
  }
  const latest = db.selectFrom('scan_runs').select([(eb) => eb.fn.max('id').as('id')]).groupBy('collector')
  const runs = await db
    .selectFrom('scan_runs')
    .select(['collector', 'source_key', 'status', 'started_at', 'finished_at', 'error'])
    .where('id', 'in', latest)
    .orderBy('collector')
    .execute()
  const roster = await rosterPresence(db)
  const unmatched = roster.roster
    ? Number((await db.selectFrom('person_identities').select(sql<number>`count(*)`.as('n')).where('person_id', 'is', null).where('gone_at', 'is', null).executeTakeFirstOrThrow()).n)
    : 0
  return {
    tables,
    roster: { ...roster, unmatchedIdentities: unmatched },
    lastRuns: runs.map((r) => ({ collector: r.collector, sourceKey: r.source_key, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, error: r.error })),
  }
}

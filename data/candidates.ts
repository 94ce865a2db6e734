import type { Kysely } from 'kysely'
import type { Database } from './database.js'

/** The shorter of two candidate keys must be this long before one may stand for the other. */
export const MIN_SHARED_CANDIDATE_PREFIX = 6

/**
 * The unknown-vendor app a candidate key belongs to. Exact key first; else a candidate whose key is a prefix
 * of this one or has it as a prefix ("synclayer" from synclayer.dev and "synclayerdirectorysync" from the
 * OAuth app "SyncLayer Directory Sync" are one vendor). The longest such key wins.
 */
export async function findCandidateApp(db: Kysely<Database>, key: string): Promise<{ id: number; candidateKey: string } | null> {
  const exact = await db.selectFrom('apps').select(['id', 'candidate_key']).where('candidate_key', '=', key).executeTakeFirst()
  if (exact) return { id: exact.id, candidateKey: key }
  if (key.length < MIN_SHARED_CANDIDATE_PREFIX) return null
  const all = await db.selectFrom('apps').select(['id', 'candidate_key']).where('candidate_key', 'is not', null).execute()
  let best: { id: number; candidateKey: string } | null = null
  for (const app of all) {
    const other = app.candidate_key!
    if (other.length < MIN_SHARED_CANDIDATE_PREFIX) continue
    if (!key.startsWith(other) && !other.startsWith(key)) continue
    if (!best || other.length > best.candidateKey.length) best = { id: app.id, candidateKey: other }
  }
  return best
}

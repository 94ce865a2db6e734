import type { Kysely } from 'kysely'
import type { Database } from './database.js'

/** The shorter of two candidate keys must be this long before one may stand for the other. */
export const MIN_SHARED_CANDIDATE_PREFIX = 6

function commonPrefixLength(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/**
 * Two keys name one vendor when one begins with the other, or when they share a long beginning that is most of
 * the shorter ("synclayerdev" from `SYNCLAYER DEV*` and "synclayerdirectorysync" from its OAuth app's name).
 */
export function sameVendor(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length)
  if (shorter < MIN_SHARED_CANDIDATE_PREFIX) return a === b
  const common = commonPrefixLength(a, b)
  return common === shorter || (common >= 8 && common >= 0.75 * shorter)
}

/**
 * The unknown-vendor app a candidate key belongs to. Exact key first; else a candidate of the same vendor
 * ("synclayer" from synclayer.dev and "synclayerdirectorysync" from the OAuth app "SyncLayer Directory Sync"
 * are one). The key sharing the longest beginning wins.
 */
export async function findCandidateApp(db: Kysely<Database>, key: string): Promise<{ id: number; candidateKey: string } | null> {
  const exact = await db.selectFrom('apps').select(['id', 'candidate_key']).where('candidate_key', '=', key).executeTakeFirst()
  if (exact) return { id: exact.id, candidateKey: key }
  if (key.length < MIN_SHARED_CANDIDATE_PREFIX) return null
  const all = await db.selectFrom('apps').select(['id', 'candidate_key']).where('candidate_key', 'is not', null).execute()
  let best: { id: number; candidateKey: string } | null = null
  for (const app of all) {
    const other = app.candidate_key!
    if (!sameVendor(key, other)) continue
    if (!best || commonPrefixLength(key, other) > commonPrefixLength(key, best.candidateKey)) best = { id: app.id, candidateKey: other }
  }
  return best
}

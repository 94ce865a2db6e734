import { generateKeyPairSync } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../../data/database.js'
import { loadCatalog } from '../../../data/catalog/index.js'
import { createResolver } from '../../../analyzer/resolve/index.js'
import type { SignalResolver } from '../../sdk/app-resolution.js'

/** The shipped resolver over the shipped catalog, as the CLI builds it (without a company's own entries). */
export function catalogResolver(): SignalResolver {
  return createResolver({ entries: loadCatalog().entries, overrides: [] })
}

export function rsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}

/** Small retry delays so fault tests run in milliseconds (Retry-After values still win). */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 }

export async function signinCounts(db: Kysely<Database>, source: string): Promise<{ events: number; distinct: number; rolledUp: number }> {
  const e = await db.selectFrom('signin_events').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('event_id').distinct().as('d')]).where('source', '=', source).executeTakeFirstOrThrow()
  const r = await db.selectFrom('signin_daily').select((eb) => eb.fn.sum<number>(eb('successes', '+', eb.ref('failures'))).as('n')).where('source', '=', source).executeTakeFirstOrThrow()
  return { events: Number(e.n), distinct: Number(e.d), rolledUp: Number(r.n ?? 0) }
}

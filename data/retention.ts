import type { Kysely } from 'kysely'
import type { Database } from './database.js'

export const DEFAULT_SIGNIN_RETENTION_DAYS = 400

/**
 * Expires raw sign-in events older than `before`. The daily rollups (written at import) stay, so last-used
 * dates and usage trends outlive the raw events — and the vendors' own retention (Entra 30, Okta 90, Google 180 days).
 */
export async function pruneSigninEvents(db: Kysely<Database>, options: { before: string }): Promise<{ signinEvents: number }> {
  const r = await db.deleteFrom('signin_events').where('occurred_at', '<', options.before).executeTakeFirst()
  return { signinEvents: Number(r.numDeletedRows) }
}

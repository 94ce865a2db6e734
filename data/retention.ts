import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import type { Database } from './database.js'

export const DEFAULT_SIGNIN_RETENTION_DAYS = 400

/** The settings row holding the prune horizon: raw sign-in events before it were expired. */
export const SIGNIN_PRUNE_HORIZON_KEY = 'signin.pruned_before'

/**
 * Expires raw sign-in events older than `before` and records the prune horizon (the latest `before` so far), in
 * one audited transaction. The daily rollups (written at import) stay, so last-used dates and usage trends
 * outlive the raw events — and the vendors' own retention (Entra 30, Okta 90, Google 180 days). Imports refuse
 * events older than the horizon from then on: with their raw rows gone they would insert again and be added
 * to the rollups a second time.
 */
export async function pruneSigninEvents(db: Kysely<Database>, options: { before: string; actor: Actor; now?: string }): Promise<{ signinEvents: number; horizon: string }> {
  const now = options.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const r = await tx.deleteFrom('signin_events').where('occurred_at', '<', options.before).executeTakeFirst()
    const previous = await signinPruneHorizon(tx)
    const horizon = previous && previous > options.before ? previous : options.before
    await tx
      .insertInto('settings')
      .values({ key: SIGNIN_PRUNE_HORIZON_KEY, value: horizon, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: horizon, updated_at: now }))
      .execute()
    const signinEvents = Number(r.numDeletedRows)
    await appendAuditEvent(tx, { actor: options.actor, action: 'signin.prune', subjectType: 'inventory', payload: { before: options.before, horizon, signinEvents }, occurredAt: now })
    return { signinEvents, horizon }
  })
}

/** The prune horizon (ISO-8601 UTC), or null if raw sign-ins were never pruned. */
export async function signinPruneHorizon(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SIGNIN_PRUNE_HORIZON_KEY).executeTakeFirst()
  return row?.value ?? null
}

/** Why an import left a sign-in out, as its summary counts it (`skippedBy`). */
export function beforeHorizonReason(horizon: string): string {
  return `older than the sign-in prune horizon ${horizon.slice(0, 10)} (raw events before it were expired; their days are already in the daily rollups)`
}

import { createHash, randomBytes } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { appendAuditEvent } from '../audit.js'
import type { Database } from '../database.js'

const DEFAULT_TTL_HOURS = 72

export function hashSignInToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A fresh single-use sign-in token for a reviewer; only its SHA-256 is stored. Returns the token. */
export async function mintSignInLink(
  db: Kysely<Database> | Transaction<Database>,
  options: { email: string; campaignId: number | null; now: string; ttlHours?: number },
): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  const expires = new Date(Date.parse(options.now) + (options.ttlHours ?? DEFAULT_TTL_HOURS) * 3_600_000).toISOString()
  await db
    .insertInto('reviewer_sign_in_links')
    .values({ email: options.email, token_hash: hashSignInToken(token), campaign_id: options.campaignId, created_at: options.now, expires_at: expires })
    .execute()
  return token
}

/**
 * Uses a sign-in link: the reviewer's email when the token is known, unused and unexpired, else null. Marking it
 * used and checking it are one conditional update, so two clicks of the same link sign in once.
 */
export async function consumeSignInLink(db: Kysely<Database>, token: string, now: string = new Date().toISOString()): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
  const tokenHash = hashSignInToken(token)
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('reviewer_sign_in_links')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'email', 'campaign_id'])
      .executeTakeFirst()
    if (!updated) return null
    await appendAuditEvent(tx, {
      actor: updated.email,
      action: 'reviewer.sign_in_link.use',
      subjectType: 'sign_in_link',
      subjectId: updated.id,
      payload: { campaignId: updated.campaign_id },
      occurredAt: now,
    })
    return updated.email
  })
}

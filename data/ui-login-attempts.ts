import type { Kysely } from 'kysely'
import { appendAuditEvent } from './audit.js'
import type { Database } from './database.js'
import { DEFAULT_LOGIN_RATE_LIMIT, type LoginRateLimit } from './login-rate-limit.js'

export { DEFAULT_LOGIN_RATE_LIMIT, type LoginRateLimit } from './login-rate-limit.js'

export const accountKey = (email: string): string => `account:${email.trim().toLowerCase()}`
export const addressKey = (address: string): string => `address:${address}`

export type RateLimitVerdict = { limited: false } | { limited: true; scope: 'account' | 'address'; retryAfterSeconds: number }

/**
 * Whether a sign-in for this account from this address may be tried now. An account's failures count from its
 * last successful sign-in (a user who got in is not held back by their earlier typos).
 */
export async function checkLoginRateLimit(
  db: Kysely<Database>,
  input: { email: string; address: string | null; now: string; limit?: LoginRateLimit },
): Promise<RateLimitVerdict> {
  const limit = input.limit ?? DEFAULT_LOGIN_RATE_LIMIT
  const windowStart = new Date(Date.parse(input.now) - limit.windowMinutes * 60_000).toISOString()
  const account = accountKey(input.email)
  const lastSuccess = await db
    .selectFrom('ui_login_attempts')
    .select((eb) => eb.fn.max('attempted_at').as('at'))
    .where('key', '=', account)
    .where('succeeded', '=', 1)
    .where('attempted_at', '>', windowStart)
    .executeTakeFirst()
  const since = lastSuccess?.at && lastSuccess.at > windowStart ? lastSuccess.at : windowStart
  const failures = async (key: string, from: string): Promise<{ n: number; oldest: string | null }> => {
    const row = await db
      .selectFrom('ui_login_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('attempted_at').as('oldest')])
      .where('key', '=', key)
      .where('succeeded', '=', 0)
      .where('attempted_at', '>', from)
      .executeTakeFirstOrThrow()
    return { n: Number(row.n), oldest: (row.oldest as string | null) ?? null }
  }
  const retryAfter = (oldest: string | null): number =>
    Math.max(1, Math.ceil((Date.parse(oldest ?? input.now) + limit.windowMinutes * 60_000 - Date.parse(input.now)) / 1000))
  const byAccount = await failures(account, since)
  if (byAccount.n >= limit.maxFailuresPerAccount) return { limited: true, scope: 'account', retryAfterSeconds: retryAfter(byAccount.oldest) }
  if (input.address) {
    const byAddress = await failures(addressKey(input.address), windowStart)
    if (byAddress.n >= limit.maxFailuresPerAddress) return { limited: true, scope: 'address', retryAfterSeconds: retryAfter(byAddress.oldest) }
  }
  return { limited: false }
}

/** Records a failed sign-in against the account and the address, with its audit event, in one transaction. */
export async function recordFailedSignIn(
  db: Kysely<Database>,
  input: { email: string; address: string | null; reason: 'bad-credentials' | 'disabled' | 'rate-limited' | 'sso-refused'; at: string },
): Promise<void> {
  const email = input.email.trim().toLowerCase().slice(0, 320)
  await db.transaction().execute(async (trx) => {
    // A refused (rate-limited) attempt is audited but not counted again, so a locked account unlocks on time.
    if (input.reason !== 'rate-limited') {
      const rows = [{ key: accountKey(email), attempted_at: input.at, succeeded: 0 }]
      if (input.address) rows.push({ key: addressKey(input.address), attempted_at: input.at, succeeded: 0 })
      await trx.insertInto('ui_login_attempts').values(rows).execute()
    }
    await appendAuditEvent(trx, {
      actor: 'system:ui', action: 'ui.signin.failed', subjectType: 'ui_user', subjectId: null,
      payload: { email, address: input.address, reason: input.reason }, occurredAt: input.at,
    })
  })
}

/** Housekeeping: attempts older than a day serve no limit. */
export async function pruneLoginAttempts(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('ui_login_attempts').where('attempted_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}

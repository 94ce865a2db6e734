import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { appendAuditEvent } from './audit.js'
import type { Database } from './database.js'
import type { UiSession, UiUser } from './tables/auth.table.js'

/** How long a session lives: `idleMinutes` after its last use (sliding), never past `absoluteHours` after sign-in. */
export interface SessionPolicy {
  idleMinutes: number
  absoluteHours: number
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({ idleMinutes: 8 * 60, absoluteHours: 7 * 24 })

/** Sliding the expiry is a write: do it at most this often per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** The CSRF token of a session, derived from its token (so only the hash of either is ever stored). */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update('sightline-csrf\0').update(sessionToken).digest('base64url')
}

export function csrfTokenMatches(session: Pick<UiSession, 'csrf_token_hash'>, submitted: string | undefined | null): boolean {
  if (!submitted || submitted.length > 200) return false
  const a = Buffer.from(sha256Hex(submitted), 'hex')
  const b = Buffer.from(session.csrf_token_hash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

const addMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString()
const minIso = (a: string, b: string): string => (a < b ? a : b)

export interface NewSession {
  /** Goes into the cookie and nowhere else. */
  token: string
  csrfToken: string
  session: UiSession
}

/** Starts a session for a user who just proved who they are; records the sign-in in the same transaction. */
export async function createSession(
  db: Kysely<Database>,
  input: { user: Pick<UiUser, 'id' | 'email'>; method: 'password' | 'oidc'; address: string | null; at: string; policy?: SessionPolicy },
): Promise<NewSession> {
  const policy = input.policy ?? DEFAULT_SESSION_POLICY
  const token = randomBytes(32).toString('base64url')
  const csrfToken = csrfTokenFor(token)
  const absolute = addMs(input.at, policy.absoluteHours * 3_600_000)
  const session: UiSession = {
    id: sha256Hex(token),
    user_id: input.user.id,
    created_at: input.at,
    expires_at: minIso(addMs(input.at, policy.idleMinutes * 60_000), absolute),
    absolute_expires_at: absolute,
    last_seen_at: input.at,
    csrf_token_hash: sha256Hex(csrfToken),
    auth_method: input.method,
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('ui_sessions').values(session).execute()
    await trx.updateTable('ui_users').set({ last_login_at: input.at }).where('id', '=', input.user.id).execute()
    await trx.insertInto('ui_login_attempts').values({ key: `account:${input.user.email}`, attempted_at: input.at, succeeded: 1 }).execute()
    await appendAuditEvent(trx, {
      actor: input.user.email, action: 'ui.signin', subjectType: 'ui_user', subjectId: input.user.id,
      payload: { method: input.method, address: input.address }, occurredAt: input.at,
    })
  })
  return { token, csrfToken, session }
}

export type SessionValidation = { session: UiSession; user: UiUser } | { session: null; user: null }

/**
 * The session and user a cookie token belongs to, or nulls when it is unknown, expired, or its user disabled.
 * Slides the idle expiry (at most once a minute), never past the absolute cap.
 */
export async function validateSessionToken(db: Kysely<Database>, token: string, now: string, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<SessionValidation> {
  if (!token || token.length > 100) return { session: null, user: null }
  const id = sha256Hex(token)
  const row = await db
    .selectFrom('ui_sessions')
    .innerJoin('ui_users', 'ui_users.id', 'ui_sessions.user_id')
    .select([
      'ui_sessions.id as s_id', 'ui_sessions.user_id as s_user_id', 'ui_sessions.created_at as s_created_at', 'ui_sessions.expires_at as s_expires_at',
      'ui_sessions.csrf_token_hash as s_csrf', 'ui_sessions.absolute_expires_at as s_absolute', 'ui_sessions.last_seen_at as s_last_seen',
      'ui_sessions.auth_method as s_method',
    ])
    .selectAll('ui_users')
    .where('ui_sessions.id', '=', id)
    .executeTakeFirst()
  if (!row) return { session: null, user: null }
  const absolute = row.s_absolute ?? row.s_expires_at
  if (row.s_expires_at <= now || absolute <= now || row.disabled !== 0) {
    await db.deleteFrom('ui_sessions').where('id', '=', id).execute()
    return { session: null, user: null }
  }
  let session: UiSession = {
    id: row.s_id, user_id: row.s_user_id, created_at: row.s_created_at, expires_at: row.s_expires_at, csrf_token_hash: row.s_csrf,
    absolute_expires_at: absolute, last_seen_at: row.s_last_seen, auth_method: row.s_method,
  }
  if (Date.parse(now) - Date.parse(row.s_last_seen ?? row.s_created_at) >= TOUCH_INTERVAL_MS) {
    const expires = minIso(addMs(now, policy.idleMinutes * 60_000), absolute)
    await db.updateTable('ui_sessions').set({ expires_at: expires, last_seen_at: now }).where('id', '=', id).execute()
    session = { ...session, expires_at: expires, last_seen_at: now }
  }
  const { s_id: _a, s_user_id: _b, s_created_at: _c, s_expires_at: _d, s_csrf: _e, s_absolute: _f, s_last_seen: _g, s_method: _h, ...user } = row
  return { session, user }
}

export async function endSession(db: Kysely<Database>, input: { sessionId: string; actor: string; userId: number; at: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('ui_sessions').where('id', '=', input.sessionId).execute()
    await appendAuditEvent(trx, { actor: input.actor, action: 'ui.signout', subjectType: 'ui_user', subjectId: input.userId, occurredAt: input.at })
  })
}

/** Sign out everywhere: every session of the user ends, this one included. Returns how many ended. */
export async function endAllSessions(db: Kysely<Database>, input: { userId: number; actor: string; at: string }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('ui_sessions').where('user_id', '=', input.userId).executeTakeFirst()
    const ended = Number(result.numDeletedRows)
    await appendAuditEvent(trx, { actor: input.actor, action: 'ui.signout.everywhere', subjectType: 'ui_user', subjectId: input.userId, payload: { sessions: ended }, occurredAt: input.at })
    return ended
  })
}

export async function countSessions(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db.selectFrom('ui_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Housekeeping: drops expired sessions. */
export async function deleteExpiredSessions(db: Kysely<Database>, now: string): Promise<number> {
  const result = await db.deleteFrom('ui_sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}

import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'
import type { Database } from './database.js'
import type { Role, UiUser } from './tables/auth.table.js'

export const ROLES: readonly Role[] = ['admin', 'it', 'finance', 'reviewer', 'auditor']

/**
 * scrypt, memory-hard: N = 2^15, r = 8, p = 1 (32 MiB per hash, about 0.1 s here), 16-byte salt, 32-byte key.
 * The parameters travel inside each stored hash, so raising them later keeps old hashes verifiable.
 */
export const SCRYPT_PARAMS = { logN: 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const

/** Passwords shorter than this are refused (NIST SP 800-63B asks for at least 8; we ask for a passphrase). */
export const MIN_PASSWORD_LENGTH = 12
const MAX_PASSWORD_LENGTH = 1024

/** The domain error for each kind of refusal (data/errors.ts): the CLI maps them to exit codes, the web app to statuses. */
function userError(message: string, kind: 'not-found' | 'invalid' | 'conflict'): Error {
  return kind === 'not-found' ? new NotFoundError(message) : kind === 'conflict' ? new ConflictError(message) : new InvalidInputError(message)
}

function scrypt(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

function scryptOptions(logN: number, r: number, p: number): ScryptOptions {
  // maxmem must exceed 128 * N * r bytes, or node refuses the parameters.
  return { N: 2 ** logN, r, p, maxmem: 128 * 2 ** logN * r + 16 * 1024 * 1024 }
}

export async function hashPassword(password: string): Promise<string> {
  checkPassword(password)
  const { logN, r, p, saltBytes, keyBytes } = SCRYPT_PARAMS
  const salt = randomBytes(saltBytes)
  const key = await scrypt(password, salt, keyBytes, scryptOptions(logN, r, p))
  return `scrypt$${logN}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Constant-time comparison; a malformed stored hash verifies as false, never throws. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![logN, r, p].every(Number.isInteger) || logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false
  const salt = Buffer.from(parts[4]!, 'base64')
  const expected = Buffer.from(parts[5]!, 'base64')
  if (expected.length < 16 || password.length > MAX_PASSWORD_LENGTH) return false
  const key = await scrypt(password, salt, expected.length, scryptOptions(logN, r, p))
  return timingSafeEqual(key, expected)
}

/** A real hash of a random password: verifying against it costs what a real check costs (no user-exists timing leak). */
let decoyHash: Promise<string> | null = null
export function decoyPasswordHash(): Promise<string> {
  return (decoyHash ??= hashPassword(randomBytes(18).toString('base64')))
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw userError(`password: at least ${MIN_PASSWORD_LENGTH} characters, please`, 'invalid')
  if (password.length > MAX_PASSWORD_LENGTH) throw userError(`password: at most ${MAX_PASSWORD_LENGTH} characters`, 'invalid')
}

export function normalizeEmail(email: string): string {
  const value = email.trim().toLowerCase()
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || value.length > 320) throw userError(`email ${JSON.stringify(email)}: not an email address`, 'invalid')
  return value
}

export function parseRole(value: string): Role {
  if (!ROLES.includes(value as Role)) throw userError(`role ${JSON.stringify(value)}: expected one of ${ROLES.join(', ')}`, 'invalid')
  return value as Role
}

/** What pages and the CLI show of a user: never the hash. */
export interface UiUserView {
  id: number
  email: string
  name: string | null
  role: Role
  disabled: boolean
  hasPassword: boolean
  singleSignOn: boolean
  createdAt: string
  lastLoginAt: string | null
}

export function toUserView(row: UiUser): UiUserView {
  return {
    id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled !== 0, hasPassword: row.password_hash !== null,
    singleSignOn: row.oidc_subject !== null, createdAt: row.created_at, lastLoginAt: row.last_login_at,
  }
}

type Db = Kysely<Database> | Transaction<Database>

export async function findUserByEmail(db: Db, email: string): Promise<UiUser | undefined> {
  return db.selectFrom('ui_users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst()
}

export async function findUserById(db: Db, id: number): Promise<UiUser | undefined> {
  return db.selectFrom('ui_users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listUsers(db: Db): Promise<UiUserView[]> {
  const rows = await db.selectFrom('ui_users').selectAll().orderBy('email').execute()
  return rows.map(toUserView)
}

export interface AddUserInput {
  email: string
  role: Role
  name?: string | null
  /** Omit for a user who signs in only with single sign-on. There is never a default password. */
  password?: string | null
  /** A hash from `hashPassword` (made once and reused, e.g. by tests), instead of `password`. */
  passwordHash?: string | null
  oidc?: { issuer: string; subject: string } | null
  actor: Actor
  at: string
}

export async function addUser(db: Kysely<Database>, input: AddUserInput): Promise<UiUserView> {
  const email = normalizeEmail(input.email)
  const role = parseRole(input.role)
  if (input.passwordHash != null && !input.passwordHash.startsWith('scrypt$')) throw userError('password hash: not a scrypt hash', 'invalid')
  const passwordHash = input.passwordHash ?? (input.password == null ? null : await hashPassword(input.password))
  return db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, email)) throw userError(`user ${email}: already exists`, 'conflict')
    const row = await trx
      .insertInto('ui_users')
      .values({
        email, role, name: input.name?.trim() || null, password_hash: passwordHash, disabled: 0, created_at: input.at, updated_at: input.at,
        password_changed_at: passwordHash ? input.at : null, oidc_issuer: input.oidc?.issuer ?? null, oidc_subject: input.oidc?.subject ?? null,
        last_login_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAuditEvent(trx, {
      actor: input.actor, action: 'ui.user.add', subjectType: 'ui_user', subjectId: row.id,
      payload: { email, role, password: passwordHash !== null, singleSignOn: input.oidc != null }, occurredAt: input.at,
    })
    return toUserView(row)
  })
}

async function requireUser(trx: Db, email: string): Promise<UiUser> {
  const user = await findUserByEmail(trx, email)
  if (!user) throw userError(`user ${email.trim().toLowerCase()}: no such user`, 'not-found')
  return user
}

export async function setUserRole(db: Kysely<Database>, input: { email: string; role: Role; actor: Actor; at: string }): Promise<UiUserView> {
  const role = parseRole(input.role)
  return db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, input.email)
    if (user.role === role) return toUserView(user)
    await guardLastAdmin(trx, user, role !== 'admin')
    const row = await trx.updateTable('ui_users').set({ role, updated_at: input.at }).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow()
    // A role change ends the user's sessions: a page cached under the old role must not keep working.
    await trx.deleteFrom('ui_sessions').where('user_id', '=', user.id).execute()
    await appendAuditEvent(trx, {
      actor: input.actor, action: 'ui.user.role.set', subjectType: 'ui_user', subjectId: user.id,
      payload: { email: user.email, from: user.role, to: role }, occurredAt: input.at,
    })
    return toUserView(row)
  })
}

export async function setUserDisabled(db: Kysely<Database>, input: { email: string; disabled: boolean; actor: Actor; at: string }): Promise<UiUserView> {
  return db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, input.email)
    if ((user.disabled !== 0) === input.disabled) return toUserView(user)
    if (input.disabled) await guardLastAdmin(trx, user, true)
    const row = await trx
      .updateTable('ui_users')
      .set({ disabled: input.disabled ? 1 : 0, updated_at: input.at })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (input.disabled) await trx.deleteFrom('ui_sessions').where('user_id', '=', user.id).execute()
    await appendAuditEvent(trx, {
      actor: input.actor, action: input.disabled ? 'ui.user.disable' : 'ui.user.enable', subjectType: 'ui_user', subjectId: user.id,
      payload: { email: user.email }, occurredAt: input.at,
    })
    return toUserView(row)
  })
}

export async function setUserPassword(db: Kysely<Database>, input: { email: string; password: string; actor: Actor; at: string }): Promise<void> {
  const hash = await hashPassword(input.password)
  await db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, input.email)
    await trx.updateTable('ui_users').set({ password_hash: hash, password_changed_at: input.at, updated_at: input.at }).where('id', '=', user.id).execute()
    // A new password signs the user out everywhere.
    await trx.deleteFrom('ui_sessions').where('user_id', '=', user.id).execute()
    await appendAuditEvent(trx, { actor: input.actor, action: 'ui.user.password.set', subjectType: 'ui_user', subjectId: user.id, payload: { email: user.email }, occurredAt: input.at })
  })
}

/** Never leave the instance without an enabled admin: nobody could then manage users from the web app. */
async function guardLastAdmin(trx: Db, user: UiUser, removing: boolean): Promise<void> {
  if (!removing || user.role !== 'admin' || user.disabled !== 0) return
  const others = await trx
    .selectFrom('ui_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('id', '<>', user.id)
    .executeTakeFirstOrThrow()
  if (Number(others.n) === 0) throw userError(`user ${user.email}: the last enabled admin cannot be disabled or demoted`, 'conflict')
}

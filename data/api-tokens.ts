import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import type { Database } from './database.js'

/** Every token starts with this, so a leaked one is recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = 'slt_'
/** A device reports its last use at most this often: a write per request would cost more than the request. */
const LAST_USED_EVERY_MS = 60_000

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export interface ApiTokenInfo {
  id: number
  name: string
  kind: 'device' | 'api'
  deviceId: string | null
  createdBy: string | null
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** The token is returned once, here; only its SHA-256 is stored. */
export interface CreatedToken {
  token: string
  info: ApiTokenInfo
}

function toInfo(row: { id: number; name: string; kind: 'device' | 'api'; device_id: string | null; created_by: string | null; created_at: string; last_used_at: string | null; revoked_at: string | null }): ApiTokenInfo {
  return { id: row.id, name: row.name, kind: row.kind, deviceId: row.device_id, createdBy: row.created_by, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at }
}

const DEVICE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,99}$/u

/**
 * A device token for the browser extension (or a fleet of them: one enrolment token may be shared by the devices
 * of a deployment; each device still names itself by the device id the token carries). Audited in the same
 * transaction; the audit payload names the token, never its value or hash.
 */
export async function createDeviceToken(db: Kysely<Database>, input: { name: string; actor: Actor; now?: string }): Promise<CreatedToken> {
  const name = input.name.trim()
  if (!DEVICE_NAME.test(name)) throw new Error(`tokens: create: device name ${JSON.stringify(input.name)}: use 1–100 letters, digits, spaces, . _ @ -`)
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const at = input.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const taken = await tx.selectFrom('api_tokens').select('id').where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst()
    if (taken) throw new Error(`tokens: create: an active token named ${JSON.stringify(name)} exists (id ${taken.id}); revoke it first`)
    const row = await tx
      .insertInto('api_tokens')
      .values({ name, kind: 'device', token_hash: hashToken(token), device_id: name, person_email: null, created_by: input.actor, created_at: at, last_used_at: null, revoked_at: null })
      .returning(['id', 'name', 'kind', 'device_id', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
      .executeTakeFirstOrThrow()
    await appendAuditEvent(tx, { actor: input.actor, action: 'api_token.create', subjectType: 'api_token', subjectId: row.id, payload: { name, kind: 'device' }, occurredAt: at })
    return { token, info: toInfo(row) }
  })
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'kind', 'device_id', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
    .orderBy('id')
    .execute()
  return rows.map(toInfo)
}

/** Revokes by id or by the name of the active token; revoking twice is an error, so the caller knows. */
export async function revokeApiToken(db: Kysely<Database>, input: { idOrName: string; actor: Actor; now?: string }): Promise<ApiTokenInfo> {
  const at = input.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const byId = /^\d+$/.test(input.idOrName)
    let query = tx.selectFrom('api_tokens').select(['id', 'name', 'kind', 'device_id', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
    query = byId ? query.where('id', '=', Number(input.idOrName)) : query.where('name', '=', input.idOrName).where('revoked_at', 'is', null)
    const row = await query.executeTakeFirst()
    if (!row) throw new Error(`tokens: revoke: no ${byId ? '' : 'active '}token ${JSON.stringify(input.idOrName)}`)
    if (row.revoked_at) throw new Error(`tokens: revoke: token ${row.id} (${row.name}) was revoked at ${row.revoked_at}`)
    await tx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', row.id).execute()
    await appendAuditEvent(tx, { actor: input.actor, action: 'api_token.revoke', subjectType: 'api_token', subjectId: row.id, payload: { name: row.name, kind: row.kind }, occurredAt: at })
    return toInfo({ ...row, revoked_at: at })
  })
}

export interface AuthenticatedDevice {
  tokenId: number
  name: string
  deviceId: string
}

/**
 * The device a bearer token belongs to, or null for an unknown, malformed or revoked one. Looked up by hash
 * (the unique index), then compared in constant time; the last use is written at most once a minute.
 */
export async function authenticateDeviceToken(db: Kysely<Database>, presented: string, now: string = new Date().toISOString()): Promise<AuthenticatedDevice | null> {
  if (!presented.startsWith(TOKEN_PREFIX) || presented.length > 200) return null
  const hash = hashToken(presented)
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'kind', 'device_id', 'token_hash', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst()
  if (!row || row.kind !== 'device' || row.revoked_at !== null) return null
  if (!timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(hash, 'hex'))) return null
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) >= LAST_USED_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute()
  }
  return { tokenId: row.id, name: row.name, deviceId: row.device_id ?? row.name }
}

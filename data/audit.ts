import { createHash } from 'node:crypto'
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './database.js'
import type { AuditEvent } from './tables/audit.table.js'

/** Who did it: a UI user's email, `cli:<os user>`, `system:analyzer`, `system:scheduler`, `device:<token id>` … */
export type Actor = string

/** The chain starts from this hash, so the first event's link is checkable like every other. */
export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEventInput {
  actor: Actor
  /** Dotted verb, subject first: `app.status.set`, `finding.status.set`, `campaign.launch`, `import.spend` … */
  action: string
  subjectType?: string | null
  subjectId?: string | number | null
  /** What changed (old and new values, counts, reasons). Never secrets, password hashes or session ids. */
  payload?: Record<string, unknown>
  /** Defaults to now; tests and replays pass a fixed time. */
  occurredAt?: string
}

/** Keys sorted at every depth, no whitespace: the same event always hashes to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('audit: canonical JSON: non-finite number')
    return JSON.stringify(value ?? null)
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** The fields a hash covers: everything in the row but the hash itself. */
export interface HashedAuditFields {
  seq: number
  occurred_at: string
  actor: string
  action: string
  subject_type: string | null
  subject_id: string | null
  payload: string
}

export function auditEventHash(prevHash: string, event: HashedAuditFields): string {
  const canonical = canonicalJson({
    seq: event.seq,
    occurred_at: event.occurred_at,
    actor: event.actor,
    action: event.action,
    subject_type: event.subject_type,
    subject_id: event.subject_id,
    payload: event.payload,
  })
  return createHash('sha256').update(prevHash).update(canonical).digest('hex')
}

/** A lock key of our own for PostgreSQL's transaction-scoped advisory lock ("SLAU" in ASCII). */
const AUDIT_LOCK_KEY = 0x534c4155

/**
 * Appends one event to the hash chain. Call it with the transaction that makes the change it records, so the
 * change and its audit event commit or roll back together. Appends are serialised (PostgreSQL: an advisory
 * lock held to the end of the transaction; SQLite: one writer at a time), so the chain never forks.
 */
export async function appendAuditEvent(db: Kysely<Database> | Transaction<Database>, input: AuditEventInput): Promise<AuditEvent> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(db)
  const last = await db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
  const fields: HashedAuditFields = {
    seq: (last?.seq ?? 0) + 1,
    occurred_at: input.occurredAt ?? new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    subject_type: input.subjectType ?? null,
    subject_id: input.subjectId == null ? null : String(input.subjectId),
    payload: canonicalJson(input.payload ?? {}),
  }
  const prevHash = last?.hash ?? GENESIS_HASH
  const row: AuditEvent = { ...fields, prev_hash: prevHash, hash: auditEventHash(prevHash, fields) }
  await db.insertInto('audit_events').values(row).execute()
  return row
}

export interface ChainCheck {
  ok: boolean
  checked: number
  /** The first event whose link or hash does not hold, and why. */
  brokenAt?: { seq: number; reason: string }
}

/** Walks events in order and names the first broken link. Works on rows from the database or from an export. */
export function verifyAuditChain(events: Iterable<AuditEvent>, startHash: string = GENESIS_HASH, startSeq = 0): ChainCheck {
  let prev = startHash
  let expectedSeq = startSeq + 1
  let checked = 0
  for (const event of events) {
    if (event.seq !== expectedSeq) {
      return { ok: false, checked, brokenAt: { seq: event.seq, reason: `expected event ${expectedSeq} here, found ${event.seq} (missing or reordered events)` } }
    }
    if (event.prev_hash !== prev) {
      return { ok: false, checked, brokenAt: { seq: event.seq, reason: 'prev_hash does not match the hash of the event before it' } }
    }
    const recomputed = auditEventHash(prev, event)
    if (recomputed !== event.hash) {
      return { ok: false, checked, brokenAt: { seq: event.seq, reason: 'the event was changed after it was written (hash mismatch)' } }
    }
    prev = event.hash
    expectedSeq += 1
    checked += 1
  }
  return { ok: true, checked }
}

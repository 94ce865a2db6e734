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

function isPostgres(db: Kysely<Database> | Transaction<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

/**
 * Appends one event to the hash chain. Call it with the transaction that makes the change it records, so the
 * change and its audit event commit or roll back together (given the bare database, it opens a transaction of
 * its own). Appends are serialised, so the chain never forks: on PostgreSQL an advisory lock held to the end of
 * the transaction (READ COMMITTED, so the read after it sees the last committed event); on SQLite the write
 * lock, taken by a no-op write before reading the last event, so a second process waits (busy_timeout) instead
 * of reading the same last event. The primary key on `seq` makes a fork impossible even if both were bypassed.
 */
export async function appendAuditEvent(db: Kysely<Database> | Transaction<Database>, input: AuditEventInput): Promise<AuditEvent> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAuditEvent(trx, input))
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(db)
  else await sql`update audit_events set seq = seq where 0`.execute(db)
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

export interface ChainBreak {
  seq: number
  reason: string
}

export interface ChainCheck {
  ok: boolean
  checked: number
  /** The first event whose link or hash does not hold, and why. */
  brokenAt?: ChainBreak
}

/** Checks events one at a time, in order, so a chain of any length is walked in constant memory. */
export class AuditChainWalker {
  private prev: string
  private expectedSeq: number
  checked = 0
  brokenAt: ChainBreak | undefined
  lastHash: string
  lastSeq: number

  constructor(startHash: string = GENESIS_HASH, startSeq = 0) {
    this.prev = startHash
    this.lastHash = startHash
    this.lastSeq = startSeq
    this.expectedSeq = startSeq + 1
  }

  /** Returns false (and records why) at the first broken link; later events are not looked at. */
  push(event: AuditEvent): boolean {
    if (this.brokenAt) return false
    if (event.seq !== this.expectedSeq) {
      this.brokenAt = { seq: event.seq, reason: `expected event ${this.expectedSeq} here, found ${event.seq} (missing or reordered events)` }
    } else if (event.prev_hash !== this.prev) {
      this.brokenAt = { seq: event.seq, reason: 'prev_hash does not match the hash of the event before it' }
    } else if (auditEventHash(this.prev, event) !== event.hash) {
      this.brokenAt = { seq: event.seq, reason: 'the event was changed after it was written (hash mismatch)' }
    }
    if (this.brokenAt) return false
    this.prev = event.hash
    this.lastHash = event.hash
    this.lastSeq = event.seq
    this.expectedSeq += 1
    this.checked += 1
    return true
  }

  result(): ChainCheck {
    return this.brokenAt ? { ok: false, checked: this.checked, brokenAt: this.brokenAt } : { ok: true, checked: this.checked }
  }
}

/** Walks events in order and names the first broken link. Works on rows from the database or from an export. */
export function verifyAuditChain(events: Iterable<AuditEvent>, startHash: string = GENESIS_HASH, startSeq = 0): ChainCheck {
  const walker = new AuditChainWalker(startHash, startSeq)
  for (const event of events) if (!walker.push(event)) break
  return walker.result()
}

const PAGE = 5000

/** Every stored event in chain order, a page at a time (keyset on seq). */
export async function* readAuditEvents(db: Kysely<Database>, range: { afterSeq?: number; throughSeq?: number } = {}): AsyncGenerator<AuditEvent> {
  let after = range.afterSeq ?? 0
  for (;;) {
    let q = db.selectFrom('audit_events').selectAll().where('seq', '>', after)
    if (range.throughSeq !== undefined) q = q.where('seq', '<=', range.throughSeq)
    const rows = await q.orderBy('seq').limit(PAGE).execute()
    for (const row of rows) yield row
    if (rows.length < PAGE) return
    after = rows.at(-1)!.seq
  }
}

export interface StoredChainCheck extends ChainCheck {
  /** Events stored (the last seq), whether or not the chain holds. */
  events: number
  /** Hash of the last event that checked out: the value to write down and compare later. */
  headHash: string
  headAt: string | null
}

/** `sightline audit verify`: walks the whole stored chain from the genesis hash and names the first broken link. */
export async function verifyStoredAuditChain(db: Kysely<Database>): Promise<StoredChainCheck> {
  const walker = new AuditChainWalker()
  let headAt: string | null = null
  for await (const event of readAuditEvents(db)) {
    if (!walker.push(event)) break
    headAt = event.occurred_at
  }
  const last = await db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst()
  return { ...walker.result(), events: last?.seq ?? 0, headHash: walker.lastHash, headAt }
}

export interface AuditListFilter {
  /** Events at or after this instant (ISO-8601 UTC, or a date meaning its midnight UTC). */
  since?: string
  /** Events before this instant. */
  until?: string
  actor?: string
  /** An exact action, or a prefix ending in `*` (`campaign.*`). */
  action?: string
  limit?: number
}

/** Normalises a user-typed date or instant to ISO-8601 UTC; throws with the field name when it is not one. */
export function parseAuditInstant(field: string, value: string): string {
  const text = value.trim()
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(Number.NaN)
  if (Number.isNaN(date.getTime())) throw new RangeError(`audit: ${field}: expected a date (YYYY-MM-DD) or an ISO-8601 time, got ${JSON.stringify(value)}`)
  return date.toISOString()
}

/** `sightline audit list`: events in chain order, filtered; the newest `limit` when a limit is given. */
export async function listAuditEvents(db: Kysely<Database>, filter: AuditListFilter = {}): Promise<AuditEvent[]> {
  let q = db.selectFrom('audit_events').selectAll()
  if (filter.since) q = q.where('occurred_at', '>=', parseAuditInstant('since', filter.since))
  if (filter.until) q = q.where('occurred_at', '<', parseAuditInstant('until', filter.until))
  if (filter.actor) q = q.where('actor', '=', filter.actor.trim())
  if (filter.action) {
    const action = filter.action.trim()
    if (action.endsWith('*')) {
      const prefix = action.slice(0, -1)
      // substr compare, not LIKE: an action prefix may contain `_` or `%`
      q = q.where(sql<string>`substr(action, 1, ${prefix.length})`, '=', prefix)
    } else q = q.where('action', '=', action)
  }
  if (filter.limit !== undefined) {
    const newest = await q.orderBy('seq', 'desc').limit(filter.limit).execute()
    return newest.reverse()
  }
  return q.orderBy('seq').execute()
}

export interface AuditSegment {
  /** First and last seq of the contiguous run of events that covers the period (null when there are none). */
  fromSeq: number | null
  throughSeq: number | null
  /** The hash of the event just before the segment (the genesis hash when it starts the chain): the anchor. */
  anchorHash: string
  anchorSeq: number
}

/**
 * The contiguous stretch of the chain that holds every event with `from <= occurred_at < to`. It is by seq, not
 * by time, so the segment verifies on its own from its anchor even if clocks made two events' times cross.
 */
export async function auditSegmentForPeriod(db: Kysely<Database>, from: string, to: string): Promise<AuditSegment> {
  const bounds = await db
    .selectFrom('audit_events')
    .select((eb) => [eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')])
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .executeTakeFirst()
  const first = bounds?.first == null ? null : Number(bounds.first)
  const last = bounds?.last == null ? null : Number(bounds.last)
  if (first === null || last === null) {
    const before = await db.selectFrom('audit_events').select(['seq', 'hash']).where('occurred_at', '<', from).orderBy('seq', 'desc').limit(1).executeTakeFirst()
    return { fromSeq: null, throughSeq: null, anchorHash: before?.hash ?? GENESIS_HASH, anchorSeq: before?.seq ?? 0 }
  }
  const anchor = await db.selectFrom('audit_events').select(['seq', 'hash']).where('seq', '=', first - 1).executeTakeFirst()
  return { fromSeq: first, throughSeq: last, anchorHash: anchor?.hash ?? GENESIS_HASH, anchorSeq: first - 1 }
}

import type { Kysely } from 'kysely'
import { auditSegmentForPeriod, readAuditEvents, type AuditSegment } from '../audit.js'
import type { Database } from '../database.js'
import type { AuditEvent } from '../tables/audit.table.js'
import { inventoryAsOf, personStatusAt, type AccessAsOf, type InventoryAsOf } from './inventory-as-of.js'

export interface Period {
  /** As typed, normalised: `2026-Q3`, `2026-07`, `2026`. */
  label: string
  /** Start (inclusive) and end (exclusive), ISO-8601 UTC. */
  from: string
  to: string
  /** The last instant inside the period: what "as of the end of the period" means. */
  asOf: string
}

/** The quarter an instant falls in, as `2026-Q4`. */
export function quarterOf(iso: string): string {
  return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`
}

/** `2026-Q3`, `2026-07` or `2026`; anything else is refused with the accepted forms. */
export function parsePeriod(text: string): Period {
  const t = text.trim().toUpperCase()
  let from: Date
  let to: Date
  let m: RegExpExecArray | null
  if ((m = /^(\d{4})-Q([1-4])$/.exec(t))) {
    from = new Date(Date.UTC(Number(m[1]), (Number(m[2]) - 1) * 3, 1))
    to = new Date(Date.UTC(Number(m[1]), Number(m[2]) * 3, 1))
  } else if ((m = /^(\d{4})-(\d{2})$/.exec(t)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))
    to = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1))
  } else if ((m = /^(\d{4})$/.exec(t))) {
    from = new Date(Date.UTC(Number(m[1]), 0, 1))
    to = new Date(Date.UTC(Number(m[1]) + 1, 0, 1))
  } else {
    throw new RangeError(`evidence: period ${JSON.stringify(text)}: expected a quarter (2026-Q3), a month (2026-07) or a year (2026)`)
  }
  return { label: t, from: from.toISOString(), to: to.toISOString(), asOf: new Date(to.getTime() - 1).toISOString() }
}

export interface LeaverHolding {
  person_email: string
  person_name: string | null
  department: string | null
  end_date: string | null
  app: string
  via: string
  last_signin_at: string | null
}

export interface RunInPeriod {
  run_id: number
  collector: string
  source_key: string
  mode: string
  status: string
  started_at: string
  finished_at: string | null
  file_name: string | null
  file_sha256: string | null
  counts: string
  error: string | null
}

export interface PeriodEvidence {
  period: Period
  inventory: InventoryAsOf
  leavers: { person_email: string; person_name: string | null; department: string | null; end_date: string | null; apps_still_held: number }[]
  leaverHoldings: LeaverHolding[]
  runs: RunInPeriod[]
  segment: AuditSegment
  actions: { action: string; events: number }[]
}

/** People who left by the end of the period (end date in or before it) and the access they still held then. */
function leaversOf(inventory: InventoryAsOf, people: { email: string; name: string | null; department: string | null; status: string; start_date: string | null; end_date: string | null }[], period: Period) {
  const held = new Map<string, AccessAsOf[]>()
  for (const row of inventory.access) if (row.person_status === 'terminated') held.set(row.person_email, [...(held.get(row.person_email) ?? []), row])
  const leavers = people
    .filter((p) => personStatusAt(p, period.asOf) === 'terminated' && (p.end_date === null || p.end_date >= period.from.slice(0, 10) || held.has(p.email)))
    .map((p) => ({ person_email: p.email, person_name: p.name, department: p.department, end_date: p.end_date, apps_still_held: held.get(p.email)?.length ?? 0 }))
    .sort((a, b) => b.apps_still_held - a.apps_still_held || (a.person_email < b.person_email ? -1 : 1))
  const byEmail = new Map(people.map((p) => [p.email, p]))
  const holdings: LeaverHolding[] = []
  for (const l of leavers) {
    for (const row of held.get(l.person_email) ?? []) {
      const p = byEmail.get(l.person_email)
      holdings.push({ person_email: l.person_email, person_name: p?.name ?? null, department: p?.department ?? null, end_date: p?.end_date ?? null, app: row.app, via: row.via, last_signin_at: row.last_signin_at })
    }
  }
  return { leavers, holdings }
}

export async function readPeriodEvidence(db: Kysely<Database>, period: Period): Promise<PeriodEvidence> {
  const inventory = await inventoryAsOf(db, period.asOf)
  const people = (await db.selectFrom('people').select(['email', 'name', 'department', 'status', 'start_date', 'end_date']).execute()).map((p) => ({ ...p, email: p.email.toLowerCase() }))
  const { leavers, holdings } = leaversOf(inventory, people, period)
  const runs = await db
    .selectFrom('scan_runs')
    .select(['id as run_id', 'collector', 'source_key', 'mode', 'status', 'started_at', 'finished_at', 'file_name', 'file_sha256', 'counts', 'error'])
    .where('started_at', '>=', period.from)
    .where('started_at', '<', period.to)
    .orderBy('started_at')
    .orderBy('id')
    .execute()
  const segment = await auditSegmentForPeriod(db, period.from, period.to)
  const actions = (
    await db
      .selectFrom('audit_events')
      .select((eb) => ['action', eb.fn.countAll<number>().as('events')])
      .where('occurred_at', '>=', period.from)
      .where('occurred_at', '<', period.to)
      .groupBy('action')
      .orderBy('action')
      .execute()
  ).map((r) => ({ action: r.action, events: Number(r.events) }))
  return { period, inventory, leavers, leaverHoldings: holdings, runs, segment, actions }
}

/** The segment's events in chain order (for audit/events.jsonl), read a page at a time. */
export function segmentEvents(db: Kysely<Database>, segment: AuditSegment): AsyncGenerator<AuditEvent> {
  if (segment.fromSeq === null || segment.throughSeq === null) return (async function* () {})()
  return readAuditEvents(db, { afterSeq: segment.anchorSeq, throughSeq: segment.throughSeq })
}

// The one writer of `findings`: the analyzer's reconciliation of what is true now, and the triage people do
// (acknowledge, suppress, reopen) with its audit event; plus the list the front ends read.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import { appendAuditEvent, type Actor } from './audit.js'
import type { Database } from './database.js'
import { InvalidInputError, NotFoundError } from './errors.js'
import type { Finding, FindingStatus, Severity } from './tables/findings.table.js'

export const FINDING_STATUSES: readonly FindingStatus[] = ['open', 'acknowledged', 'resolved', 'suppressed']
/** What a person may set; `resolved` belongs to the analyzer (the condition cleared). */
export const TRIAGE_STATUSES = ['open', 'acknowledged', 'suppressed'] as const
export type TriageStatus = (typeof TRIAGE_STATUSES)[number]
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

/** Largest page `listFindings` returns. */
export const MAX_FINDINGS_PAGE = 1000

export interface FindingListQuery {
  kinds?: readonly string[]
  /** Default: open and acknowledged. */
  statuses?: readonly FindingStatus[]
  severities?: readonly Severity[]
  subjectType?: Finding['subject_type']
  /** Case-insensitive substring of the title or subject key. */
  search?: string
  /** 1..MAX_FINDINGS_PAGE; default: every matching row. */
  limit?: number
  offset?: number
}

export interface FindingRow {
  id: number
  kind: string
  severity: Severity
  score: number
  status: FindingStatus
  title: string
  subjectType: Finding['subject_type']
  subjectKey: string
  subjectId: number | null
  /** Parsed from the stored JSON. */
  evidence: unknown
  recommendation: string
  firstDetectedAt: string
  lastDetectedAt: string
  resolvedAt: string | null
  /** The reason given with the last status change, who gave it and when. */
  statusComment: string | null
  statusBy: string | null
  statusAt: string | null
}

export interface FindingPage {
  rows: FindingRow[]
  total: number
}

/** critical first; the order the list is sorted in, as SQL, so paging never loads the whole table. */
const SEVERITY_RANK = sql<number>`case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end`

function toRow(f: Finding): FindingRow {
  return {
    id: f.id, kind: f.kind, severity: f.severity, score: Number(f.score), status: f.status, title: f.title,
    subjectType: f.subject_type, subjectKey: f.subject_key, subjectId: f.subject_id, evidence: JSON.parse(f.evidence) as unknown,
    recommendation: f.recommendation, firstDetectedAt: f.first_detected_at, lastDetectedAt: f.last_detected_at, resolvedAt: f.resolved_at,
    statusComment: f.status_comment, statusBy: f.status_by, statusAt: f.status_at,
  }
}

/**
 * Findings most important first (severity, then the module's score, then subject key and id for a stable
 * order), filtered and paged in SQL. Throws InvalidInputError for an unknown status or severity or a bad page bound.
 */
export async function listFindings(db: Kysely<Database>, query: FindingListQuery = {}): Promise<FindingPage> {
  const statuses = query.statuses ?? ['open', 'acknowledged']
  for (const s of statuses) if (!FINDING_STATUSES.includes(s)) throw new InvalidInputError(`status ${s}: expected one of ${FINDING_STATUSES.join(', ')}`)
  for (const s of query.severities ?? []) if (!SEVERITIES.includes(s)) throw new InvalidInputError(`severity ${s}: expected one of ${SEVERITIES.join(', ')}`)
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_FINDINGS_PAGE)) {
    throw new InvalidInputError(`limit ${query.limit}: expected a whole number from 1 to ${MAX_FINDINGS_PAGE}`)
  }
  const offset = query.offset ?? 0
  if (!Number.isInteger(offset) || offset < 0) throw new InvalidInputError(`offset ${offset}: expected a whole number ≥ 0`)

  let q = db.selectFrom('findings').where('status', 'in', [...statuses])
  if (query.kinds?.length) q = q.where('kind', 'in', [...query.kinds])
  if (query.severities?.length) q = q.where('severity', 'in', [...query.severities])
  if (query.subjectType) q = q.where('subject_type', '=', query.subjectType)
  const search = query.search?.trim()
  if (search) {
    const p = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const like = (column: RawBuilder<unknown>) => sql<SqlBool>`lower(${column}) like ${p} escape '\\'`
    q = q.where((eb) => eb.or([like(sql.ref('title')), like(sql.ref('subject_key'))]))
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  let page = q.selectAll().orderBy(SEVERITY_RANK).orderBy('score', 'desc').orderBy('subject_key').orderBy('id')
  if (query.limit !== undefined) page = page.limit(query.limit).offset(offset)
  else if (offset > 0) throw new InvalidInputError('offset needs a limit')
  const rows = await page.execute()
  return { rows: rows.map(toRow), total: Number(total.n) }
}

/** One finding by id. Throws NotFoundError. */
export async function getFinding(db: Kysely<Database>, id: number): Promise<FindingRow> {
  const row = await db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new NotFoundError(`finding ${id}: no such finding`)
  return toRow(row)
}

export interface SetFindingStatusInput {
  id: number
  status: string
  /** Why: shown beside the finding and kept in the audit trail. */
  reason?: string | null
  actor: Actor
  at?: string
}

/**
 * Acknowledges, suppresses or reopens a finding, with a reason, and audits `finding.status.set` in the same
 * transaction. Re-analysis keeps the status and reason (a suppressed finding stays suppressed; an acknowledged
 * one stays acknowledged while its condition holds). Throws InvalidInputError or NotFoundError.
 */
export async function setFindingStatus(db: Kysely<Database>, input: SetFindingStatusInput): Promise<FindingRow> {
  if (!(TRIAGE_STATUSES as readonly string[]).includes(input.status)) {
    throw new InvalidInputError(`status ${input.status}: expected ${TRIAGE_STATUSES.join(', ')}`)
  }
  const status = input.status as TriageStatus
  const at = input.at ?? new Date().toISOString()
  const reason = input.reason?.trim() ? input.reason.trim() : null
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('findings').select(['status', 'status_comment']).where('id', '=', input.id).executeTakeFirst()
    if (!before) throw new NotFoundError(`finding ${input.id}: no such finding`)
    await trx
      .updateTable('findings')
      .set({ status, status_comment: reason, status_by: input.actor, status_at: at, ...(status === 'open' ? { resolved_at: null } : {}) })
      .where('id', '=', input.id)
      .execute()
    await appendAuditEvent(trx, {
      actor: input.actor, action: 'finding.status.set', subjectType: 'finding', subjectId: input.id, occurredAt: at,
      payload: { from: before.status, to: status, reason },
    })
    const row = await trx.selectFrom('findings').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow()
    return toRow(row)
  })
}

// ── what the analyzer writes ───────────────────────────────────────────────────────────────────────────────

/** What a finding module says is true now (analyzer/findings/types.ts FindingCandidate has this shape). */
export interface DetectedFinding {
  /** Stable across runs for the same condition, so re-runs update rather than duplicate. */
  subjectKey: string
  subjectType: Finding['subject_type']
  subjectId: number | null
  severity: Severity
  score: number
  title: string
  evidence: Record<string, unknown>
  recommendation: string
}

export interface ReconcileCounts {
  opened: number
  updated: number
  reopened: number
  resolved: number
  unchanged: number
}

/**
 * Makes the stored findings of one kind agree with what is true now, idempotently: new conditions open,
 * changed ones update, cleared ones become `resolved` (never deleted), and a person's acknowledged /
 * suppressed status and comment survive. Rows whose content did not change are not written at all.
 */
export async function reconcileFindings(
  db: Kysely<Database>,
  kind: string,
  candidates: readonly DetectedFinding[],
  options: { now: string; runId: number | null },
): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = { opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 0 }
  const existing = await db.selectFrom('findings').selectAll().where('kind', '=', kind).execute()
  const byKey = new Map(existing.map((f) => [f.subject_key, f]))
  const seen = new Set<string>()
  for (const c of candidates) {
    if (seen.has(c.subjectKey)) throw new Error(`analyzer: ${kind}: two findings for subject ${c.subjectKey}`)
    seen.add(c.subjectKey)
    const evidence = JSON.stringify(c.evidence)
    const score = Math.round(c.score * 100) / 100
    const row = byKey.get(c.subjectKey)
    if (!row) {
      await db
        .insertInto('findings')
        .values({
          kind, subject_key: c.subjectKey, subject_type: c.subjectType, subject_id: c.subjectId, severity: c.severity, score,
          title: c.title, evidence, recommendation: c.recommendation, status: 'open',
          first_detected_at: options.now, last_detected_at: options.now, analysis_run_id: options.runId,
        })
        .execute()
      counts.opened += 1
      continue
    }
    const reopen = row.status === 'resolved'
    const changed =
      row.evidence !== evidence || row.severity !== c.severity || row.title !== c.title || row.score !== score ||
      row.recommendation !== c.recommendation || row.subject_id !== c.subjectId
    if (!reopen && !changed) {
      counts.unchanged += 1
      continue
    }
    await db
      .updateTable('findings')
      .set({
        subject_type: c.subjectType, subject_id: c.subjectId, severity: c.severity, score, title: c.title, evidence,
        recommendation: c.recommendation, last_detected_at: options.now, analysis_run_id: options.runId,
        ...(reopen ? { status: 'open' as const, resolved_at: null } : {}),
      })
      .where('id', '=', row.id)
      .execute()
    if (reopen) counts.reopened += 1
    else counts.updated += 1
  }
  for (const row of existing) {
    if (seen.has(row.subject_key) || row.status === 'resolved' || row.status === 'suppressed') continue
    await db
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: options.now, analysis_run_id: options.runId })
      .where('id', '=', row.id)
      .execute()
    counts.resolved += 1
  }
  return counts
}

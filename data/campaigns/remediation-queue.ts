import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { Remediation, RemediationStatus } from '../tables/reviews.table.js'
import { invalid, notFound } from './errors.js'
import { loadCampaign } from './load.js'
import { manualDueAt, manualOwner } from './remediation-create.js'
import type { ItemSnapshot, RemediationTarget } from './snapshot.js'

/** What a collector's remediation reported: it removed the access, or the access was already gone. */
export interface DispatchResult {
  outcome: 'done' | 'already-done'
  /** What the vendor was asked (`DELETE /api/v1/apps/…/users/…`), never a credential. */
  request: string
}

/**
 * How the queue reaches the collectors' remediation functions (the UI and CLI build it from the collectors'
 * registry and the configured credentials): data/ never imports a collector.
 */
export interface RemediationDispatch {
  /** True when a collector can make this change for this source automatically. */
  supports(target: RemediationTarget, action: string): boolean
  remediate(target: RemediationTarget, action: string, signal: AbortSignal): Promise<DispatchResult>
}

/** Statuses still waiting for someone (or something) to act. */
export const OPEN_REMEDIATION_STATUSES: readonly RemediationStatus[] = ['pending', 'failed', 'still-present']

export interface RunRemediationsOptions {
  actor: Actor
  now?: () => string
  /** Stop retrying an automatic remediation after this many failed attempts (default 3); IT then sees it failed. */
  maxAttempts?: number
  campaignId?: number
  limit?: number
  signal?: AbortSignal
}

export interface RunRemediationsResult {
  done: number
  failed: number
  toManual: number
}

/**
 * Works the automatic queue: each open automatic remediation is dispatched to its collector (which retries
 * throttling and outages with the SDK's backoff); attempts, outcome, request and error are recorded with an audit
 * event. One the collectors cannot do becomes a manual task with an owner and a due date.
 */
export async function runRemediations(db: Kysely<Database>, dispatch: RemediationDispatch, options: RunRemediationsOptions): Promise<RunRemediationsResult> {
  const now = options.now ?? (() => new Date().toISOString())
  const signal = options.signal ?? new AbortController().signal
  let q = db
    .selectFrom('remediations')
    .selectAll()
    .where('mode', '=', 'automatic')
    .where('status', 'in', [...OPEN_REMEDIATION_STATUSES])
    .where('attempts', '<', options.maxAttempts ?? 3)
    .orderBy('id')
    .limit(options.limit ?? 1000)
  if (options.campaignId != null) q = q.where('campaign_id', '=', options.campaignId)
  const result: RunRemediationsResult = { done: 0, failed: 0, toManual: 0 }
  for (const r of await q.execute()) {
    if (signal.aborted) break
    const target = JSON.parse(r.target) as RemediationTarget
    if (!dispatch.supports(target, r.action)) {
      await toManual(db, r, options.actor, now(), `no automatic remediation for ${target.source} ${target.kind}s is configured`)
      result.toManual++
      continue
    }
    const attemptAt = now()
    let outcome: DispatchResult | null = null
    let error: string | null = null
    try {
      outcome = await dispatch.remediate(target, r.action, signal)
    } catch (e) {
      error = e instanceof Error ? e.message : String(e)
    }
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('remediations')
        .set({
          status: outcome ? 'done' : 'failed',
          attempts: r.attempts + 1,
          last_attempt_at: attemptAt,
          outcome: outcome?.outcome ?? null,
          request: outcome?.request ?? r.request,
          error: error ? error.slice(0, 1000) : null,
          completed_at: outcome ? now() : null,
          completed_by: outcome ? options.actor : null,
        })
        .where('id', '=', r.id)
        .execute()
      await appendAuditEvent(tx, {
        actor: options.actor,
        action: outcome ? 'remediation.done' : 'remediation.fail',
        subjectType: 'remediation',
        subjectId: r.id,
        payload: { campaignId: r.campaign_id, action: r.action, source: target.source, attempt: r.attempts + 1, outcome: outcome?.outcome ?? null, request: outcome?.request ?? null, error: error?.slice(0, 300) ?? null },
        occurredAt: attemptAt,
      })
    })
    if (outcome) result.done++
    else result.failed++
  }
  return result
}

async function toManual(db: Kysely<Database>, r: Remediation, actor: Actor, at: string, why: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const campaign = await loadCampaign(tx, r.campaign_id)
    const item = await tx.selectFrom('review_items').select('snapshot').where('id', '=', r.review_item_id).executeTakeFirstOrThrow()
    const owner = manualOwner(campaign, JSON.parse(item.snapshot) as ItemSnapshot)
    await tx.updateTable('remediations').set({ mode: 'manual', owner_email: owner, due_at: manualDueAt(at), error: why }).where('id', '=', r.id).execute()
    await appendAuditEvent(tx, { actor, action: 'remediation.to_manual', subjectType: 'remediation', subjectId: r.id, payload: { owner, reason: why }, occurredAt: at })
  })
}

/** IT closes a manual task (or a failed automatic one it did by hand) with a note saying what was done. */
export async function closeManualRemediation(db: Kysely<Database>, input: { id: number; note: string }, actor: Actor, options: { now?: string } = {}): Promise<Remediation> {
  const at = options.now ?? new Date().toISOString()
  const note = input.note?.trim()
  if (!note) throw invalid('note: say what you did (for example "removed the user in the admin console")')
  return db.transaction().execute(async (tx) => {
    const r = await tx.selectFrom('remediations').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!r) throw notFound(`remediation ${input.id}`)
    if (!OPEN_REMEDIATION_STATUSES.includes(r.status)) throw invalid(`remediation ${r.id} is ${r.status}, not open`)
    if (r.mode === 'automatic' && r.status === 'pending') throw invalid(`remediation ${r.id} is automatic and not attempted yet`)
    const updated = await tx
      .updateTable('remediations')
      .set({ status: 'done', note: note.slice(0, 2000), completed_at: at, completed_by: actor, outcome: 'done', mode: 'manual' })
      .where('id', '=', r.id)
      .where('status', '=', r.status)
      .returningAll()
      .executeTakeFirst()
    if (!updated) throw invalid(`remediation ${r.id} changed meanwhile; reload`)
    await appendAuditEvent(tx, { actor, action: 'remediation.close', subjectType: 'remediation', subjectId: r.id, payload: { campaignId: r.campaign_id, note: updated.note, previousStatus: r.status }, occurredAt: at })
    return updated
  })
}

export interface RemediationRow extends Remediation {
  subject_email: string | null
  app_name: string | null
  decision: string | null
  reason: string | null
  modification: string | null
  campaign_name: string
}

/** The queue IT works from: open first, then by due date. */
export async function listRemediations(db: Kysely<Database>, options: { campaignId?: number; status?: RemediationStatus[]; limit?: number } = {}): Promise<RemediationRow[]> {
  let q = db
    .selectFrom('remediations as r')
    .innerJoin('review_items as i', 'i.id', 'r.review_item_id')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .leftJoin('apps as a', 'a.id', 'i.app_id')
    .selectAll('r')
    .select(['i.subject_email', 'a.name as app_name', 'i.decision', 'i.reason', 'i.modification', 'c.name as campaign_name'])
    .orderBy('r.id')
    .limit(options.limit ?? 1000)
  if (options.campaignId != null) q = q.where('r.campaign_id', '=', options.campaignId)
  if (options.status?.length) q = q.where('r.status', 'in', options.status)
  return q.execute()
}

import type { Kysely, Transaction } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { DecisionValue, ReviewItem } from '../tables/reviews.table.js'
import { conflict, forbidden, invalid } from './errors.js'
import { loadActiveCampaign, loadItem } from './load.js'

export const DECISIONS: readonly DecisionValue[] = ['keep', 'revoke', 'modify']

export interface DecideInput {
  itemId: number
  decision: DecisionValue
  /** Optional for keep, required for revoke and modify. */
  reason?: string | null
  /** Modify: what to change ("remove the admin role"). */
  modification?: string | null
  /** The version the reviewer saw; another change since then is a conflict. */
  version: number
}

type Db = Kysely<Database> | Transaction<Database>

function validate(input: Pick<DecideInput, 'decision' | 'reason' | 'modification'>): { reason: string | null; modification: string | null } {
  if (!DECISIONS.includes(input.decision)) throw invalid(`decision: "${input.decision}" is not keep, revoke or modify`)
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, 2000) : null
  const modification = input.modification?.trim() ? input.modification.trim().slice(0, 2000) : null
  if ((input.decision === 'revoke' || input.decision === 'modify') && !reason) throw invalid(`reason: a ${input.decision} decision needs a reason`)
  if (input.decision === 'modify' && !modification) throw invalid('modification: say what to change (for example "remove the admin role")')
  return { reason, modification: input.decision === 'modify' ? modification : null }
}

/** The item is the actor's to decide and not their own access. */
export function assertOwnItem(item: ReviewItem, actor: Actor): void {
  if (item.reviewer_email !== actor) throw forbidden(`review item ${item.id} is not assigned to you`)
  if (item.subject_email && item.subject_email === actor) throw forbidden('nobody reviews their own access: reassign this item')
}

/** The item's campaign is open at the item's stage and its reviewer has not signed off. */
export async function assertItemOpen(db: Db, item: ReviewItem): Promise<void> {
  const campaign = await loadActiveCampaign(db, item.campaign_id)
  if (item.stage !== campaign.current_stage) throw invalid(`review item ${item.id} belongs to stage ${item.stage}, which is finished`)
  if (item.signed_off_at) throw invalid(`review item ${item.id}: signed off on ${item.signed_off_at.slice(0, 10)}; decisions are final`)
}

/** `actor` may change this item now; throws a domain error naming what is wrong. */
export async function assertReviewerMayChange(db: Db, item: ReviewItem, actor: Actor): Promise<void> {
  assertOwnItem(item, actor)
  await assertItemOpen(db, item)
}

/** Explains a lost race: what the item looks like now and who changed it. */
export async function conflictFor(db: Db, itemId: number, seenVersion: number): Promise<never> {
  const now = await loadItem(db, itemId)
  if (now.signed_off_at) throw invalid(`review item ${itemId}: signed off; decisions are final`)
  const what = now.decision ? `${now.decided_by ?? 'someone'} decided "${now.decision}"${now.decided_at ? ` at ${now.decided_at}` : ''}` : 'it was changed (undone or reassigned)'
  throw conflict(`review item ${itemId} changed since you loaded it (version ${seenVersion}, now ${now.version}): ${what}. Reload to see it; nothing was saved.`)
}

async function applyDecision(tx: Transaction<Database>, item: ReviewItem, input: DecideInput, actor: Actor, at: string, bulk: boolean) {
  const { reason, modification } = validate(input)
  const updated = await tx
    .updateTable('review_items')
    .set((eb) => ({
      status: 'decided',
      decision: input.decision,
      reason,
      modification,
      decided_by: actor,
      decided_at: at,
      is_default: 0,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', item.id)
    .where('version', '=', input.version)
    .where('signed_off_at', 'is', null)
    .where('reviewer_email', '=', actor)
    .returningAll()
    .executeTakeFirst()
  if (!updated) return null
  await tx
    .insertInto('decisions')
    .values({ review_item_id: item.id, stage: item.stage, decision: input.decision, reason, modification, decided_by: actor, decided_at: at, bulk: bulk ? 1 : 0 })
    .execute()
  return updated
}

/**
 * One reviewer's decision on one item. Two reviewers (or two tabs) deciding the same item: the version check in
 * the UPDATE lets exactly one win; the other gets a conflict error and nothing of theirs is saved.
 */
export async function decideItem(db: Kysely<Database>, input: DecideInput, actor: Actor, options: { now?: string } = {}): Promise<ReviewItem> {
  const at = options.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, input.itemId)
    await assertReviewerMayChange(tx, item, actor)
    const updated = await applyDecision(tx, item, input, actor, at, false)
    if (!updated) return conflictFor(tx, input.itemId, input.version)
    await appendAuditEvent(tx, {
      actor,
      action: 'review_item.decide',
      subjectType: 'review_item',
      subjectId: item.id,
      payload: { campaignId: item.campaign_id, stage: item.stage, decision: input.decision, reason: updated.reason, modification: updated.modification, version: updated.version, previous: item.decision },
      occurredAt: at,
    })
    return updated
  })
}

export interface BulkDecideInput {
  /** The selection as the reviewer saw it: ids with their versions. */
  items: ReadonlyArray<{ id: number; version: number }>
  decision: DecisionValue
  reason?: string | null
  modification?: string | null
}

export interface BulkDecideResult {
  decided: number[]
  conflicts: Array<{ id: number; message: string }>
}

/**
 * One decision over a selection, in one transaction with one audit event listing the items. Items someone else
 * changed meanwhile are reported as conflicts and left alone; items the actor may not change fail the whole call.
 */
export async function bulkDecide(db: Kysely<Database>, input: BulkDecideInput, actor: Actor, options: { now?: string } = {}): Promise<BulkDecideResult> {
  const at = options.now ?? new Date().toISOString()
  validate(input)
  if (input.items.length === 0) throw invalid('bulk decision: select at least one item')
  if (input.items.length > 5000) throw invalid('bulk decision: at most 5,000 items at once')
  return db.transaction().execute(async (tx) => {
    const ids = [...new Set(input.items.map((i) => i.id))]
    const rows: ReviewItem[] = []
    for (let i = 0; i < ids.length; i += 1000) rows.push(...(await tx.selectFrom('review_items').selectAll().where('id', 'in', ids.slice(i, i + 1000)).execute()))
    const byId = new Map(rows.map((r) => [r.id, r]))
    const checkedStages = new Set<string>()
    const result: BulkDecideResult = { decided: [], conflicts: [] }
    for (const sel of input.items) {
      const item = byId.get(sel.id)
      if (!item) throw invalid(`bulk decision: review item ${sel.id} does not exist`)
      assertOwnItem(item, actor)
      if (item.signed_off_at) throw invalid(`review item ${item.id}: signed off; decisions are final`)
      const key = `${item.campaign_id}:${item.stage}`
      if (!checkedStages.has(key)) {
        await assertItemOpen(tx, item)
        checkedStages.add(key)
      }
      if (item.version !== sel.version) {
        result.conflicts.push({ id: sel.id, message: `changed since you loaded it (now ${item.decision ?? 'undecided'} by ${item.decided_by ?? 'nobody'})` })
        continue
      }
      const updated = await applyDecision(tx, item, { itemId: sel.id, version: sel.version, decision: input.decision, reason: input.reason, modification: input.modification }, actor, at, true)
      if (updated) result.decided.push(sel.id)
      else result.conflicts.push({ id: sel.id, message: 'changed while deciding' })
    }
    if (result.decided.length > 0) {
      await appendAuditEvent(tx, {
        actor,
        action: 'review_item.decide.bulk',
        subjectType: 'campaign',
        subjectId: rows[0]!.campaign_id,
        payload: { decision: input.decision, reason: input.reason?.trim() || null, items: result.decided, conflicts: result.conflicts.map((c) => c.id) },
        occurredAt: at,
      })
    }
    return result
  })
}

/** Takes back a decision until the reviewer signs off; the history keeps it, marked undone. */
export async function undoDecision(db: Kysely<Database>, input: { itemId: number; version: number }, actor: Actor, options: { now?: string } = {}): Promise<ReviewItem> {
  const at = options.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, input.itemId)
    await assertReviewerMayChange(tx, item, actor)
    if (item.status !== 'decided' || !item.decision) throw invalid(`review item ${item.id} has no decision to undo`)
    const updated = await tx
      .updateTable('review_items')
      .set((eb) => ({ status: 'pending', decision: null, reason: null, modification: null, decided_by: null, decided_at: null, version: eb('version', '+', 1) }))
      .where('id', '=', item.id)
      .where('version', '=', input.version)
      .where('signed_off_at', 'is', null)
      .returningAll()
      .executeTakeFirst()
    if (!updated) return conflictFor(tx, item.id, input.version)
    const last = await tx.selectFrom('decisions').select('id').where('review_item_id', '=', item.id).where('undone_at', 'is', null).orderBy('id', 'desc').executeTakeFirst()
    if (last) await tx.updateTable('decisions').set({ undone_at: at, undone_by: actor }).where('id', '=', last.id).execute()
    await appendAuditEvent(tx, {
      actor,
      action: 'review_item.undo',
      subjectType: 'review_item',
      subjectId: item.id,
      payload: { campaignId: item.campaign_id, undone: item.decision, version: updated.version },
      occurredAt: at,
    })
    return updated
  })
}

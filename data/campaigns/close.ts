import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { Campaign, RecordedDecision } from '../tables/reviews.table.js'
import { campaignStage2Rule } from './create.js'
import { invalid } from './errors.js'
import { insertReviewItems } from './insert-items.js'
import { invitation } from './launch.js'
import { batches, loadActiveCampaign } from './load.js'
import { enqueueMail } from './outbox.js'
import { createRemediations } from './remediation-create.js'
import { chooseReviewer } from './reviewers.js'
import type { ItemSnapshot } from './snapshot.js'

/** Who records a default outcome: never a person. */
export const DEFAULT_DECIDER = 'system:campaign-default'

export interface CloseResult {
  campaign: Campaign
  /** Items nobody decided, now recorded with the default outcome (marked as a default). */
  defaulted: number
  remediations: number
  /** Set when closing stage 1 opened the second stage instead of closing the campaign. */
  advancedToStage: number | null
  stage2Items: number
}

/**
 * Ends the current stage. Undecided items get the campaign's default outcome, recorded as a default and never as
 * a person's decision; every revoke or modify becomes a remediation. With a second stage configured, closing
 * stage 1 opens stage 2 for what stage 1 kept; otherwise the campaign is closed and its decisions are final.
 */
export async function closeCampaign(db: Kysely<Database>, campaignId: number, actor: Actor, options: { now?: string } = {}): Promise<CloseResult> {
  const at = options.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const campaign = await loadActiveCampaign(tx, campaignId)
    const stage = campaign.current_stage
    const outcome: RecordedDecision = campaign.default_outcome
    const stageItems = () => tx.selectFrom('review_items').where('campaign_id', '=', campaignId).where('stage', '=', stage)

    const undecided = await stageItems().select('id').where('status', '=', 'pending').execute()
    for (const batch of batches(undecided, 7)) {
      const ids = batch.map((r) => r.id)
      await tx
        .updateTable('review_items')
        .set((eb) => ({ status: 'decided', decision: outcome, is_default: 1, decided_by: DEFAULT_DECIDER, decided_at: at, reason: null, version: eb('version', '+', 1) }))
        .where('id', 'in', ids)
        .execute()
      await tx
        .insertInto('decisions')
        .values(ids.map((id) => ({ review_item_id: id, stage, decision: outcome, decided_by: DEFAULT_DECIDER, decided_at: at, is_default: 1 })))
        .execute()
    }
    // Decisions of reviewers who never signed off are final now too.
    const toRemediate = await stageItems().selectAll().where('decision', 'in', ['revoke', 'modify']).execute()
    const remediations = await createRemediations(tx, campaign, toRemediate, at)

    const stage2 = stage === 1 ? campaignStage2Rule(campaign) : null
    let stage2Items = 0
    let updated: Campaign
    if (stage2) {
      const kept = await stageItems().selectAll().where('decision', '=', 'keep').execute()
      const rows = kept.map((item) => {
        const snapshot = JSON.parse(item.snapshot) as ItemSnapshot
        const choice = chooseReviewer(
          stage2,
          { subjectEmail: item.subject_email, managerEmail: snapshot.person?.managerEmail ?? null, ownerEmail: snapshot.app?.ownerEmail ?? null },
          campaign.fallback_reviewer,
          campaign.created_by,
          `stage2:${stage2.kind}`,
        )
        if (!choice) throw invalid(`campaign ${campaignId}: nobody but ${item.subject_email} could review their own access in stage 2`)
        return {
          campaign_id: campaignId, stage: 2, reviewer_email: choice.email, assigned_by_rule: choice.rule, kind: item.kind, access_key: item.access_key,
          fingerprint: item.fingerprint, person_id: item.person_id, subject_email: item.subject_email, app_id: item.app_id, account_id: item.account_id,
          grant_id: item.grant_id, source: item.source, snapshot: item.snapshot, last_activity_at: item.last_activity_at, finding_count: item.finding_count,
          previous: JSON.stringify({ campaignId, campaignName: campaign.name, stage: 1, decision: item.decision, reason: item.reason, decidedBy: item.decided_by, decidedAt: item.decided_at, isDefault: item.is_default === 1, changed: false }),
          status: 'pending' as const, created_at: at,
        }
      })
      await insertReviewItems(tx, rows)
      stage2Items = rows.length
      updated = await tx.updateTable('campaigns').set({ current_stage: 2 }).where('id', '=', campaignId).returningAll().executeTakeFirstOrThrow()
      const perReviewer = new Map<string, number>()
      for (const r of rows) perReviewer.set(r.reviewer_email, (perReviewer.get(r.reviewer_email) ?? 0) + 1)
      for (const [email, n] of perReviewer) await enqueueMail(tx, invitation(updated, email, n, 2), at)
    } else {
      updated = await tx.updateTable('campaigns').set({ status: 'closed', closed_at: at, closed_by: actor }).where('id', '=', campaignId).returningAll().executeTakeFirstOrThrow()
    }
    await appendAuditEvent(tx, {
      actor,
      action: stage2 ? 'campaign.stage.close' : 'campaign.close',
      subjectType: 'campaign',
      subjectId: campaignId,
      payload: { stage, defaulted: undecided.length, defaultOutcome: outcome, remediations, advancedToStage: stage2 ? 2 : null, stage2Items },
      occurredAt: at,
    })
    return { campaign: updated, defaulted: undecided.length, remediations, advancedToStage: stage2 ? 2 : null, stage2Items }
  })
}

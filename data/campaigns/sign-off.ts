import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import { invalid } from './errors.js'
import { loadActiveCampaign } from './load.js'
import { createRemediations } from './remediation-create.js'

export interface SignOffResult {
  items: number
  remediations: number
}

/**
 * A reviewer confirms their decisions in a campaign's current stage: from then on they are final (no undo),
 * and every revoke or modify becomes a remediation. Refused while any of their items is undecided.
 */
export async function signOff(db: Kysely<Database>, campaignId: number, actor: Actor, options: { now?: string } = {}): Promise<SignOffResult> {
  const at = options.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const campaign = await loadActiveCampaign(tx, campaignId)
    const mine = tx
      .selectFrom('review_items')
      .where('campaign_id', '=', campaignId)
      .where('stage', '=', campaign.current_stage)
      .where('reviewer_email', '=', actor)
      .where('signed_off_at', 'is', null)
    const pending = await mine.select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()
    if (Number(pending.n) > 0) throw invalid(`sign off: ${pending.n} of your items in "${campaign.name}" are still undecided`)
    const items = await mine.selectAll().execute()
    if (items.length === 0) throw invalid(`sign off: you have no open items in "${campaign.name}"`)
    await tx
      .updateTable('review_items')
      .set((eb) => ({ signed_off_at: at, version: eb('version', '+', 1) }))
      .where('campaign_id', '=', campaignId)
      .where('stage', '=', campaign.current_stage)
      .where('reviewer_email', '=', actor)
      .where('signed_off_at', 'is', null)
      .execute()
    const remediations = await createRemediations(tx, campaign, items, at)
    const counts: Record<string, number> = {}
    for (const i of items) counts[i.decision ?? 'undecided'] = (counts[i.decision ?? 'undecided'] ?? 0) + 1
    await appendAuditEvent(tx, {
      actor,
      action: 'campaign.sign_off',
      subjectType: 'campaign',
      subjectId: campaignId,
      payload: { stage: campaign.current_stage, items: items.length, decisions: counts, remediations },
      occurredAt: at,
    })
    return { items: items.length, remediations }
  })
}

import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { ReviewItem } from '../tables/reviews.table.js'
import { conflictFor, assertItemOpen } from './decide.js'
import { forbidden, invalid } from './errors.js'
import { loadCampaign, loadItem } from './load.js'
import { enqueueMail } from './outbox.js'
import { cleanEmail } from './reviewers.js'
import { ensureReviewerAccounts } from './launch.js'

export interface ReassignInput {
  itemId: number
  version: number
  to: string
  reason: string
}

/**
 * Hands an undecided item to another reviewer, with a reason. The item's reviewer may do it, and so may IT or an
 * admin (`asAdministrator`, checked by the caller's role). Never to the person whose access it is.
 */
export async function reassignItem(
  db: Kysely<Database>,
  input: ReassignInput,
  actor: Actor,
  options: { now?: string; asAdministrator?: boolean } = {},
): Promise<ReviewItem> {
  const at = options.now ?? new Date().toISOString()
  const to = cleanEmail(input.to, 'reassign to')
  const reason = input.reason?.trim()
  if (!reason) throw invalid('reason: say why you hand this item on')
  return db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, input.itemId)
    if (!options.asAdministrator && item.reviewer_email !== actor) throw forbidden(`review item ${item.id} is not assigned to you`)
    await assertItemOpen(tx, item)
    if (item.status === 'decided') throw invalid(`review item ${item.id} is decided; undo the decision before handing it on`)
    if (to === item.reviewer_email) throw invalid(`review item ${item.id} is already assigned to ${to}`)
    if (item.subject_email && to === item.subject_email) throw invalid(`${to} cannot review their own access`)
    const updated = await tx
      .updateTable('review_items')
      .set((eb) => ({ reviewer_email: to, assigned_by_rule: 'reassigned', version: eb('version', '+', 1) }))
      .where('id', '=', item.id)
      .where('version', '=', input.version)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst()
    if (!updated) return conflictFor(tx, item.id, input.version)
    await tx.insertInto('reassignments').values({ review_item_id: item.id, from_email: item.reviewer_email, to_email: to, reason, reassigned_by: actor, reassigned_at: at }).execute()
    await ensureReviewerAccounts(tx, [to], actor, at)
    const campaign = await loadCampaign(tx, item.campaign_id)
    await enqueueMail(
      tx,
      {
        kind: 'invitation',
        to,
        subject: `Access review: ${campaign.name} — an item was handed to you`,
        body: `${item.reviewer_email} handed you an access item to review in "${campaign.name}".\nReason: ${reason}`,
        campaignId: campaign.id,
        withSignInLink: true,
      },
      at,
    )
    await appendAuditEvent(tx, {
      actor,
      action: 'review_item.reassign',
      subjectType: 'review_item',
      subjectId: item.id,
      payload: { campaignId: item.campaign_id, from: item.reviewer_email, to, reason, version: updated.version },
      occurredAt: at,
    })
    return updated
  })
}

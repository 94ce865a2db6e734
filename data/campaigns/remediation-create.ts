import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Campaign, ReviewItem } from '../tables/reviews.table.js'
import { enqueueMail } from './outbox.js'
import type { ItemSnapshot } from './snapshot.js'

/** How long IT has for a manual remediation task. */
export const MANUAL_TASK_DAYS = 14

export function manualDueAt(now: string): string {
  return new Date(Date.parse(now) + MANUAL_TASK_DAYS * 86_400_000).toISOString()
}

/** Who does a manual task: the app's owner, else the campaign's fallback reviewer (usually IT). */
export function manualOwner(campaign: Campaign, snapshot: ItemSnapshot): string {
  return snapshot.app?.ownerEmail ?? campaign.fallback_reviewer
}

/**
 * Every final revoke or modify decision becomes one remediation: automatic where the access came from a source
 * (an account or a grant, dispatched later to its collector), else a manual task for IT with an owner and a due
 * date. Idempotent: an item that already has a remediation gets no second one.
 */
export async function createRemediations(tx: Transaction<Database>, campaign: Campaign, items: readonly ReviewItem[], now: string): Promise<number> {
  const wanted = items.filter((i) => i.decision === 'revoke' || i.decision === 'modify')
  if (wanted.length === 0) return 0
  const existing = new Set<number>()
  const ids = wanted.map((i) => i.id)
  for (let i = 0; i < ids.length; i += 1000) {
    for (const r of await tx.selectFrom('remediations').select('review_item_id').where('review_item_id', 'in', ids.slice(i, i + 1000)).execute()) existing.add(r.review_item_id)
  }
  const decisionIds = new Map<number, number>()
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await tx.selectFrom('decisions').select(['id', 'review_item_id']).where('review_item_id', 'in', ids.slice(i, i + 1000)).where('undone_at', 'is', null).orderBy('id').execute()
    for (const r of rows) decisionIds.set(r.review_item_id, r.id)
  }
  const tasks = new Map<string, number>()
  let created = 0
  for (const item of wanted) {
    if (existing.has(item.id)) continue
    const snapshot = JSON.parse(item.snapshot) as ItemSnapshot
    const automatic = item.decision === 'revoke' && snapshot.target != null
    const owner = automatic ? null : manualOwner(campaign, snapshot)
    await tx
      .insertInto('remediations')
      .values({
        campaign_id: campaign.id,
        review_item_id: item.id,
        decision_id: decisionIds.get(item.id) ?? null,
        mode: automatic ? 'automatic' : 'manual',
        action: item.decision === 'modify' ? 'modify' : snapshot.target?.kind === 'grant' ? 'revoke-grant' : snapshot.target ? 'remove-account' : 'remove-access',
        // A modify leaves the access in place, so no scan can verify it; a revoke is checked by its source's next run.
        source: item.decision === 'revoke' ? (snapshot.target?.source ?? null) : null,
        target: JSON.stringify(snapshot.target ?? { app: snapshot.app?.name ?? null, person: snapshot.person?.email ?? item.subject_email }),
        status: 'pending',
        owner_email: owner,
        due_at: automatic ? null : manualDueAt(now),
        created_at: now,
      })
      .execute()
    created++
    if (owner) tasks.set(owner, (tasks.get(owner) ?? 0) + 1)
  }
  for (const [owner, n] of tasks) {
    await enqueueMail(
      tx,
      {
        kind: 'remediation-task',
        to: owner,
        subject: `Access review: ${campaign.name} — ${n} access change${n === 1 ? '' : 's'} to make by hand`,
        body: `Reviewers in "${campaign.name}" decided ${n} change${n === 1 ? '' : 's'} that Sightline cannot make automatically.\nThey are in the remediation queue, due by ${manualDueAt(now).slice(0, 10)}. Close each one with a note saying what you did.`,
        campaignId: campaign.id,
        withSignInLink: false,
      },
      now,
    )
  }
  return created
}

import type { Kysely } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import { enqueueMail } from './outbox.js'

export interface RemindOptions {
  actor: Actor
  now?: string
  campaignId?: number
  /** Remind reviewers with open items this many days before the due date (default 3). */
  reminderDays?: number
  /** At most one reminder or escalation per reviewer and campaign in this many hours (default 24). */
  quietHours?: number
}

export interface RemindResult {
  reminders: number
  escalations: number
}

/**
 * Queues reminders for reviewers with undecided items when the due date is near, and escalations to the
 * reviewer's manager (the reviewer in copy) once it has passed. Each one is an audit event, in the same
 * transaction as its outbox row. Quiet for a day after the last one, so cron can call it hourly.
 */
export async function queueReminders(db: Kysely<Database>, options: RemindOptions): Promise<RemindResult> {
  const now = options.now ?? new Date().toISOString()
  const nowMs = Date.parse(now)
  const soonMs = (options.reminderDays ?? 3) * 86_400_000
  const quietSince = new Date(nowMs - (options.quietHours ?? 24) * 3_600_000).toISOString()
  const result: RemindResult = { reminders: 0, escalations: 0 }
  let campaigns = db.selectFrom('campaigns').selectAll().where('status', '=', 'active').where('due_at', 'is not', null)
  if (options.campaignId != null) campaigns = campaigns.where('id', '=', options.campaignId)
  for (const campaign of await campaigns.execute()) {
    const dueMs = Date.parse(campaign.due_at!)
    const overdue = nowMs > dueMs
    if (!overdue && dueMs - nowMs > soonMs) continue
    const open = await db
      .selectFrom('review_items')
      .select(['reviewer_email', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaign.id)
      .where('stage', '=', campaign.current_stage)
      .where('status', '=', 'pending')
      .groupBy('reviewer_email')
      .execute()
    for (const { reviewer_email: reviewer, n } of open) {
      const recent = await db
        .selectFrom('outbox')
        .select('id')
        .where('campaign_id', '=', campaign.id)
        .where('kind', 'in', ['reminder', 'escalation'])
        .where((eb) => eb.or([eb('to_email', '=', reviewer), eb('cc_email', '=', reviewer)]))
        .where('created_at', '>', quietSince)
        .executeTakeFirst()
      if (recent) continue
      const due = campaign.due_at!.slice(0, 10)
      const count = Number(n)
      await db.transaction().execute(async (tx) => {
        if (!overdue) {
          await enqueueMail(
            tx,
            {
              kind: 'reminder',
              to: reviewer,
              subject: `Reminder: ${count} access item${count === 1 ? '' : 's'} to review in "${campaign.name}" by ${due}`,
              body: `You still have ${count} undecided access item${count === 1 ? '' : 's'} in "${campaign.name}". The review is due on ${due}.`,
              campaignId: campaign.id,
              withSignInLink: true,
            },
            now,
          )
          await appendAuditEvent(tx, { actor: options.actor, action: 'campaign.remind', subjectType: 'campaign', subjectId: campaign.id, payload: { reviewer, open: count, due }, occurredAt: now })
          result.reminders++
          return
        }
        const reviewerPerson = await tx.selectFrom('people').select('manager_email').where('email', '=', reviewer).executeTakeFirst()
        const manager = reviewerPerson?.manager_email && reviewerPerson.manager_email !== reviewer ? reviewerPerson.manager_email : campaign.fallback_reviewer
        await enqueueMail(
          tx,
          {
            kind: 'escalation',
            to: manager,
            cc: reviewer,
            subject: `Overdue access review: ${reviewer} has ${count} item${count === 1 ? '' : 's'} open in "${campaign.name}"`,
            body: `The access review "${campaign.name}" was due on ${due}. ${reviewer} has not decided ${count} item${count === 1 ? '' : 's'} yet.\nPlease ask them to finish, or reassign the items.`,
            campaignId: campaign.id,
          },
          now,
        )
        await appendAuditEvent(tx, { actor: options.actor, action: 'campaign.escalate', subjectType: 'campaign', subjectId: campaign.id, payload: { reviewer, manager, open: count, due }, occurredAt: now })
        result.escalations++
      })
    }
  }
  return result
}

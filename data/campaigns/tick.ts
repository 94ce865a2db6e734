import type { Kysely } from 'kysely'
import type { Actor } from '../audit.js'
import type { Database } from '../database.js'
import { sendOutbox, type MailTransport, type SendOutboxResult } from './outbox.js'
import { runDueSchedules } from './recurrence.js'
import { runRemediations, type RemediationDispatch, type RunRemediationsResult } from './remediation-queue.js'
import { queueReminders } from './remind.js'
import type { LaunchResult } from './launch.js'

export interface TickOptions {
  actor: Actor
  now?: string
  /** Remediation through the collectors that have credentials; null: automatic remediations wait. */
  dispatch: RemediationDispatch | null
  /** SMTP; null: mail stays in the outbox (the web app shows it). */
  mail: { transport: MailTransport; from: string; baseUrl: string } | null
}

export interface TickResult {
  launched: LaunchResult[]
  reminders: number
  escalations: number
  remediations: RunRemediationsResult | null
  mail: SendOutboxResult | null
}

/**
 * Everything that runs on a clock, in order: scheduled campaigns that are due are launched, reminders and
 * escalations are queued, automatic remediations are attempted, and the outbox is sent. `sightline campaigns
 * tick` (cron) and `sightline serve` (its own timer) both call this; every step is idempotent within its quiet
 * period, so the two may run side by side.
 */
export async function runCampaignTick(db: Kysely<Database>, options: TickOptions): Promise<TickResult> {
  const launched = await runDueSchedules(db, options.actor, options.now ? { now: options.now } : {})
  const queued = await queueReminders(db, { actor: options.actor, ...(options.now ? { now: options.now } : {}) })
  const remediations = options.dispatch ? await runRemediations(db, options.dispatch, { actor: options.actor }) : null
  const mail = options.mail ? await sendOutbox(db, { transport: options.mail.transport, from: options.mail.from, baseUrl: options.mail.baseUrl, actor: options.actor }) : null
  return { launched, reminders: queued.reminders, escalations: queued.escalations, remediations, mail }
}

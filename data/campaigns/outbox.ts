import type { Kysely, Transaction } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { OutboxKind, OutboxMessage } from '../tables/reviews.table.js'
import { mintSignInLink } from './sign-in-links.js'

export interface MailInput {
  kind: OutboxKind
  to: string
  cc?: string | null
  subject: string
  body: string
  campaignId?: number | null
  /** Mint a fresh single-use sign-in link for `to` when the message is sent (it is never stored in clear). */
  withSignInLink?: boolean
}

/** Queues a message in the caller's transaction, so it exists exactly when the change that caused it does. */
export async function enqueueMail(tx: Kysely<Database> | Transaction<Database>, mail: MailInput, now: string): Promise<number> {
  const row = await tx
    .insertInto('outbox')
    .values({
      kind: mail.kind,
      to_email: mail.to,
      cc_email: mail.cc ?? null,
      subject: mail.subject.slice(0, 300),
      body: mail.body,
      campaign_id: mail.campaignId ?? null,
      with_sign_in_link: mail.withSignInLink ? 1 : 0,
      status: 'pending',
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The part of nodemailer's transport the outbox needs (so tests and other transports fit). */
export interface MailTransport {
  sendMail(message: { from: string; to: string; cc?: string; subject: string; text: string }): Promise<{ messageId?: string }>
}

export interface SendOutboxOptions {
  transport: MailTransport
  from: string
  /** Where sign-in links point: `${baseUrl}/review/sign-in/<token>`. */
  baseUrl: string
  actor: Actor
  now?: () => string
  /** Give up on a message after this many failed attempts (default 5). */
  maxAttempts?: number
  limit?: number
  signInLinkTtlHours?: number
}

export interface SendOutboxResult {
  sent: number
  failed: number
}

export function signInUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/review/sign-in/${token}`
}

/**
 * Sends pending mail over the transport. A message that needs a sign-in link gets a fresh one, minted just
 * before sending, so the database holds only its hash. Failures are recorded and retried on the next call.
 */
export async function sendOutbox(db: Kysely<Database>, options: SendOutboxOptions): Promise<SendOutboxResult> {
  const now = options.now ?? (() => new Date().toISOString())
  const maxAttempts = options.maxAttempts ?? 5
  const pending = await db
    .selectFrom('outbox')
    .selectAll()
    .where('status', 'in', ['pending', 'failed'])
    .where('attempts', '<', maxAttempts)
    .orderBy('id')
    .limit(options.limit ?? 500)
    .execute()
  const result: SendOutboxResult = { sent: 0, failed: 0 }
  for (const message of pending) {
    let text = message.body
    if (message.with_sign_in_link) {
      const token = await mintSignInLink(db, { email: message.to_email, campaignId: message.campaign_id, now: now(), ttlHours: options.signInLinkTtlHours })
      text = `${text}\n\nSign in (this link works once and expires in ${options.signInLinkTtlHours ?? 72} hours):\n${signInUrl(options.baseUrl, token)}\n`
    }
    try {
      const info = await options.transport.sendMail({ from: options.from, to: message.to_email, cc: message.cc_email ?? undefined, subject: message.subject, text })
      await markSent(db, message, info.messageId ?? null, options.actor, now())
      result.sent++
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('outbox').set({ status: 'failed', attempts: message.attempts + 1, error: reason.slice(0, 500) }).where('id', '=', message.id).execute()
        await appendAuditEvent(tx, { actor: options.actor, action: 'mail.fail', subjectType: 'outbox', subjectId: message.id, payload: { kind: message.kind, to: message.to_email, error: reason.slice(0, 200) } })
      })
      result.failed++
    }
  }
  return result
}

async function markSent(db: Kysely<Database>, message: OutboxMessage, messageId: string | null, actor: Actor, at: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('outbox').set({ status: 'sent', attempts: message.attempts + 1, sent_at: at, message_id: messageId, error: null }).where('id', '=', message.id).execute()
    await appendAuditEvent(tx, {
      actor,
      action: 'mail.send',
      subjectType: 'outbox',
      subjectId: message.id,
      payload: { kind: message.kind, to: message.to_email, cc: message.cc_email, campaignId: message.campaign_id, signInLink: message.with_sign_in_link === 1 },
      occurredAt: at,
    })
  })
}

/** The outbox as the UI shows it when no SMTP server is configured (newest first). */
export async function listOutbox(db: Kysely<Database>, options: { campaignId?: number; limit?: number } = {}): Promise<OutboxMessage[]> {
  let q = db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(options.limit ?? 200)
  if (options.campaignId != null) q = q.where('campaign_id', '=', options.campaignId)
  return q.execute()
}

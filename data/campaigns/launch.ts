import type { Kysely, Transaction } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { Campaign, RecordedDecision } from '../tables/reviews.table.js'
import { campaignReviewerRule, campaignScope } from './create.js'
import { invalid } from './errors.js'
import { insertReviewItems } from './insert-items.js'
import { batches, loadCampaign } from './load.js'
import { enqueueMail } from './outbox.js'
import { chooseReviewer } from './reviewers.js'
import { describeScope } from './scope.js'
import { collectAccessInScope, type AccessInScope } from './snapshot.js'

/** The earlier campaign's final decision on the same access, shown beside a delta item. */
export interface PreviousDecision {
  campaignId: number
  campaignName: string
  decision: RecordedDecision | null
  reason: string | null
  decidedBy: string | null
  decidedAt: string | null
  isDefault: boolean
  /** True when the access changed since (entitlements, scopes, status). */
  changed: boolean
}

/** Review items built and written per step of a launch. */
const LAUNCH_CHUNK = 5_000

export interface LaunchResult {
  campaign: Campaign
  items: number
  reviewers: string[]
  /** Items left out of a delta campaign because nothing changed since the baseline. */
  unchanged: number
  baselineCampaignId: number | null
}

/**
 * Freezes the access in scope into review items, picks each item's reviewer, gives every reviewer an account
 * and an invitation, and opens the campaign — all in one transaction. Later scans never change the items.
 */
export async function launchCampaign(db: Kysely<Database>, campaignId: number, actor: Actor, options: { now?: string } = {}): Promise<LaunchResult> {
  const now = options.now ?? new Date().toISOString()
  return db.transaction().execute(async (tx) => {
    const campaign = await loadCampaign(tx, campaignId)
    if (campaign.status !== 'draft') throw invalid(`campaign ${campaignId} is already ${campaign.status === 'active' ? 'launched' : 'closed'}`)
    const scope = campaignScope(campaign)
    const rule = campaignReviewerRule(campaign)
    let access = await collectAccessInScope(tx, scope, now)
    const inScope = access.length

    let baseline: Campaign | undefined
    const previous = new Map<string, PreviousDecision>()
    if (campaign.delta) {
      baseline = await tx
        .selectFrom('campaigns')
        .selectAll()
        .where('scope_key', '=', campaign.scope_key)
        .where('status', '=', 'closed')
        .where('id', '<>', campaign.id)
        .orderBy('closed_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst()
      if (baseline) {
        const earlier = await tx
          .selectFrom('review_items')
          .select(['access_key', 'fingerprint', 'stage', 'decision', 'reason', 'decided_by', 'decided_at', 'is_default'])
          .where('campaign_id', '=', baseline.id)
          .orderBy('stage')
          .execute()
        const last = new Map(earlier.map((e) => [e.access_key, e])) // later stages overwrite earlier ones
        const kept: AccessInScope[] = []
        for (const a of access) {
          const e = last.get(a.accessKey)
          if (e && e.fingerprint === a.fingerprint) continue
          if (e) {
            previous.set(a.accessKey, {
              campaignId: baseline.id, campaignName: baseline.name, decision: e.decision, reason: e.reason, decidedBy: e.decided_by,
              decidedAt: e.decided_at, isDefault: e.is_default === 1, changed: true,
            })
          }
          kept.push(a)
        }
        access = kept
      }
    }
    const unchanged = inScope - access.length

    // Written in chunks as they are built: a 100k-item launch never holds every row and its JSON at once.
    const perReviewer = new Map<string, number>()
    const byKind: Record<string, number> = {}
    for (let start = 0; start < access.length; start += LAUNCH_CHUNK) {
      const rows = access.slice(start, start + LAUNCH_CHUNK).map((a) => {
        const choice = chooseReviewer(rule, { subjectEmail: a.subjectEmail, managerEmail: a.managerEmail, ownerEmail: a.ownerEmail }, campaign.fallback_reviewer, campaign.created_by)
        if (!choice) throw invalid(`campaign ${campaignId}: nobody but ${a.subjectEmail} could review their own access; set another fallback reviewer`)
        perReviewer.set(choice.email, (perReviewer.get(choice.email) ?? 0) + 1)
        byKind[a.kind] = (byKind[a.kind] ?? 0) + 1
        return {
          campaign_id: campaign.id,
          stage: 1,
          reviewer_email: choice.email,
          assigned_by_rule: choice.rule,
          kind: a.kind,
          access_key: a.accessKey,
          fingerprint: a.fingerprint,
          person_id: a.personId,
          subject_email: a.subjectEmail,
          app_id: a.appId,
          account_id: a.accountId,
          grant_id: a.grantId,
          source: a.source,
          snapshot: JSON.stringify(a.snapshot),
          last_activity_at: a.snapshot.lastActivityAt,
          finding_count: a.snapshot.findings.length,
          previous: previous.has(a.accessKey) ? JSON.stringify(previous.get(a.accessKey)) : null,
          status: 'pending' as const,
          created_at: now,
        }
      })
      await insertReviewItems(tx, rows)
    }
    const reviewers = [...perReviewer.keys()].sort()
    await ensureReviewerAccounts(tx, reviewers, actor, now)
    for (const email of reviewers) await enqueueMail(tx, invitation(campaign, email, perReviewer.get(email)!, 1), now)

    const launched = await tx
      .updateTable('campaigns')
      .set({ status: 'active', launched_at: now, baseline_campaign_id: baseline?.id ?? null })
      .where('id', '=', campaign.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAuditEvent(tx, {
      actor,
      action: 'campaign.launch',
      subjectType: 'campaign',
      subjectId: campaign.id,
      payload: { items: access.length, byKind, reviewers: reviewers.length, delta: campaign.delta === 1, baselineCampaignId: baseline?.id ?? null, scope: describeScope(scope) },
      occurredAt: now,
    })
    return { campaign: launched, items: access.length, reviewers, unchanged, baselineCampaignId: baseline?.id ?? null }
  })
}

/**
 * Reviewers are usually managers with no Sightline account: each gets a reviewer account (no password; they sign
 * in by emailed link or single sign-on), audited as `ui.user.add` like any other. An existing account keeps its role.
 */
export async function ensureReviewerAccounts(tx: Kysely<Database> | Transaction<Database>, emails: readonly string[], actor: Actor, now: string): Promise<number> {
  if (emails.length === 0) return 0
  const existing = new Set<string>()
  for (const batch of batches(emails, 1)) for (const u of await tx.selectFrom('ui_users').select('email').where('email', 'in', batch).execute()) existing.add(u.email)
  const missing = emails.filter((e) => !existing.has(e))
  for (const batch of batches(missing, 5)) {
    const rows = await tx
      .insertInto('ui_users')
      .values(batch.map((email) => ({ email, role: 'reviewer' as const, disabled: 0, created_at: now, updated_at: now })))
      .returning(['id', 'email'])
      .execute()
    for (const row of rows) {
      await appendAuditEvent(tx, { actor, action: 'ui.user.add', subjectType: 'ui_user', subjectId: row.id, payload: { email: row.email, role: 'reviewer', password: false, singleSignOn: false, reason: 'campaign reviewer' }, occurredAt: now })
    }
  }
  return missing.length
}

export function invitation(campaign: Campaign, email: string, items: number, stage: number) {
  const due = campaign.due_at ? ` by ${campaign.due_at.slice(0, 10)}` : ''
  const lines = [
    `Hello,`,
    ``,
    `You are asked to review ${items} access item${items === 1 ? '' : 's'} in "${campaign.name}"${stage > 1 ? ` (stage ${stage})` : ''}${due}.`,
    `For each one, decide whether the person should keep it, lose it, or have it changed.`,
  ]
  if (campaign.instructions) lines.push('', `Instructions: ${campaign.instructions}`)
  return {
    kind: 'invitation' as const,
    to: email,
    subject: `Access review: ${campaign.name} — ${items} item${items === 1 ? '' : 's'}${due}`,
    body: lines.join('\n'),
    campaignId: campaign.id,
    withSignInLink: true,
  }
}

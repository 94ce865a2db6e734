import type { Kysely, Transaction } from 'kysely'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { Campaign, DefaultOutcome } from '../tables/reviews.table.js'
import { invalid } from './errors.js'
import { cleanEmail, parseReviewerRule, type ReviewerRule } from './reviewers.js'
import { parseScope, scopeKey, type CampaignScope } from './scope.js'

export const DEFAULT_OUTCOMES: readonly DefaultOutcome[] = ['undecided', 'keep', 'revoke', 'flag']

export interface CreateCampaignInput {
  name: string
  scope: CampaignScope
  reviewer: ReviewerRule
  /** Optional second stage: reviews what stage 1 kept (e.g. manager, then app owner). */
  stage2?: ReviewerRule | null
  /** Reviews items whose rule names nobody, or names the person under review. */
  fallbackReviewer: string
  /** `YYYY-MM-DD` (end of that day, UTC) or an ISO timestamp. */
  dueAt?: string | null
  instructions?: string | null
  /** What closing records for items nobody decided (always marked as a default). */
  defaultOutcome?: DefaultOutcome
  /** Only what changed since the last closed campaign of the same scope. */
  delta?: boolean
  parentCampaignId?: number | null
  scheduleId?: number | null
}

/** `2027-03-31` → `2027-03-31T23:59:59.999Z`; a full timestamp is normalised to UTC. */
export function parseDueDate(value: string, where = 'due'): string {
  const t = value.trim()
  const date = /^\d{4}-\d{2}-\d{2}$/.test(t) ? new Date(`${t}T23:59:59.999Z`) : new Date(t)
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(t)) throw invalid(`${where}: "${value}" is not a date (use YYYY-MM-DD)`)
  return date.toISOString()
}

export function validateCreateInput(input: CreateCampaignInput): Required<Omit<CreateCampaignInput, 'parentCampaignId' | 'scheduleId'>> {
  const name = input.name?.trim() ?? ''
  if (name === '') throw invalid('name: a campaign needs a name')
  if (name.length > 200) throw invalid('name: at most 200 characters')
  const defaultOutcome = input.defaultOutcome ?? 'undecided'
  if (!DEFAULT_OUTCOMES.includes(defaultOutcome)) throw invalid(`default: "${defaultOutcome}" is not one of ${DEFAULT_OUTCOMES.join(', ')}`)
  return {
    name,
    scope: parseScope(input.scope),
    reviewer: parseReviewerRule(input.reviewer),
    stage2: input.stage2 ? parseReviewerRule(input.stage2, 'stage2') : null,
    fallbackReviewer: cleanEmail(input.fallbackReviewer ?? '', 'fallback reviewer'),
    dueAt: input.dueAt ? parseDueDate(input.dueAt) : null,
    instructions: input.instructions?.trim() ? input.instructions.trim().slice(0, 5000) : null,
    defaultOutcome,
    delta: Boolean(input.delta),
  }
}

/** A draft campaign: nothing is frozen or sent until it is launched. */
export async function createCampaign(
  db: Kysely<Database>,
  input: CreateCampaignInput,
  actor: Actor,
  options: { now?: string; trx?: Transaction<Database> } = {},
): Promise<Campaign> {
  const v = validateCreateInput(input)
  const now = options.now ?? new Date().toISOString()
  const run = async (tx: Transaction<Database>) => {
    const campaign = await tx
      .insertInto('campaigns')
      .values({
        name: v.name,
        status: 'draft',
        scope: JSON.stringify(v.scope),
        scope_key: scopeKey(v.scope),
        reviewer_rule: JSON.stringify(v.reviewer),
        stage2_rule: v.stage2 ? JSON.stringify(v.stage2) : null,
        fallback_reviewer: v.fallbackReviewer,
        default_outcome: v.defaultOutcome,
        instructions: v.instructions,
        delta: v.delta ? 1 : 0,
        parent_campaign_id: input.parentCampaignId ?? null,
        schedule_id: input.scheduleId ?? null,
        created_by: actor,
        created_at: now,
        due_at: v.dueAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAuditEvent(tx, {
      actor,
      action: 'campaign.create',
      subjectType: 'campaign',
      subjectId: campaign.id,
      payload: { name: v.name, scope: v.scope, reviewer: v.reviewer, stage2: v.stage2, fallback: v.fallbackReviewer, due: v.dueAt, default: v.defaultOutcome, delta: v.delta },
      occurredAt: now,
    })
    return campaign
  }
  return options.trx ? run(options.trx) : db.transaction().execute(run)
}

export function campaignScope(campaign: Campaign): CampaignScope {
  return parseScope(JSON.parse(campaign.scope), `campaign ${campaign.id}: scope`)
}

export function campaignReviewerRule(campaign: Campaign): ReviewerRule {
  return parseReviewerRule(JSON.parse(campaign.reviewer_rule), `campaign ${campaign.id}: reviewer`)
}

export function campaignStage2Rule(campaign: Campaign): ReviewerRule | null {
  return campaign.stage2_rule ? parseReviewerRule(JSON.parse(campaign.stage2_rule), `campaign ${campaign.id}: stage2`) : null
}

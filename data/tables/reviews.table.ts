import type { Generated, Insertable, Selectable } from 'kysely'

export type CampaignStatus = 'draft' | 'active' | 'closed'
/** What a reviewer may decide; `flag` exists only as a configured default outcome ("look at this again"). */
export type DecisionValue = 'keep' | 'revoke' | 'modify'
export type DefaultOutcome = 'undecided' | 'keep' | 'revoke' | 'flag'
export type RecordedDecision = DecisionValue | 'flag' | 'undecided'
export type ReviewItemKind = 'account' | 'grant' | 'observed'
export type RemediationStatus = 'pending' | 'failed' | 'done' | 'verified' | 'still-present' | 'cancelled'
export type OutboxKind = 'invitation' | 'reminder' | 'escalation' | 'sign-in-link' | 'remediation-task'

/** A recurring campaign: the create input it repeats (JSON) and when `campaigns tick` should next run it. */
export interface CampaignSchedulesTable {
  id: Generated<number>
  name: string
  cadence: 'quarterly' | 'monthly'
  /** JSON: the CreateCampaignInput each run starts from (due date given as days after launch). */
  template: string
  next_run_at: string
  last_campaign_id: number | null
  active: Generated<number>
  created_by: string
  created_at: string
}

export interface CampaignsTable {
  id: Generated<number>
  name: string
  status: CampaignStatus
  /** JSON CampaignScope: which apps, categories, statuses, risks, departments the campaign covers. */
  scope: Generated<string>
  /** Canonical JSON of the scope: "the same scope" for delta campaigns. */
  scope_key: string
  /** JSON ReviewerRule of stage 1. */
  reviewer_rule: string
  /** JSON ReviewerRule of the optional second stage (reviews what stage 1 kept). */
  stage2_rule: string | null
  fallback_reviewer: string
  current_stage: Generated<number>
  default_outcome: DefaultOutcome
  instructions: string | null
  delta: Generated<number>
  /** The campaign this one was cloned from or scheduled after. */
  parent_campaign_id: number | null
  /** For a delta campaign: the closed campaign whose decisions are shown as context. */
  baseline_campaign_id: number | null
  schedule_id: number | null
  created_by: string
  created_at: string
  launched_at: string | null
  due_at: string | null
  closed_at: string | null
  closed_by: string | null
}

/** One access to certify, frozen at launch so later scans do not change what was reviewed. */
export interface ReviewItemsTable {
  id: Generated<number>
  campaign_id: number
  stage: Generated<number>
  reviewer_email: string
  /** How the reviewer was chosen: manager | owner | named | fallback | reassigned | stage2:… */
  assigned_by_rule: string
  kind: ReviewItemKind
  /** Stable identity of the access across campaigns (delta): `account:<source>:<external id>`, `grant:…`, `observed:…`. */
  access_key: string
  /** Hash of what makes the access what it is (status, entitlements, scopes); a change puts it in a delta. */
  fingerprint: string
  person_id: number | null
  subject_email: string | null
  app_id: number | null
  account_id: number | null
  grant_id: number | null
  source: string | null
  /** JSON ItemSnapshot of the access as it was at launch. */
  snapshot: string
  /** Copied out of the snapshot for filters and rubber-stamp signals. */
  last_activity_at: string | null
  finding_count: Generated<number>
  /** JSON: the earlier campaign's decision on the same access (delta campaigns). */
  previous: string | null
  status: 'pending' | 'decided'
  decision: RecordedDecision | null
  reason: string | null
  modification: string | null
  decided_by: string | null
  decided_at: string | null
  /** 1 when the decision is the campaign's default outcome at close, not a person's. */
  is_default: Generated<number>
  /** Optimistic concurrency: every change bumps it; a write naming an older version is a conflict. */
  version: Generated<number>
  signed_off_at: string | null
  created_at: string
}

/** Every decision ever made on an item (including undone ones and defaults), in order. */
export interface DecisionsTable {
  id: Generated<number>
  review_item_id: number
  stage: number
  decision: RecordedDecision
  reason: string | null
  modification: string | null
  decided_by: string
  decided_at: string
  is_default: Generated<number>
  bulk: Generated<number>
  undone_at: string | null
  undone_by: string | null
}

export interface ReassignmentsTable {
  id: Generated<number>
  review_item_id: number
  from_email: string
  to_email: string
  reason: string
  reassigned_by: string
  reassigned_at: string
}

export interface RemediationsTable {
  id: Generated<number>
  campaign_id: number
  review_item_id: number
  decision_id: number | null
  /** `automatic`: a collector's remediation function does it; `manual`: a task for IT. */
  mode: 'automatic' | 'manual'
  /** revoke-grant | remove-account | modify | remove-access */
  action: string
  /** The source whose next completed run verifies it (null: no source can see it). */
  source: string | null
  /** JSON RemediationTarget: what to act on. */
  target: string
  status: RemediationStatus
  owner_email: string | null
  due_at: string | null
  /** The note IT closed a manual task with. */
  note: string | null
  attempts: Generated<number>
  last_attempt_at: string | null
  /** done | already-done, as the vendor call reported it. */
  outcome: string | null
  /** What the vendor was asked (never a credential). */
  request: string | null
  error: string | null
  /** How many times verification found the access still present. */
  reopened: Generated<number>
  created_at: string
  completed_at: string | null
  completed_by: string | null
  verified_at: string | null
  verified_by_scan_run_id: number | null
  /** The last completed run that checked it (verified or still present). */
  checked_by_scan_run_id: number | null
}

/** Mail waiting to go (or gone): sent over SMTP when configured, shown in the UI otherwise. */
export interface OutboxTable {
  id: Generated<number>
  kind: OutboxKind
  to_email: string
  cc_email: string | null
  subject: string
  body: string
  campaign_id: number | null
  /** 1: a fresh single-use sign-in link is minted when the message is sent (the link is never stored). */
  with_sign_in_link: Generated<number>
  status: 'pending' | 'sent' | 'failed'
  attempts: Generated<number>
  error: string | null
  message_id: string | null
  created_at: string
  sent_at: string | null
}

/** A single-use, expiring reviewer sign-in link; only the SHA-256 of its token is stored. */
export interface ReviewerSignInLinksTable {
  id: Generated<number>
  email: string
  token_hash: string
  campaign_id: number | null
  created_at: string
  expires_at: string
  used_at: string | null
}

export type Campaign = Selectable<CampaignsTable>
export type NewCampaign = Insertable<CampaignsTable>
export type ReviewItem = Selectable<ReviewItemsTable>
export type NewReviewItem = Insertable<ReviewItemsTable>
export type Decision = Selectable<DecisionsTable>
export type Remediation = Selectable<RemediationsTable>
export type OutboxMessage = Selectable<OutboxTable>
export type CampaignSchedule = Selectable<CampaignSchedulesTable>

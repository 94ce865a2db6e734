import type { Generated, Selectable } from 'kysely'

export interface CampaignsTable {
  id: Generated<number>
  name: string
  status: 'draft' | 'active' | 'closed'
  /** JSON: which apps / departments / account kinds the campaign covers. */
  scope: Generated<string>
  created_by: string
  created_at: string
  launched_at: string | null
  due_at: string | null
  closed_at: string | null
}

/** One access to certify, frozen at launch so later scans do not change what was reviewed. */
export interface ReviewItemsTable {
  id: Generated<number>
  campaign_id: number
  reviewer_email: string
  person_id: number | null
  app_id: number | null
  account_id: number | null
  grant_id: number | null
  /** JSON snapshot of the access as it was at launch. */
  snapshot: string
  status: 'pending' | 'decided'
  created_at: string
}

export interface DecisionsTable {
  id: Generated<number>
  review_item_id: number
  decision: 'certify' | 'revoke' | 'modify'
  reason: string | null
  decided_by: string
  decided_at: string
}

export interface RemediationsTable {
  id: Generated<number>
  decision_id: number
  action: string
  /** JSON: what to act on (collector, account, grant …). */
  target: string
  status: 'pending' | 'done' | 'failed' | 'verified'
  attempts: Generated<number>
  error: string | null
  created_at: string
  completed_at: string | null
  verified_at: string | null
  verified_by_scan_run_id: number | null
}

export type Campaign = Selectable<CampaignsTable>
export type ReviewItem = Selectable<ReviewItemsTable>

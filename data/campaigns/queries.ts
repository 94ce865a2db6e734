import { sql, type Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { Campaign, ReviewItem } from '../tables/reviews.table.js'
import { forbidden } from './errors.js'
import { batches, loadCampaign, loadItem } from './load.js'
import type { PreviousDecision } from './launch.js'
import { rubberStampSignals, type RubberStampSignal } from './rubber-stamp.js'
import type { ItemSnapshot } from './snapshot.js'

export interface CampaignSummary {
  id: number
  name: string
  status: Campaign['status']
  stage: number
  delta: boolean
  createdBy: string
  createdAt: string
  launchedAt: string | null
  dueAt: string | null
  closedAt: string | null
  items: number
  decided: number
  reviewers: number
}

export async function listCampaigns(db: Kysely<Database>, options: { status?: Campaign['status'] } = {}): Promise<CampaignSummary[]> {
  let q = db
    .selectFrom('campaigns as c')
    .leftJoin('review_items as i', (j) => j.onRef('i.campaign_id', '=', 'c.id').onRef('i.stage', '=', 'c.current_stage'))
    .select([
      'c.id', 'c.name', 'c.status', 'c.current_stage', 'c.delta', 'c.created_by', 'c.created_at', 'c.launched_at', 'c.due_at', 'c.closed_at',
      (eb) => eb.fn.count<number>('i.id').as('items'),
      (eb) => eb.fn.sum<number>(eb.case().when('i.status', '=', 'decided').then(1).else(0).end()).as('decided'),
      (eb) => eb.fn.count<number>('i.reviewer_email').distinct().as('reviewers'),
    ])
    .groupBy(['c.id', 'c.name', 'c.status', 'c.current_stage', 'c.delta', 'c.created_by', 'c.created_at', 'c.launched_at', 'c.due_at', 'c.closed_at'])
    .orderBy('c.id', 'desc')
  if (options.status) q = q.where('c.status', '=', options.status)
  return (await q.execute()).map((r) => ({
    id: r.id, name: r.name, status: r.status, stage: r.current_stage, delta: r.delta === 1, createdBy: r.created_by, createdAt: r.created_at,
    launchedAt: r.launched_at, dueAt: r.due_at, closedAt: r.closed_at, items: Number(r.items), decided: Number(r.decided ?? 0), reviewers: Number(r.reviewers),
  }))
}

export interface ProgressRow {
  key: string
  total: number
  decided: number
  keep: number
  revoke: number
  modify: number
  defaulted: number
  signedOff: number
}

export interface CampaignDetail {
  campaign: Campaign
  byReviewer: ProgressRow[]
  byApp: ProgressRow[]
  byDecision: Record<string, number>
  rubberStamp: RubberStampSignal[]
  remediations: Record<string, number>
  outbox: Record<string, number>
}

async function progressBy(db: Kysely<Database>, campaign: Campaign, column: 'i.reviewer_email' | 'a.name'): Promise<ProgressRow[]> {
  const rows = await db
    .selectFrom('review_items as i')
    .leftJoin('apps as a', 'a.id', 'i.app_id')
    .select([
      sql<string>`coalesce(${sql.ref(column)}, '(unknown app)')`.as('key'),
      (eb) => eb.fn.countAll<number>().as('total'),
      (eb) => eb.fn.sum<number>(eb.case().when('i.status', '=', 'decided').then(1).else(0).end()).as('decided'),
      (eb) => eb.fn.sum<number>(eb.case().when('i.decision', '=', 'keep').then(1).else(0).end()).as('keep'),
      (eb) => eb.fn.sum<number>(eb.case().when('i.decision', '=', 'revoke').then(1).else(0).end()).as('revoke'),
      (eb) => eb.fn.sum<number>(eb.case().when('i.decision', '=', 'modify').then(1).else(0).end()).as('modify'),
      (eb) => eb.fn.sum<number>('i.is_default').as('defaulted'),
      (eb) => eb.fn.sum<number>(eb.case().when('i.signed_off_at', 'is not', null).then(1).else(0).end()).as('signed_off'),
    ])
    .where('i.campaign_id', '=', campaign.id)
    .where('i.stage', '=', campaign.current_stage)
    .groupBy(sql`coalesce(${sql.ref(column)}, '(unknown app)')`)
    .orderBy('key')
    .execute()
  return rows.map((r) => ({
    key: r.key, total: Number(r.total), decided: Number(r.decided ?? 0), keep: Number(r.keep ?? 0), revoke: Number(r.revoke ?? 0),
    modify: Number(r.modify ?? 0), defaulted: Number(r.defaulted ?? 0), signedOff: Number(r.signed_off ?? 0),
  }))
}

/** The dashboard: progress by reviewer, app and decision; rubber-stamp signals; remediation and mail counts. */
export async function campaignDetail(db: Kysely<Database>, campaignId: number): Promise<CampaignDetail> {
  const campaign = await loadCampaign(db, campaignId)
  const byDecision: Record<string, number> = {}
  for (const r of await db
    .selectFrom('review_items')
    .select(['decision', 'is_default', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('stage', '=', campaign.current_stage)
    .groupBy(['decision', 'is_default'])
    .execute()) {
    const key = r.decision ? `${r.decision}${r.is_default ? ' (default)' : ''}` : 'pending'
    byDecision[key] = Number(r.n)
  }
  const remediations: Record<string, number> = {}
  for (const r of await db.selectFrom('remediations').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('campaign_id', '=', campaignId).groupBy('status').execute()) {
    remediations[r.status] = Number(r.n)
  }
  const outbox: Record<string, number> = {}
  for (const r of await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('campaign_id', '=', campaignId).groupBy('status').execute()) {
    outbox[r.status] = Number(r.n)
  }
  return {
    campaign,
    byReviewer: await progressBy(db, campaign, 'i.reviewer_email'),
    byApp: await progressBy(db, campaign, 'a.name'),
    byDecision,
    rubberStamp: await rubberStampSignals(db, campaignId),
    remediations,
    outbox,
  }
}

export interface InboxFilter {
  campaignId?: number
  /** pending (default), decided, or all */
  status?: 'pending' | 'decided' | 'all'
  appId?: number
  personEmail?: string
  /** Matches the person's email or name, or the app's name. */
  text?: string
  /** Only items with at least one open finding. */
  withFindings?: boolean
  /** Only items inactive for more than this many days (or never active). */
  inactiveDays?: number
  limit?: number
  offset?: number
}

export interface InboxItem {
  id: number
  campaignId: number
  stage: number
  version: number
  status: ReviewItem['status']
  decision: ReviewItem['decision']
  reason: string | null
  modification: string | null
  isDefault: boolean
  signedOff: boolean
  kind: ReviewItem['kind']
  subjectEmail: string | null
  appId: number | null
  snapshot: ItemSnapshot
  previous: PreviousDecision | null
}

function toInboxItem(r: ReviewItem): InboxItem {
  return {
    id: r.id, campaignId: r.campaign_id, stage: r.stage, version: r.version, status: r.status, decision: r.decision, reason: r.reason,
    modification: r.modification, isDefault: r.is_default === 1, signedOff: r.signed_off_at != null, kind: r.kind, subjectEmail: r.subject_email,
    appId: r.app_id, snapshot: JSON.parse(r.snapshot) as ItemSnapshot, previous: r.previous ? (JSON.parse(r.previous) as PreviousDecision) : null,
  }
}

/**
 * A reviewer's items in open campaigns (current stage only) — never anyone else's: the reviewer is part of every
 * query, so changing an id in a URL cannot show another reviewer's item.
 */
/** The reviewer's items that match the filter, before ordering and paging (shared by the page and its count). */
function inboxMatches(db: Kysely<Database>, reviewer: string, filter: InboxFilter) {
  let q = db
    .selectFrom('review_items as i')
    .innerJoin('campaigns as c', (j) => j.onRef('c.id', '=', 'i.campaign_id').onRef('c.current_stage', '=', 'i.stage'))
    .leftJoin('apps as a', 'a.id', 'i.app_id')
    .where('i.reviewer_email', '=', reviewer)
    .where('c.status', '=', 'active')
  if (filter.campaignId != null) q = q.where('i.campaign_id', '=', filter.campaignId)
  const status = filter.status ?? 'pending'
  if (status !== 'all') q = q.where('i.status', '=', status)
  if (filter.appId != null) q = q.where('i.app_id', '=', filter.appId)
  if (filter.personEmail) q = q.where('i.subject_email', '=', filter.personEmail.trim().toLowerCase())
  if (filter.withFindings) q = q.where('i.finding_count', '>', 0)
  if (filter.inactiveDays != null) {
    const cutoff = new Date(Date.now() - filter.inactiveDays * 86_400_000).toISOString()
    q = q.where((eb) => eb.or([eb('i.last_activity_at', 'is', null), eb('i.last_activity_at', '<', cutoff)]))
  }
  if (filter.text?.trim()) {
    const like = `%${filter.text.trim().toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([sql<boolean>`lower(i.subject_email) like ${like} escape '\\'`, sql<boolean>`lower(a.name) like ${like} escape '\\'`]))
  }
  return q
}

/**
 * One page of the reviewer's items: by person, then app; `limit` (default 500, at most 5,000) from `offset`.
 * The page is chosen from narrow columns (the inbox index carries every filter and sort column) and only its
 * rows are read whole: sorting a busy reviewer's full rows, snapshots included, on every view cost more than all else.
 */
export async function reviewerInbox(db: Kysely<Database>, reviewer: string, filter: InboxFilter = {}): Promise<InboxItem[]> {
  const page = await inboxMatches(db, reviewer, filter)
    .select('i.id')
    .orderBy('i.subject_email')
    .orderBy('a.name')
    .orderBy('i.id')
    .limit(Math.min(filter.limit ?? 500, 5000))
    .offset(Math.max(0, filter.offset ?? 0))
    .execute()
  if (page.length === 0) return []
  const ids = page.map((r) => r.id)
  const rows = new Map<number, ReviewItem>()
  for (const batch of batches(ids, 1)) {
    for (const r of await db.selectFrom('review_items').selectAll().where('id', 'in', batch).where('reviewer_email', '=', reviewer).execute()) rows.set(r.id, r)
  }
  return ids.flatMap((id) => {
    const r = rows.get(id)
    return r ? [toInboxItem(r)] : []
  })
}

/** How many of the reviewer's items match the filter (for the pager). */
export async function countReviewerInbox(db: Kysely<Database>, reviewer: string, filter: InboxFilter = {}): Promise<number> {
  const row = await inboxMatches(db, reviewer, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One item for its reviewer; another reviewer's item is refused whatever its id. */
export async function reviewerItem(db: Kysely<Database>, reviewer: string, itemId: number): Promise<InboxItem> {
  const item = await loadItem(db, itemId)
  if (item.reviewer_email !== reviewer) throw forbidden(`review item ${itemId} is not assigned to you`)
  return toInboxItem(item)
}

/** Every item of a campaign's stage (IT/admin views and the CLI `show`). */
export async function campaignItems(db: Kysely<Database>, campaignId: number, options: { stage?: number; limit?: number } = {}): Promise<InboxItem[]> {
  let q = db.selectFrom('review_items').selectAll().where('campaign_id', '=', campaignId).orderBy('id').limit(options.limit ?? 100_000)
  if (options.stage != null) q = q.where('stage', '=', options.stage)
  return (await q.execute()).map(toInboxItem)
}

import type { Kysely } from 'kysely'
import { auditSegmentForPeriod, type AuditSegment } from '../audit.js'
import { rubberStampSignals, RUBBER_STAMP_WORDS, type RubberStampSignal } from '../campaigns/rubber-stamp.js'
import type { ItemSnapshot } from '../campaigns/snapshot.js'
import type { Database } from '../database.js'
import { sourcesAsOf, type SourceAsOf } from './inventory-as-of.js'

/** One access as it was frozen at launch, flattened for the population CSV. */
export interface PopulationRow {
  item_id: number
  stage: number
  kind: string
  access_key: string
  person_email: string | null
  person_name: string | null
  department: string | null
  title: string | null
  person_status: string | null
  app: string | null
  app_status: string | null
  source: string | null
  account: string | null
  entitlements: string | null
  oauth_client: string | null
  scopes: string | null
  last_activity_at: string | null
  finding_count: number
  reviewer_email: string
  assigned_by_rule: string
  created_at: string
}

export interface DecisionRow {
  decision_id: number
  item_id: number
  stage: number
  person_email: string | null
  app: string | null
  decision: string
  reason: string | null
  modification: string | null
  decided_by: string
  decided_at: string
  is_default: number
  bulk: number
  undone_at: string | null
  undone_by: string | null
}

export interface RemediationRow {
  remediation_id: number
  item_id: number
  person_email: string | null
  app: string | null
  mode: string
  action: string
  source: string | null
  status: string
  owner_email: string | null
  due_at: string | null
  attempts: number
  outcome: string | null
  error: string | null
  note: string | null
  created_at: string
  completed_at: string | null
  completed_by: string | null
  verified_at: string | null
  verified_by_scan_run_id: number | null
  verifying_scan: string | null
  verifying_scan_finished_at: string | null
  reopened: number
}

export interface UndecidedRow {
  item_id: number
  stage: number
  person_email: string | null
  app: string | null
  reviewer_email: string
  outcome: string
  is_default: number
}

export interface ReassignmentRow {
  item_id: number
  person_email: string | null
  app: string | null
  from_email: string
  to_email: string
  reason: string
  reassigned_by: string
  reassigned_at: string
}

export interface RubberStampRow extends Omit<RubberStampSignal, 'flags'> {
  flags: string
}

export interface LeaverItemRow {
  item_id: number
  person_email: string | null
  person_name: string | null
  end_date: string | null
  app: string | null
  source: string | null
  decision: string | null
  decided_by: string | null
  remediation_status: string | null
  verified_at: string | null
}

export interface CampaignEvidence {
  campaign: Record<string, unknown> & { id: number; name: string; status: string; launched_at: string | null; closed_at: string | null; created_at: string }
  /** The instant the package speaks to: close, or now for an open campaign. */
  until: string
  sources: SourceAsOf[]
  itemsBySource: { source: string; items: number }[]
  population: PopulationRow[]
  decisions: DecisionRow[]
  remediations: RemediationRow[]
  undecided: UndecidedRow[]
  reassignments: ReassignmentRow[]
  rubberStamp: RubberStampRow[]
  leavers: LeaverItemRow[]
  segment: AuditSegment
}

export class CampaignEvidenceError extends Error {
  override readonly name = 'CampaignEvidenceError'
}

function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** Everything an auditor needs about one campaign: definition, population at launch, decisions, remediations, signals. */
export async function readCampaignEvidence(db: Kysely<Database>, campaignId: number, now: string): Promise<CampaignEvidence> {
  const c = await db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst()
  if (!c) throw new CampaignEvidenceError(`evidence: campaign ${campaignId}: no such campaign`)
  if (!c.launched_at) throw new CampaignEvidenceError(`evidence: campaign ${campaignId} (${c.name}) has not been launched: there is nothing to evidence yet`)
  const until = c.closed_at ?? now
  const campaign = {
    id: c.id, name: c.name, status: c.status, scope: parseJson(c.scope), reviewer_rule: parseJson(c.reviewer_rule), stage2_rule: parseJson(c.stage2_rule),
    fallback_reviewer: c.fallback_reviewer, default_outcome: c.default_outcome, instructions: c.instructions, delta: c.delta === 1,
    baseline_campaign_id: c.baseline_campaign_id, parent_campaign_id: c.parent_campaign_id, created_by: c.created_by, created_at: c.created_at,
    launched_at: c.launched_at, due_at: c.due_at, closed_at: c.closed_at, closed_by: c.closed_by,
  }

  const items = await db.selectFrom('review_items').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute()
  const byId = new Map<number, { person: string | null; app: string | null; snap: ItemSnapshot }>()
  const population: PopulationRow[] = []
  const bySource = new Map<string, number>()
  const leavers: LeaverItemRow[] = []
  for (const i of items) {
    const snap = JSON.parse(i.snapshot) as ItemSnapshot
    const person = snap.person?.email ?? i.subject_email
    const app = snap.app?.name ?? null
    byId.set(i.id, { person, app, snap })
    bySource.set(i.source ?? 'observed', (bySource.get(i.source ?? 'observed') ?? 0) + 1)
    population.push({
      item_id: i.id, stage: i.stage, kind: i.kind, access_key: i.access_key, person_email: person, person_name: snap.person?.name ?? null,
      department: snap.person?.department ?? null, title: snap.person?.title ?? null, person_status: snap.person?.status ?? null, app, app_status: snap.app?.status ?? null,
      source: i.source, account: snap.account ? snap.account.username ?? snap.account.email ?? snap.account.externalId : null,
      entitlements: snap.account?.entitlements.map((e) => `${e.kind}:${e.name}`).join('; ') || null,
      oauth_client: snap.grant ? snap.grant.clientName ?? snap.grant.clientId : null, scopes: snap.grant?.scopes.map((s) => s.scope).join(' ') || null,
      last_activity_at: i.last_activity_at, finding_count: i.finding_count, reviewer_email: i.reviewer_email, assigned_by_rule: i.assigned_by_rule, created_at: i.created_at,
    })
  }

  const decisions: DecisionRow[] = (await db.selectFrom('decisions as d').innerJoin('review_items as i', 'i.id', 'd.review_item_id').selectAll('d').where('i.campaign_id', '=', campaignId).orderBy('d.id').execute()).map((d) => ({
    decision_id: d.id, item_id: d.review_item_id, stage: d.stage, person_email: byId.get(d.review_item_id)?.person ?? null, app: byId.get(d.review_item_id)?.app ?? null,
    decision: d.decision, reason: d.reason, modification: d.modification, decided_by: d.decided_by, decided_at: d.decided_at, is_default: d.is_default, bulk: d.bulk,
    undone_at: d.undone_at, undone_by: d.undone_by,
  }))

  const remediationRows = await db
    .selectFrom('remediations as r')
    .leftJoin('scan_runs as s', 's.id', 'r.verified_by_scan_run_id')
    .selectAll('r')
    .select(['s.collector as scan_collector', 's.source_key as scan_source', 's.finished_at as scan_finished_at'])
    .where('r.campaign_id', '=', campaignId)
    .orderBy('r.id')
    .execute()
  const remediations: RemediationRow[] = remediationRows.map((r) => ({
    remediation_id: r.id, item_id: r.review_item_id, person_email: byId.get(r.review_item_id)?.person ?? null, app: byId.get(r.review_item_id)?.app ?? null,
    mode: r.mode, action: r.action, source: r.source, status: r.status, owner_email: r.owner_email, due_at: r.due_at, attempts: r.attempts, outcome: r.outcome,
    error: r.error, note: r.note, created_at: r.created_at, completed_at: r.completed_at, completed_by: r.completed_by, verified_at: r.verified_at,
    verified_by_scan_run_id: r.verified_by_scan_run_id, verifying_scan: r.scan_collector ? `${r.scan_collector} ${r.scan_source ?? ''}`.trim() : null,
    verifying_scan_finished_at: r.scan_finished_at ?? null, reopened: r.reopened,
  }))
  const remediationByItem = new Map(remediations.map((r) => [r.item_id, r]))

  const undecided: UndecidedRow[] = items
    .filter((i) => i.decision === null || i.decision === 'undecided' || i.is_default === 1)
    .map((i) => ({ item_id: i.id, stage: i.stage, person_email: byId.get(i.id)!.person, app: byId.get(i.id)!.app, reviewer_email: i.reviewer_email, outcome: i.decision ?? 'pending', is_default: i.is_default }))

  const reassignments: ReassignmentRow[] = (await db.selectFrom('reassignments as r').innerJoin('review_items as i', 'i.id', 'r.review_item_id').selectAll('r').where('i.campaign_id', '=', campaignId).orderBy('r.id').execute()).map((r) => ({
    item_id: r.review_item_id, person_email: byId.get(r.review_item_id)?.person ?? null, app: byId.get(r.review_item_id)?.app ?? null,
    from_email: r.from_email, to_email: r.to_email, reason: r.reason, reassigned_by: r.reassigned_by, reassigned_at: r.reassigned_at,
  }))

  const rubberStamp = (await rubberStampSignals(db, campaignId)).map((s) => ({ ...s, flags: s.flags.map((f) => RUBBER_STAMP_WORDS[f]).join('; ') }))

  const launchDay = c.launched_at.slice(0, 10)
  for (const i of items) {
    const { person, app, snap } = byId.get(i.id)!
    const left = snap.person && (snap.person.status === 'terminated' || (snap.person.endDate !== null && snap.person.endDate <= launchDay))
    if (!left) continue
    const rem = remediationByItem.get(i.id)
    leavers.push({
      item_id: i.id, person_email: person, person_name: snap.person!.name, end_date: snap.person!.endDate, app, source: i.source, decision: i.decision, decided_by: i.decided_by,
      remediation_status: rem?.status ?? null, verified_at: rem?.verified_at ?? null,
    })
  }

  // the audit events from the campaign's creation to the export (the whole stretch of chain between, so it verifies):
  // remediations are verified by scans after the close, and their events belong in the evidence
  const endExclusive = new Date(Date.parse(now) + 1).toISOString()
  const segment = await auditSegmentForPeriod(db, c.created_at, endExclusive)
  return {
    campaign, until, sources: await sourcesAsOf(db, c.launched_at),
    itemsBySource: [...bySource.entries()].map(([source, n]) => ({ source, items: n })).sort((a, b) => (a.source < b.source ? -1 : 1)),
    population, decisions, remediations, undecided, reassignments, rubberStamp, leavers, segment,
  }
}

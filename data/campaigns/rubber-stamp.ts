import type { Kysely } from 'kysely'
import type { Database } from '../database.js'

export type RubberStampFlag = 'keeps-everything' | 'fast-decisions' | 'bulk-kept-findings'

export interface RubberStampSignal {
  reviewer: string
  decided: number
  kept: number
  /** Median seconds between one-by-one decisions (null: fewer than two). */
  medianSeconds: number | null
  /** One-by-one decisions made within FAST_SECONDS of the previous one. */
  fastDecisions: number
  /** Items with open findings kept in a bulk decision. */
  bulkKeptWithFindings: number
  flags: RubberStampFlag[]
}

/** Thresholds: a reviewer needs this many decisions before the keep-everything and speed signals mean anything. */
export const RUBBER_STAMP_MIN_DECISIONS = 10
export const FAST_SECONDS = 5

/**
 * Signs that a reviewer approved without looking: kept everything, decided one item after another in a few
 * seconds each, or kept access that has findings in a bulk decision. Shown on the dashboard and in the evidence.
 */
export async function rubberStampSignals(db: Kysely<Database>, campaignId: number): Promise<RubberStampSignal[]> {
  const rows = await db
    .selectFrom('decisions as d')
    .innerJoin('review_items as i', 'i.id', 'd.review_item_id')
    .select(['d.decided_by', 'd.decision', 'd.decided_at', 'd.bulk', 'i.finding_count'])
    .where('i.campaign_id', '=', campaignId)
    .where('d.undone_at', 'is', null)
    .where('d.is_default', '=', 0)
    .orderBy('d.decided_by')
    .orderBy('d.decided_at')
    .execute()
  const by = new Map<string, typeof rows>()
  for (const r of rows) by.set(r.decided_by, [...(by.get(r.decided_by) ?? []), r])
  const out: RubberStampSignal[] = []
  for (const [reviewer, list] of by) {
    const kept = list.filter((r) => r.decision === 'keep').length
    const single = list.filter((r) => r.bulk === 0).map((r) => Date.parse(r.decided_at))
    const gaps: number[] = []
    for (let i = 1; i < single.length; i++) gaps.push((single[i]! - single[i - 1]!) / 1000)
    gaps.sort((a, b) => a - b)
    const medianSeconds = gaps.length ? gaps[Math.floor(gaps.length / 2)]! : null
    const fastDecisions = gaps.filter((g) => g < FAST_SECONDS).length
    const bulkKeptWithFindings = list.filter((r) => r.bulk === 1 && r.decision === 'keep' && r.finding_count > 0).length
    const flags: RubberStampFlag[] = []
    if (list.length >= RUBBER_STAMP_MIN_DECISIONS && kept === list.length) flags.push('keeps-everything')
    if (single.length >= RUBBER_STAMP_MIN_DECISIONS && medianSeconds != null && medianSeconds < FAST_SECONDS) flags.push('fast-decisions')
    if (bulkKeptWithFindings > 0) flags.push('bulk-kept-findings')
    out.push({ reviewer, decided: list.length, kept, medianSeconds, fastDecisions, bulkKeptWithFindings, flags })
  }
  return out.sort((a, b) => b.flags.length - a.flags.length || a.reviewer.localeCompare(b.reviewer))
}

export const RUBBER_STAMP_WORDS: Record<RubberStampFlag, string> = {
  'keeps-everything': 'kept every item',
  'fast-decisions': `decided items a few seconds apart (median under ${FAST_SECONDS} s)`,
  'bulk-kept-findings': 'kept access with open findings in a bulk decision',
}

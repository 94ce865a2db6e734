// The one definition of a run-rate: what the stored statements show per month and per year, extrapolated
// over the period those statements actually cover (not over a fixed window they may only partly fill).
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'

/** A monthly subscription shows once per billing cycle: shorter coverage would multiply one charge up. */
export const MIN_COVERED_DAYS = 30

const DAYS_PER_YEAR = 365

/** The span of days the card statements cover, inside the bounds asked for. */
export interface CoveredPeriod {
  /** First and last `YYYY-MM-DD` with any card line (any app, any currency) inside the bounds. */
  first: string
  last: string
  /** Days from first to last, both included, but never fewer than MIN_COVERED_DAYS. */
  days: number
}

export interface RunRate {
  monthlyMinor: number
  /** Always monthlyMinor × 12, so the two figures never disagree on a page. */
  annualMinor: number
}

/**
 * Monthly and annual run-rate of a net total in minor units, spent over `coveredDays` days:
 * monthly = round(total × 365 / 12 / days), annual = monthly × 12. One currency per call (no FX).
 */
export function runRate(totalMinor: number, coveredDays: number): RunRate {
  const days = Math.max(MIN_COVERED_DAYS, coveredDays)
  const monthlyMinor = Math.round((totalMinor * DAYS_PER_YEAR) / 12 / days)
  return { monthlyMinor, annualMinor: monthlyMinor * 12 }
}

function daysBetween(first: string, last: string): number {
  return Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000) + 1
}

/**
 * The period the imported statements cover between the inclusive `YYYY-MM-DD` bounds: from the first to the
 * last posted date of any card line there. Coverage is shared by every app and currency, so an app charged
 * once in six months of statements is a sixth of its charge per month, not the whole charge. Null when no
 * card line falls inside the bounds.
 */
export async function statementCoverage(db: Kysely<Database>, bounds: { from?: string; to?: string } = {}): Promise<CoveredPeriod | null> {
  let q = db
    .selectFrom('spend_transactions')
    .select([sql<string | null>`min(posted_on)`.as('first'), sql<string | null>`max(posted_on)`.as('last')])
  if (bounds.from) q = q.where('posted_on', '>=', bounds.from)
  if (bounds.to) q = q.where('posted_on', '<=', bounds.to)
  const row = await q.executeTakeFirst()
  if (!row?.first || !row.last) return null
  const first = String(row.first)
  const last = String(row.last)
  return { first, last, days: Math.max(MIN_COVERED_DAYS, daysBetween(first, last)) }
}

// The one definition of a run-rate: what the stored statements show per month and per year, each statement's
// charges spread over the period that statement covers (not over a window it may only partly fill, nor over the
// span of every statement together).
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'

export const DAYS_PER_MONTH = 365 / 12

/**
 * The period one card program's statements cover: the statements (imported files) of one export layout, each
 * from its first to its last card line, joined. Monthly downloads of one account then make one period, while a
 * second card program billing the same app over the same months is a period of its own.
 */
export interface StatementPeriod {
  /** The export layout the statements were read with (`chase`, `amex`, `brex`, …). */
  layout: string
  /** First and last `YYYY-MM-DD` with a card line of these statements inside the bounds. */
  first: string
  last: string
  /** Days covered by at least one statement (gaps between statements are not counted). */
  days: number
  /** `days` in whole months, at least one: a statement is issued per billing cycle, and its first and last card lines fall a few days inside the cycle's bounds. */
  months: number
  /** How many statements (imported files) make the period. */
  statements: number
}

/** Periods by layout. */
export type StatementCoverage = ReadonlyMap<string, StatementPeriod>

export interface RunRate {
  monthlyMinor: number
  /** Always monthlyMinor × 12, so the two figures never disagree on a page. */
  annualMinor: number
}

/** Part of a total (one app, one currency …) that one card program's statements carry. */
export interface StatementShare {
  layout: string
  totalMinor: number
}

/** Days in whole months, never fewer than one: one monthly charge in a week of statements reads as one month. */
export function monthsCovered(days: number): number {
  return Math.max(1, Math.round(days / DAYS_PER_MONTH))
}

/**
 * Monthly and annual run-rate of a total spread over the statements that carry it: each card program's part over
 * the months its statements cover, added up. monthly = round(Σ part ÷ months), annual = monthly × 12. One
 * currency per call (no FX). A part whose layout has no period (nothing in the bounds) counts as one month.
 */
export function runRate(shares: Iterable<StatementShare>, coverage: StatementCoverage): RunRate {
  let monthly = 0
  for (const share of shares) monthly += share.totalMinor / (coverage.get(share.layout)?.months ?? 1)
  const monthlyMinor = Math.round(monthly)
  return { monthlyMinor, annualMinor: monthlyMinor * 12 }
}

/** The periods behind some shares, by layout: what a reader of a figure needs to see why it is what it is. */
export function periodsOf(shares: Iterable<StatementShare>, coverage: StatementCoverage): StatementPeriod[] {
  const layouts = [...new Set([...shares].map((s) => s.layout))].sort()
  return layouts.flatMap((l) => {
    const period = coverage.get(l)
    return period ? [period] : []
  })
}

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000)
}

/**
 * The period each card program's statements cover between the inclusive `YYYY-MM-DD` bounds: per imported
 * file, its first to its last card line there; per layout, those spans joined. Empty when no card line falls
 * inside the bounds.
 */
export async function statementCoverage(db: Kysely<Database>, bounds: { from?: string; to?: string } = {}): Promise<StatementCoverage> {
  let q = db
    .selectFrom('spend_transactions')
    .select(['source_layout', 'scan_run_id', sql<string>`min(posted_on)`.as('first'), sql<string>`max(posted_on)`.as('last')])
    .groupBy(['source_layout', 'scan_run_id'])
  if (bounds.from) q = q.where('posted_on', '>=', bounds.from)
  if (bounds.to) q = q.where('posted_on', '<=', bounds.to)
  const statements = await q.execute()
  const byLayout = new Map<string, { first: number; last: number }[]>()
  for (const s of statements) {
    const spans = byLayout.get(s.source_layout) ?? []
    spans.push({ first: dayNumber(String(s.first)), last: dayNumber(String(s.last)) })
    byLayout.set(s.source_layout, spans)
  }
  const coverage = new Map<string, StatementPeriod>()
  for (const [layout, spans] of byLayout) {
    spans.sort((a, b) => a.first - b.first || a.last - b.last)
    let days = 0
    let open: { first: number; last: number } | null = null
    for (const span of spans) {
      if (open && span.first <= open.last + 1) open.last = Math.max(open.last, span.last)
      else {
        if (open) days += open.last - open.first + 1
        open = { ...span }
      }
    }
    if (open) days += open.last - open.first + 1
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10)
    const first = Math.min(...spans.map((s) => s.first))
    const last = Math.max(...spans.map((s) => s.last))
    coverage.set(layout, { layout, first: iso(first), last: iso(last), days, months: monthsCovered(days), statements: spans.length })
  }
  return coverage
}

export interface AppRunRate extends RunRate {
  periods: StatementPeriod[]
}

/**
 * The run-rate of each app's purchases (refunds left out) per currency between the inclusive bounds, keyed
 * `appId|currency`: what a seat or a subscription costs a month, as the findings quote it.
 */
export async function appPurchaseRunRates(db: Kysely<Database>, bounds: { from: string; to: string }): Promise<Map<string, AppRunRate>> {
  const rows = await db
    .selectFrom('spend_transactions')
    .select(['app_id', 'currency', 'source_layout', (eb) => eb.fn.sum<number>('amount_minor').as('total')])
    .where('amount_minor', '>', 0)
    .where('app_id', 'is not', null)
    .where('posted_on', '>=', bounds.from)
    .where('posted_on', '<=', bounds.to)
    .groupBy(['app_id', 'currency', 'source_layout'])
    .execute()
  const coverage = await statementCoverage(db, bounds)
  const shares = new Map<string, StatementShare[]>()
  for (const r of rows) {
    const key = `${Number(r.app_id)}|${r.currency}`
    shares.set(key, [...(shares.get(key) ?? []), { layout: r.source_layout, totalMinor: Number(r.total) }])
  }
  return new Map([...shares].map(([key, s]) => [key, { ...runRate(s, coverage), periods: periodsOf(s, coverage) }]))
}

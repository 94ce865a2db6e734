export interface Charge {
  candidateKey: string
  /** YYYY-MM-DD */
  date: string
  amountMinor: number
  currency: string
}

export type Cadence = 'monthly' | 'annual'

export interface Subscription {
  candidateKey: string
  cadence: Cadence
  /** the charges that form the rhythm, oldest first */
  charges: Charge[]
  typicalAmountMinor: number
  currency: string
  confidence: number
  evidence: string
}

const DAY_MS = 86_400_000
/** A monthly bill lands 27–33 days after the last one (short months, weekends, retries). */
const MONTHLY = { min: 27, max: 33 } as const
/** An annual renewal: a year give or take two weeks. */
const ANNUAL = { min: 351, max: 379 } as const
/** Amounts within 25 % of the median count as "the same bill" (seats and tax move it). */
const AMOUNT_TOLERANCE = 0.25

const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS)

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : Math.round(((s[mid - 1] as number) + (s[mid] as number)) / 2)
}

/** The longest run of consecutive charges whose gaps all fall inside the window. */
function longestRun(charges: readonly Charge[], window: { min: number; max: number }): Charge[] {
  let best: Charge[] = []
  let run: Charge[] = []
  for (const c of charges) {
    const prev = run[run.length - 1]
    if (prev === undefined) {
      run = [c]
      continue
    }
    const gap = dayNumber(c.date) - dayNumber(prev.date)
    if (gap >= window.min && gap <= window.max) run.push(c)
    else if (gap < window.min) continue // a second charge inside the period: skip it, keep the rhythm
    else run = [c]
    if (run.length > best.length) best = [...run]
  }
  return run.length > best.length ? run : best
}

function detectOne(key: string, currency: string, all: Charge[]): Subscription | null {
  const m = median(all.map((c) => c.amountMinor))
  const similar = all.filter((c) => c.amountMinor > 0 && Math.abs(c.amountMinor - m) <= Math.abs(m) * AMOUNT_TOLERANCE)
  const candidates: Array<[Cadence, Charge[], number]> = [
    ['monthly', longestRun(similar, MONTHLY), 3],
    ['annual', longestRun(similar, ANNUAL), 2],
  ]
  for (const [cadence, run, need] of candidates) {
    if (run.length < need) continue
    const amounts = run.map((c) => c.amountMinor)
    const typical = median(amounts)
    const spread = (Math.max(...amounts) - Math.min(...amounts)) / Math.max(1, typical)
    const lengthScore = Math.min(1, run.length / (cadence === 'monthly' ? 6 : 3))
    const confidence = Math.round((0.5 + 0.35 * lengthScore + 0.15 * (1 - Math.min(1, spread))) * 100) / 100
    const first = run[0] as Charge
    const last = run[run.length - 1] as Charge
    return {
      candidateKey: key,
      cadence,
      charges: run,
      typicalAmountMinor: typical,
      currency,
      confidence,
      evidence: `${run.length} ${cadence} charges of about ${typical} ${currency} (minor units) from ${first.date} to ${last.date}.`,
    }
  }
  return null
}

/**
 * Finds merchants that bill on a monthly (27–33 day) or annual rhythm with similar amounts.
 * Pure: groups by (candidateKey, currency), sorts by date, and never mutates its input.
 */
export function detectSubscriptions(charges: readonly Charge[]): Subscription[] {
  const groups = new Map<string, Charge[]>()
  for (const c of charges) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(c.date)) continue
    const k = `${c.candidateKey}\u0000${c.currency.toUpperCase()}`
    const g = groups.get(k)
    if (g) g.push(c)
    else groups.set(k, [c])
  }
  const out: Subscription[] = []
  for (const [k, list] of groups) {
    const [key, currency] = k.split('\u0000') as [string, string]
    const sorted = [...list].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    const s = detectOne(key, currency, sorted)
    if (s) out.push(s)
  }
  return out.sort((a, b) => a.candidateKey.localeCompare(b.candidateKey) || a.currency.localeCompare(b.currency))
}

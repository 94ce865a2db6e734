// Date text → `YYYY-MM-DD`, scanning characters (no regex, no Date objects: it runs once per row).
import type { DateOrder } from './types.js'

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

interface Parts {
  /** Up to three numeric parts; a month name is stored as its number in `named`. */
  nums: [number, number, number]
  widths: [number, number, number]
  count: number
  /** Index of the part that was a month name, or -1. */
  named: number
}

const scratch: Parts = { nums: [0, 0, 0], widths: [0, 0, 0], count: 0, named: -1 }

/** Splits the leading date of `text` (before any time) into three parts; false when it has no such shape. */
function splitParts(text: string, out: Parts): boolean {
  out.count = 0
  out.named = -1
  const n = text.length
  let i = 0
  while (i < n && text.charCodeAt(i) <= 32) i++
  while (i < n && out.count < 3) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      let v = 0
      let w = 0
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d < 48 || d > 57) break
        v = v * 10 + (d - 48)
        w++
        i++
      }
      out.nums[out.count] = v
      out.widths[out.count] = w
      out.count++
    } else if ((c | 0x20) >= 97 && (c | 0x20) <= 122) {
      const start = i
      while (i < n && ((text.charCodeAt(i) | 0x20) >= 97 && (text.charCodeAt(i) | 0x20) <= 122)) i++
      if (i - start < 3 || out.named !== -1) return false
      const month = MONTHS.indexOf(text.slice(start, start + 3).toLowerCase())
      if (month === -1) return false
      out.named = out.count
      out.nums[out.count] = month + 1
      out.widths[out.count] = 0
      out.count++
    } else {
      return false
    }
    // One separator between parts: / - . space or ", "
    if (out.count < 3) {
      const s = text.charCodeAt(i)
      if (s === 47 || s === 45 || s === 46 || s === 32) i++
      else if (s === 44) {
        i++
        if (text.charCodeAt(i) === 32) i++
      } else return false
      if (text.charCodeAt(i) === 32 && s !== 32) i++
    }
  }
  return out.count === 3
}

function pad2(v: number): string {
  return v < 10 ? `0${v}` : `${v}`
}

/** Card and expense transactions happen between these years; `0001-…` or `9999-…` is a placeholder or a typo. */
export const FIRST_PLAUSIBLE_YEAR = 1970
export const LAST_PLAUSIBLE_YEAR = 2199

function build(year: number, yearWidth: number, month: number, day: number): string | undefined {
  if (yearWidth === 2) year += year < 70 ? 2000 : 1900
  else if (yearWidth !== 4) return undefined
  if (year < FIRST_PLAUSIBLE_YEAR || year > LAST_PLAUSIBLE_YEAR) return undefined
  if (month < 1 || month > 12 || day < 1) return undefined
  if (day > (DAYS_IN_MONTH[month - 1] ?? 0)) return undefined
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined
  return `${year}-${pad2(month)}-${pad2(day)}`
}

/**
 * Why `text` is not a date when it has a date's shape: a year outside the plausible range or a day the month does
 * not have (`2026-02-30`); undefined when the text does not look like a date at all.
 */
export function impossibleDateReason(text: string): string | undefined {
  const p: Parts = { nums: [0, 0, 0], widths: [0, 0, 0], count: 0, named: -1 }
  if (!splitParts(text, p)) return undefined
  const yearAt = p.widths[0] === 4 ? 0 : p.widths[2] === 4 ? 2 : -1
  if (yearAt === -1) return undefined
  const year = p.nums[yearAt]
  if (year < FIRST_PLAUSIBLE_YEAR || year > LAST_PLAUSIBLE_YEAR) return `year ${year} is outside ${FIRST_PLAUSIBLE_YEAR}–${LAST_PLAUSIBLE_YEAR}`
  // Day-first or month-first text may just be in the other order; the format message says more then.
  return yearAt === 0 && p.named === -1 ? `no such day: ${text.trim()}` : undefined
}

/**
 * Parses a date written in `order` (ISO `2026-10-03` and month names like `03 Oct 2026` are always accepted;
 * any time after the date is ignored). Returns `YYYY-MM-DD`, or undefined when the text is not a valid date.
 */
export function parseDate(text: string, order: DateOrder): string | undefined {
  const p = scratch
  if (!splitParts(text, p)) return undefined
  const [a, b, c] = p.nums
  const [wa, wb, wc] = p.widths
  if (p.named !== -1) {
    // `03 Oct 2026`, `Oct 3, 2026`, `2026-Oct-03`
    if (p.named === 1) return wa === 4 ? build(a, 4, b, c) : build(c, wc, b, a)
    if (p.named === 0) return build(c, wc, a, b)
    return undefined
  }
  if (wa === 4) return build(a, 4, b, c)
  if (wa > 2 || wb > 2) return undefined
  switch (order) {
    case 'MDY':
      return build(c, wc, a, b)
    case 'DMY':
      return build(c, wc, b, a)
    case 'YMD':
      return wa === 2 ? build(a, 2, b, c) : undefined
  }
}

/**
 * What one date cell says about day/month order: `MDY` or `DMY` when a value > 12 settles it, `ISO` for a
 * year-first date, `either` when both readings are possible, undefined when it is not a date.
 */
export function dateOrderEvidence(text: string): 'MDY' | 'DMY' | 'ISO' | 'either' | undefined {
  const p = scratch
  if (!splitParts(text, p)) return undefined
  if (p.named !== -1 || p.widths[0] === 4) return 'ISO'
  const [a, b] = p.nums
  if (a > 12 && b <= 12) return 'DMY'
  if (b > 12 && a <= 12) return 'MDY'
  if (a <= 12 && b <= 12) return 'either'
  return undefined
}

/** Reads a `dateFormat` option such as `DD/MM/YYYY`, `MM-DD-YY`, `YYYY-MM-DD`, `DMY`. */
export function dateOrderFromFormat(format: string): DateOrder | undefined {
  const f = format.trim().toUpperCase()
  if (f === 'YMD' || f === 'MDY' || f === 'DMY') return f
  const y = f.indexOf('Y')
  const m = f.indexOf('M')
  const d = f.indexOf('D')
  if (y === -1 || m === -1 || d === -1) return undefined
  if (y < m && m < d) return 'YMD'
  if (m < d && d < y) return 'MDY'
  if (d < m && m < y) return 'DMY'
  return undefined
}

// Date helpers for the generator: everything is UTC milliseconds internally and ISO strings on output.

export const DAY_MS = 86_400_000

export function parseDay(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`demo: parse date: expected YYYY-MM-DD, got "${day}"`)
  const ms = Date.parse(`${day}T00:00:00.000Z`)
  if (Number.isNaN(ms)) throw new Error(`demo: parse date: invalid date "${day}"`)
  return ms
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** Google and Graph print seconds without milliseconds (`2026-11-27T14:03:11Z`). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function isWeekend(dayMs: number): boolean {
  const dow = new Date(dayMs).getUTCDay()
  return dow === 0 || dow === 6
}

/** Start of the UTC day containing ms. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS
}

/** Emails are compared lower-cased and trimmed everywhere; `null` for anything that is not an address. */
export function normalizeEmail(value: string | null | undefined): string | null {
  if (value == null) return null
  const email = value.trim().toLowerCase()
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null
}

/** UTC ISO-8601 with milliseconds, the one timestamp format stored (so text comparison orders time). */
export function toIsoUtc(value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid time: ${String(value)}`)
  return date.toISOString()
}

export function domainOfEmail(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1)
}

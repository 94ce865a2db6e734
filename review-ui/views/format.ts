/** Presentation helpers for views: dates and counts as people read them. Money comes from data/money.ts. */

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  return iso.length >= 10 ? iso.slice(0, 10) : iso
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** Ago, in whole days, from `now`. */
export function daysAgo(iso: string | null | undefined, now: string): string {
  if (!iso) return 'never'
  const days = Math.floor((Date.parse(now) - Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) / 86_400_000)
  if (days <= 0) return 'today'
  if (days === 1) return 'yesterday'
  return `${days} days ago`
}

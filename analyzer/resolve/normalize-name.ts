import { LEGAL_SUFFIXES } from './vocabulary.js'

/** Words that label how an app is wired in, not which app it is. */
const WIRING_WORDS = new Set(
  'saml saml2 sso oidc scim oauth oauth2 openid app application integration connector addin add-in addon add-on extension plugin prod production sandbox staging uat'.split(' '),
)
/** Plan and edition words stripped when a name is not found as written (`Figma Enterprise`). */
const EDITION_WORDS = new Set(
  'enterprise business pro professional team teams plus premium standard basic starter free cloud online edition plan'.split(' '),
)
const LEGAL_LOWER = new Set([...LEGAL_SUFFIXES].map((s) => s.toLowerCase()))

function words(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, ' ')
    .replace(/[^a-z0-9.+&]+/g, ' ')
    .split(' ')
    .map((w) => w.replace(/^\.+|\.+$/g, ''))
    .filter((w) => w.length > 0)
}

function clean(ws: string[]): string[] {
  let out = ws.filter((w) => !WIRING_WORDS.has(w))
  // `Zoom for Google Workspace`, `Slack for Gmail`: the app is what comes before `for`
  const forAt = out.indexOf('for')
  if (forAt > 0) out = out.slice(0, forAt)
  const byAt = out.indexOf('by')
  if (byAt > 0) out = out.slice(0, byAt)
  while (out.length > 1 && LEGAL_LOWER.has(out[out.length - 1] as string)) out.pop()
  return out
}

/** `Notion (SAML)` → `notion`; `Zoom for Google Workspace` → `zoom`; `Salesforce - Production` → `salesforce - production`'s first part is tried by `nameVariants`. */
export function normalizeName(raw: string): string {
  return clean(words(raw)).join(' ')
}

/** Compact form used as the lookup key: letters and digits only. */
export const compactName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '')

/**
 * Lookup keys to try, best first: the whole name, the part before ` - ` / ` | ` / `:`,
 * then both without edition words.
 */
export function nameVariants(raw: string): string[] {
  const out: string[] = []
  const add = (ws: string[]): void => {
    const k = compactName(ws.join(''))
    if (k.length > 0 && !out.includes(k)) out.push(k)
  }
  const whole = clean(words(raw))
  add(whole)
  const segments = raw.split(/\s[-–—|:]\s|\s*\|\s*/)
  const first = segments.length > 1 ? clean(words(segments[0] ?? '')) : []
  if (first.length > 0) add(first)
  for (const ws of [whole, first]) {
    const trimmed = ws.filter((w) => !EDITION_WORDS.has(w))
    if (trimmed.length > 0 && trimmed.length < ws.length) add(trimmed)
  }
  return out
}

/** Optimal string alignment distance, giving up once it exceeds `max`. */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = new Array<number>(b.length + 1).fill(0)
    row[0] = i
    rows.push(row)
  }
  const r0 = rows[0] as number[]
  for (let j = 0; j <= b.length; j++) r0[j] = j
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[]
    const prev = rows[i - 1] as number[]
    let best = Infinity
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((rows[i - 2] as number[])[j - 2] as number) + 1)
      }
      row[j] = v
      if (v < best) best = v
    }
    if (best > max) return max + 1
  }
  return (rows[a.length] as number[])[b.length] as number
}

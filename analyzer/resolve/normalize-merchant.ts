import { GENERIC_WORDS, GEO_TOKENS, GEO_PHRASES, LEGAL_SUFFIXES, NOISE_TOKENS, PLAN_WORDS } from './vocabulary.js'

/**
 * Payment-processor and wallet prefixes: what follows them is the real merchant.
 * The canonical name is kept because some vendors only show up as the wallet (`APPLE.COM/BILL`).
 */
const PREFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^SQ\s*\*\s*/, 'SQ'],
  [/^TST\s*\*\s*/, 'TST'],
  [/^(PAYPAL|PP)\s*\*\s*/, 'PAYPAL'],
  [/^PADDLE(\.NET|\.COM)?\s*\*\s*/, 'PADDLE'],
  [/^FS\s*\*\s*/, 'FS'],
  [/^2CO(\.COM)?\s*\*\s*/, '2CO'],
  [/^(APPLE\.COM|ITUNES\.COM)\s*\/\s*BILL\b\s*/, 'APPLE.COM/BILL'],
  [/^GOOGLE\s*\*\s*/, 'GOOGLE'],
  [/^AMZN\s+MKTP\s+[A-Z]{2}\s*\*?\s*/, 'AMZN MKTP'],
  [/^(AMZN|AMAZON\.COM)\s*\*\s*/, 'AMZN'],
  [/^SP\s*\*\s*/, 'SP'],
  [/^DNH\s*\*\s*/, 'DNH'],
  [/^LS\s*\*\s*/, 'LS'],
  [/^IN\s*\*\s*/, 'IN'],
  [/^CKE\s*\*\s*/, 'CKE'],
  [/^WPY\s*\*\s*/, 'WPY'],
  [/^PY\s*\*\s*/, 'PY'],
  [/^EB\s*\*\s*/, 'EB'],
  [/^BT\s*\*\s*/, 'BT'],
  [/^DRI\s*\*\s*/, 'DRI'],
  [/^CHECKOUT\.COM\s*\*\s*/, 'CHECKOUT'],
  [/^STRIPE\s*\*\s*/, 'STRIPE'],
  // Lemon Squeezy, a merchant of record like Paddle (`LEMSQZY* SCREENSTUDIO`); Booking.com's own (`BKG*HOTEL AT BOOKING.C`)
  [/^LEMSQZY\s*\*\s*/, 'LEMSQZY'],
  [/^BKG\s*\*\s*/, 'BKG'],
]

/** Phone numbers in the shapes US and EU statements print them. */
const PHONE = /(\+?\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\b\d{3}-\d{7}\b|\b\d{3}-\d{4}\b|\b1-?8\d\d-?\w{3}-?\w{4}\b/g
const STORE_NUMBER = /(\bSTORE\s*)?#\s*\d+|\bNO\.?\s*\d+\b|\bSTORE\s+\d+\b/g
const DOMAIN_TOKEN = /^[A-Z0-9-]+(\.[A-Z0-9-]+)*\.[A-Z]{2,12}$/
const TRUNCATED_DOMAIN = /^[A-Z][A-Z0-9-]{3,}\.C$/

export interface MerchantParts {
  /** canonical processor/wallet prefix that was removed, e.g. `SQ`, `GOOGLE`, `APPLE.COM/BILL` */
  prefix: string | null
  /** every meaningful token, in order (phone numbers, store numbers and reference codes removed) */
  tokens: string[]
  /** tokens without trailing city/state/country, legal suffixes and billing noise */
  core: string[]
}

function isReferenceCode(t: string): boolean {
  if (/^\d+$/.test(t)) return t.length >= 4
  if (t.length < 6 || !/\d/.test(t) || !/[A-Z]/.test(t)) return false
  const digits = t.replace(/\D/g, '').length
  if (digits >= 4) return true
  const switches = (t.match(/[A-Z]\d|\d[A-Z]/g) ?? []).length
  return digits >= 2 && switches >= 3
}

function splitToken(raw: string): string[] {
  let t = raw.replace(/^[.'-]+|[.'-]+$/g, '')
  if (!t) return []
  t = t.replace(/^(HTTPS?\/\/|HTTPS?)?WWW\./, '')
  // `GOHIGHLEVEL.C`: a domain the 22-character field cut after its first letter still names the vendor
  if (DOMAIN_TOKEN.test(t) || TRUNCATED_DOMAIN.test(t)) return [t]
  return t
    .replace(/['.]/g, '')
    .split('-')
    .filter((x) => x.length > 0)
}

/** Strips trailing geography, legal form and billing noise, keeping at least one token. */
export function stripTrailing(tokens: readonly string[]): string[] {
  const out = [...tokens]
  let changed = true
  while (changed && out.length > 1) {
    changed = false
    const last = out[out.length - 1] as string
    if (GEO_TOKENS.has(last) || LEGAL_SUFFIXES.has(last) || NOISE_TOKENS.has(last) || PLAN_WORDS.has(last)) {
      out.pop()
      changed = true
      continue
    }
    for (const n of [3, 2]) {
      if (out.length > n && GEO_PHRASES.has(out.slice(-n).join(' '))) {
        out.splice(out.length - n, n)
        changed = true
        break
      }
    }
  }
  return out
}

/** Breaks a raw card-statement descriptor into prefix, tokens and core. */
export function parseMerchant(raw: string): MerchantParts {
  let s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim()
  let prefix: string | null = null
  for (let round = 0; round < 2; round++) {
    const hit = PREFIXES.find(([re]) => re.test(s))
    if (!hit) break
    prefix = hit[1]
    s = s.replace(hit[0], '')
  }
  s = s.replace(PHONE, ' ').replace(STORE_NUMBER, ' ').replace(/HTTPS?:\/\//g, ' ')
  const tokens: string[] = []
  for (const piece of s.split(/[^A-Z0-9.&'+-]+/)) {
    for (const t of splitToken(piece)) {
      if (t === '&' || t === '+' || isReferenceCode(t)) continue
      tokens.push(t)
    }
  }
  const core = tokens.length > 0 ? stripTrailing(tokens) : []
  const only = core[0]
  if (core.length === 1 && only !== undefined && (GEO_TOKENS.has(only) || LEGAL_SUFFIXES.has(only) || NOISE_TOKENS.has(only))) core.pop()
  return { prefix, tokens, core }
}

/** The cleaned descriptor: `SQ *NOTION LABS INC 415-5551234 CA` → `NOTION LABS`. */
export function normalizeMerchant(raw: string): string {
  const p = parseMerchant(raw)
  return p.core.length > 0 ? p.core.join(' ') : (p.prefix ?? '')
}

/** Letters and digits only, for comparing `ZOOM.US`, `ZOOM US` and `ZOOMUS` as one. */
export const compact = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase()

/** Core tokens without trailing generic company words (`LABS`, `SOFTWARE`), at least one kept. */
export function withoutGenericWords(tokens: readonly string[]): string[] {
  const out = [...tokens]
  while (out.length > 1 && GENERIC_WORDS.has(out[out.length - 1] as string)) out.pop()
  return out
}

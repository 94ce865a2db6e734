// Pure decisions of the extension (no chrome.* here), so they are tested in Node beside the server's code.

export interface ManagedConfig {
  serverUrl: string
  enrolmentToken: string
  companyDomains: string[]
}

/** The policy as Chrome hands it over, checked: null when anything needed is missing or malformed. */
export function parseManagedConfig(raw: Record<string, unknown> | undefined): ManagedConfig | null {
  if (!raw) return null
  const { serverUrl, enrolmentToken, companyDomains } = raw
  if (typeof serverUrl !== 'string' || typeof enrolmentToken !== 'string' || !Array.isArray(companyDomains)) return null
  let url: URL
  try {
    url = new URL(serverUrl)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'))) return null
  const domains = companyDomains.filter((d): d is string => typeof d === 'string').map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter((d) => /^[a-z0-9.-]+\.[a-z]{2,}$/.test(d))
  if (domains.length === 0 || enrolmentToken.trim() === '') return null
  return { serverUrl: url.origin + url.pathname.replace(/\/+$/, ''), enrolmentToken: enrolmentToken.trim(), companyDomains: domains }
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@([a-z0-9-]+(\.[a-z0-9-]+)+)$/i

/** The address, lower-cased, if it belongs to one of the company's domains (or a subdomain of one); else null. */
export function companyEmail(value: string | null | undefined, companyDomains: readonly string[]): string | null {
  const email = (value ?? '').trim().toLowerCase()
  const m = EMAIL.exec(email)
  if (!m) return null
  const domain = (m[1] as string).toLowerCase()
  return companyDomains.some((d) => domain === d || domain.endsWith(`.${d}`)) ? email : null
}

/** The host a page is on, lower-case, without a trailing dot; null for anything but http(s). */
export function siteHost(url: string): string | null {
  try {
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
    const host = u.hostname.toLowerCase().replace(/\.$/, '')
    return /^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/.test(host) ? host : null
  } catch {
    return null
  }
}

/** Whether a host is a catalogued app's domain, a subdomain of one, or under a tenant suffix (`*.slack.com`). */
export function isCataloguedHost(host: string, catalog: ReadonlySet<string>): boolean {
  let h = host
  for (;;) {
    if (catalog.has(h)) return true
    const dot = h.indexOf('.')
    if (dot < 0 || h.indexOf('.', dot + 1) < 0) return false
    h = h.slice(dot + 1)
  }
}

export interface ConsentScreen {
  provider: 'google' | 'microsoft'
  clientId: string
  scopes: string[]
  /** The app asking: the redirect URI's host, else the provider's own host. */
  domain: string
}

/** Reads client id, scopes and the redirect's host from a Google or Microsoft OAuth consent URL; null for other pages. */
export function parseConsentUrl(url: string): ConsentScreen | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  const host = u.hostname.toLowerCase()
  let provider: ConsentScreen['provider'] | null = null
  if (host === 'accounts.google.com' && /^\/(o\/oauth2\/(v2\/)?auth|signin\/oauth)/.test(u.pathname)) provider = 'google'
  if ((host === 'login.microsoftonline.com' || host === 'login.live.com') && /\/oauth2\/(v2\.0\/)?authorize/.test(u.pathname)) provider = 'microsoft'
  if (!provider) return null
  const clientId = u.searchParams.get('client_id')?.trim() ?? ''
  if (!/^[\x21-\x7e]{1,256}$/.test(clientId)) return null
  const scopes = [...new Set((u.searchParams.get('scope') ?? '').split(/[\s+]+/).map((s) => s.trim()).filter((s) => /^[\x21-\x7e]{1,300}$/.test(s)))].slice(0, 100)
  const redirect = u.searchParams.get('redirect_uri')
  const redirectHost = redirect ? siteHost(redirect) : null
  return { provider, clientId, scopes, domain: redirectHost ?? host }
}

/** A form as the content script sees it when it is submitted: counts and hints, never values but the email. */
export interface FormSnapshot {
  passwordFields: number
  newPasswordFields: number
  /** The first email-like field's value (the only value read). */
  email: string | null
  /** Lower-cased text of the form's id, name, action and submit button. */
  hints: string
}

const SIGNUP_HINT = /sign[\s_-]?up|register|create[\s_-]?(an[\s_-]?)?account|join|get[\s_-]?started|start[\s_-]?free|trial/

/** `signup`, `login`, or null when the form is not an account form (a search box, a newsletter without password…). */
export function classifyForm(f: FormSnapshot): 'login' | 'signup' | null {
  if (!f.email) return null
  if (f.passwordFields >= 2 || f.newPasswordFields > 0 || SIGNUP_HINT.test(f.hints)) return 'signup'
  if (f.passwordFields === 1 || /log[\s_-]?in|sign[\s_-]?in|continue|next/.test(f.hints)) return 'login'
  return null
}

/** UTC day, the unit of "at most one event per domain per day". */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Delay before the n-th retry (n ≥ 1): 30 s doubling to at most an hour, with ±20 % jitter. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1))
  return Math.round(base * (0.8 + 0.4 * random()))
}

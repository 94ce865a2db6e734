import { parseMerchant, withoutGenericWords } from './normalize-merchant.js'
import { PROCESSOR_DOMAINS } from './vocabulary.js'
import { parseDomain, registrableDomain, looksLikeDomain } from './normalize-domain.js'
import { normalizeName } from './normalize-name.js'
import type { SignalKind } from './types.js'

export interface Candidate {
  key: string
  name: string
}

const titleCase = (ws: readonly string[]): string =>
  ws.map((w) => (w.length <= 1 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join(' ')

function fromHost(host: string): Candidate | null {
  if (host === '') return null
  const reg = registrableDomain(host)
  const label = reg.split('.')[0] ?? reg
  const key = label.replace(/[^a-z0-9]/g, '')
  return key === '' ? null : { key, name: reg }
}

function fromWords(ws: readonly string[]): Candidate | null {
  const upper = ws.map((w) => w.toUpperCase())
  // a domain-looking token names the vendor better than the words around it
  const domain = upper.find((t) => /\.([A-Z]{2,}|C)$/.test(t) && !PROCESSOR_DOMAINS.has(t))
  if (domain) return fromHost(registrableDomain(domain.toLowerCase()))
  const kept = withoutGenericWords(upper.filter((t) => !PROCESSOR_DOMAINS.has(t)))
  const key = kept.join('').toLowerCase().replace(/[^a-z0-9]/g, '')
  return key === '' ? null : { key, name: titleCase(kept) }
}

/**
 * The grouping key of an unknown vendor, the same for `SQ *ACME WIDGETS 555-1234 CA`,
 * `ACME WIDGETS INC` and `acmewidgets.com`: letters and digits of the name, lower-case.
 */
export function unknownCandidate(kind: SignalKind, value: string): Candidate | null {
  // An extension id says nothing about its vendor: an unknown extension groups under its name (a `name` signal).
  if (kind === 'extension') return null
  if (kind === 'domain' || ((kind === 'name' || kind === 'oauth_client' || kind === 'sso_app') && looksLikeDomain(value))) {
    return fromHost(parseDomain(value).host)
  }
  if (kind === 'merchant') {
    const p = parseMerchant(value)
    if (p.core.length > 0) return fromWords(p.core)
    return p.prefix ? fromWords([p.prefix.replace(/[^A-Z0-9 ]/g, ' ').trim()]) : null
  }
  const n = normalizeName(value)
  return n === '' ? null : fromWords(n.split(' '))
}

/** Just the key (or '' when the value holds nothing to group by). */
export function candidateKey(kind: SignalKind, value: string): string {
  return unknownCandidate(kind, value)?.key ?? ''
}

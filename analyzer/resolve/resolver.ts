import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { loadCatalog, loadNotApps, type CatalogEntry, type NotAppEntry } from '../../data/catalog/index.js'
import { buildCatalogIndex, rehydrateCatalogIndex, serializeCatalogIndex, type CatalogIndex, type PathHit, type SerializedCatalogIndex } from './catalog-index.js'
import { unknownCandidate } from './candidate-key.js'
import { compact, parseMerchant, withoutGenericWords, type MerchantParts } from './normalize-merchant.js'
import { looksLikeDomain, parseDomain } from './normalize-domain.js'
import { compactName, editDistanceWithin, nameVariants, normalizeName } from './normalize-name.js'
import type { Override, Resolution, ResolveRule, Signal, SignalKind } from './types.js'

/** True when b is a with exactly two neighbouring letters swapped. */
function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false
  let i = 0
  while (a[i] === b[i]) i++
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
}

/** Confidence given to each rule; a match below `minConfidence` becomes an unknown candidate. */
export const RULE_CONFIDENCE: Readonly<Record<ResolveRule, number>> = Object.freeze({
  override: 1,
  'oauth-client-id': 0.99,
  'extension-id': 0.99,
  'exact-domain': 0.98,
  'tenant-domain': 0.96,
  'merchant-pattern': 0.95,
  'sso-label': 0.93,
  'oauth-client-name': 0.92,
  subdomain: 0.9,
  'exact-name': 0.88,
  'merchant-prefix': 0.75,
  'fuzzy-name': 0.7,
  'not-an-app': 0.9,
  unknown: 0,
})

/** Words after a product's name that name no other product (`Flexera One`, `Comm100 Live Chat`, `CloudBees CI`). */
const PRODUCT_WORDS = new Set(
  'one platform cloud service services suite online portal app web saas hq enterprise business pro team teams edition plus live chat ci cd login sign on single signon lms analytics hub'.split(' '),
)

/**
 * Product words that say what kind of product follows a name: `Looker Analytics`, `Absorb LMS` fit, while `Tango
 * Analytics` (a real-estate analytics vendor) is not Tango's how-to guides. A common-word name followed only by
 * `Suite` (`Vera Suite`) names some other maker's suite.
 */
const PRODUCT_WORD_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  analytics: ['analytics'],
  lms: ['learning'],
  chat: ['communication', 'customer-support', 'marketing', 'sales'],
  ci: ['devops', 'engineering'],
  cd: ['devops', 'engineering'],
}

function productWordFits(word: string, e: CatalogEntry): boolean {
  if (word === 'suite' && e.ambiguousName) return false
  const fits = PRODUCT_WORD_CATEGORIES[word]
  return fits === undefined || fits.includes(e.category)
}

/**
 * `Productiv` is a cut word; the whole word (`Productive`) is another product's name, not a typo of it. A plural
 * `s` (`Smartsheets`) stays a typo.
 */
function completesCutWord(label: string, name: string): boolean {
  return label.length === name.length + 1 && label.startsWith(name) && !label.endsWith('s')
}

/** Shortest compact pattern allowed to match the start of a longer run-together token (`ZOOMVIDEOCO`). */
const MIN_INNER_PREFIX = 8

export interface ResolverOptions {
  entries: readonly CatalogEntry[]
  overrides?: readonly Override[]
  /** default 0.6 */
  minConfidence?: number
  /** memo size; default 100,000 distinct (kind, value) pairs */
  cacheSize?: number
  /** known non-SaaS merchants and sites (travel, food, games …); default: the shipped list */
  notApps?: readonly NotAppEntry[]
}

export interface Resolver {
  resolve(signal: Signal): Resolution
  /** how many distinct (kind, value) pairs are memoised right now */
  readonly cacheEntries: number
}

interface Match {
  entry: CatalogEntry
  rule: ResolveRule
  why: string
}

const GOOGLE_CLIENT = /\.apps\.googleusercontent\.com$/
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const isClientId = (v: string): boolean => GOOGLE_CLIENT.test(v) || GUID.test(v) || /^\d{10,}$/.test(v)

function overrideKey(kind: SignalKind, value: string): string {
  switch (kind) {
    case 'merchant': {
      const p = parseMerchant(value)
      return `${kind}|${p.core.join(' ') || p.prefix || ''}`
    }
    case 'domain': {
      const d = parseDomain(value)
      return `${kind}|${d.host}`
    }
    case 'extension':
      return `${kind}|${value.trim().toLowerCase()}`
    default:
      return `${kind}|${compactName(normalizeName(value))}`
  }
}

function normalizedOf(kind: SignalKind, value: string, parts?: MerchantParts): string {
  if (kind === 'merchant') {
    const p = parts ?? parseMerchant(value)
    return p.core.length > 0 ? p.core.join(' ') : (p.prefix ?? '')
  }
  if (kind === 'domain' || looksLikeDomain(value)) return parseDomain(value).host
  return normalizeName(value)
}

/** Builds a resolver over catalog + custom entries; every index is built here, once. */
/**
 * Non-SaaS records join the index as nameless entries, so statement patterns and domains compete on the same
 * longest-match rules as apps (`UBER *EATS` beats `UBER`), while no name, alias or fuzzy rule can ever reach them.
 */
function notAppEntries(notApps: readonly NotAppEntry[]): { entries: CatalogEntry[]; byKey: Map<string, NotAppEntry> } {
  const byKey = new Map<string, NotAppEntry>()
  const entries = notApps.map((n, i) => {
    const key = `not-an-app-${i}`
    byKey.set(key, n)
    const entry: CatalogEntry = {
      key, name: '\u0000', vendor: '\u0000', category: 'other', domains: [...n.domains], tenantPatterns: [],
      merchantPatterns: [...n.merchantPatterns], oauthClients: [], ssoLabels: [], aliases: [], ambiguousName: false,
      sso: { available: null, plan: null }, scim: { available: null, plan: null }, tags: [], precedence: -1, sources: [n.source],
    }
    return entry
  })
  return { entries, byKey }
}

/**
 * Written by `npm run build` beside the compiled module (never in the sources): the index of the shipped catalog
 * and the not-apps (ASCII, read as latin1), which a resolver over exactly those entries reads instead of building it.
 */
export const PREBUILT_INDEX_FILE = 'catalog-index.prebuilt.json'
const PREBUILT_INDEX = fileURLToPath(new URL(`./${PREBUILT_INDEX_FILE}`, import.meta.url))
let prebuiltIndex: SerializedCatalogIndex | null | undefined

/** Whether `entries` are the shipped catalog's own objects, nothing added: then the prebuilt index describes them. */
function isShippedCatalog(entries: readonly CatalogEntry[]): boolean {
  const shipped = loadCatalog().entries
  return entries.length === shipped.length && entries.every((e, i) => e === shipped[i])
}

function indexFor(entries: readonly CatalogEntry[], notApps: readonly CatalogEntry[], shipped: boolean): CatalogIndex {
  const all = [...entries, ...notApps]
  if (shipped) {
    if (prebuiltIndex === undefined) prebuiltIndex = existsSync(PREBUILT_INDEX) ? (JSON.parse(readFileSync(PREBUILT_INDEX, 'latin1')) as SerializedCatalogIndex) : null
    const index = prebuiltIndex ? rehydrateCatalogIndex(prebuiltIndex, all) : null
    if (index) return index
  }
  return buildCatalogIndex(all)
}

/** For the build: the shipped catalog's index as JSON, checked to read back as exactly the index it came from. */
export function serializedShippedIndex(): string {
  const all = [...loadCatalog().entries, ...notAppEntries(loadNotApps()).entries]
  const built = buildCatalogIndex(all)
  const json = JSON.stringify(serializeCatalogIndex(built))
  if (!isDeepStrictEqual(rehydrateCatalogIndex(JSON.parse(json) as SerializedCatalogIndex, all), built)) {
    throw new Error('resolve: serialize the catalog index: it does not read back as the index it came from')
  }
  return json
}

export function createResolver(opts: ResolverOptions): Resolver {
  const notApps = notAppEntries(opts.notApps ?? loadNotApps())
  const index = indexFor(opts.entries, notApps.entries, opts.notApps === undefined && isShippedCatalog(opts.entries))
  const minConfidence = opts.minConfidence ?? 0.6
  const cacheSize = Math.max(1, opts.cacheSize ?? 100_000)
  const overrides = new Map<string, string | null>()
  const rawOverrides = new Map<string, string | null>()
  for (const o of opts.overrides ?? []) {
    if (o.appKey !== null && (!index.byKey.has(o.appKey) || notApps.byKey.has(o.appKey))) {
      throw new Error(`resolve: load overrides: app "${o.appKey}" for ${o.kind} "${o.value}" is not in the catalog`)
    }
    rawOverrides.set(`${o.kind}|${o.value.trim()}`, o.appKey)
    overrides.set(overrideKey(o.kind, o.value), o.appKey)
  }
  const cache = new Map<string, Resolution>()

  function matchDomain(host: string, path: string): Match | null {
    if (host === '') return null
    const labels = host.split('.')
    for (let i = 0; i < labels.length - 1; i++) {
      const suffix = i === 0 ? host : labels.slice(i).join('.')
      const pick = (hits: PathHit[] | undefined): PathHit | undefined =>
        hits?.find((h) => h.path === '' || path === h.path || path.startsWith(`${h.path}/`))
      const exact = pick(index.domains.get(suffix))
      const tenant = i > 0 ? pick(index.tenants.get(suffix)) : undefined
      if (!exact && !tenant) continue
      const shown = (h: PathHit, pattern: string): string => `${pattern}${h.path}`
      if (tenant && (!exact || tenant.path.length >= exact.path.length)) {
        const t = labels.slice(0, i).join('.')
        return {
          entry: tenant.entry,
          rule: 'tenant-domain',
          why: `the domain ${host}${path} is tenant "${t}" of ${shown(tenant, `*.${suffix}`)}, which belongs to ${tenant.entry.name}`,
        }
      }
      const e = exact as PathHit
      return i === 0
        ? { entry: e.entry, rule: 'exact-domain', why: `the domain ${shown(e, host)} belongs to ${e.entry.name}` }
        : { entry: e.entry, rule: 'subdomain', why: `the domain ${host} is under ${shown(e, suffix)}, which belongs to ${e.entry.name}` }
    }
    return null
  }

  function matchMerchantPattern(p: MerchantParts): Match | null {
    const prefixes = p.prefix ? [p.prefix, ''] : ['']
    const joins: string[] = []
    let acc = ''
    for (const t of p.tokens) {
      acc += compact(t)
      joins.push(acc)
    }
    // longest first: whole-token runs, then (for long ones) the start of a run-together token
    for (let k = joins.length - 1; k >= 0; k--) {
      const j = joins[k] as string
      const floor = Math.max(MIN_INNER_PREFIX, (joins[k - 1]?.length ?? 0) + 1)
      for (let len = j.length; len >= 1; len--) {
        if (len < j.length && len < floor) break
        const s = len === j.length ? j : j.slice(0, len)
        for (const pre of prefixes) {
          const hit = index.merchants.get(`${pre}|${s}`)?.[0]
          // a common-word name (ASANA, SENTRY) only counts when nothing but city, legal form or codes follows it
          // (the common word is the name itself: ANTHROPIC, a statement pattern of the ambiguous-named Claude, is no word)
          const bareCommonWord = hit?.ambiguousName === true && pre === '' && k === 0 && len === j.length && p.core.length > 1 && compact(hit.name) === s
          if (hit && !bareCommonWord) {
            const shown = pre ? `${pre} *${s}` : s
            return { entry: hit, rule: 'merchant-pattern', why: `the descriptor starts with ${shown}, a statement pattern of ${hit.name}` }
          }
        }
      }
    }
    if (p.prefix) {
      const hit = index.merchants.get(`${p.prefix}|`)?.[0]
      if (hit) return { entry: hit, rule: 'merchant-prefix', why: `${p.prefix} charges with no recognised merchant after it are ${hit.name}` }
    }
    return null
  }

  /** A common-word name counts alone only for hand-curated entries; a dataset's `Bloom` or `Front` needs more. */
  function lookupName(variants: readonly string[], allowAmbiguous: boolean, allowVendor = true): CatalogEntry | null {
    for (const v of variants) {
      // a gallery or consent-screen label that is only a vendor's name (`Akamai`) is that vendor's own product,
      // not whichever one of its products the catalog happens to hold (Linode)
      if (!allowVendor && index.vendorOnlyNames.has(v)) continue
      const hit = index.names.get(v)?.find((e) => (!e.ambiguousName || (allowAmbiguous && e.sources.includes('sightline-curated'))) && !nameUnlikeDomain(e, v))
      if (hit) return hit
    }
    return null
  }

  /**
   * A dataset entry whose name appears in none of its domains (`Control` at cntrl.site) is a word, not a brand
   * anyone would recognise from a label alone; hand-curated entries are exempt.
   */
  function nameUnlikeDomain(e: CatalogEntry, compactLabel: string): boolean {
    if (e.sources.includes('sightline-curated')) return false
    const hosts = e.domains.map((d) => compactName(d.split('/')[0] ?? ''))
    return !hosts.some((h) => h.includes(compactLabel))
  }

  function fuzzyName(variants: readonly string[]): { entry: CatalogEntry; name: string } | null {
    for (const v of variants) {
      if (v.length >= 6 && v.length < MIN_INNER_PREFIX) {
        // Short names: only two swapped neighbours (Notoin → Notion); a changed letter is another word (Motion),
        // and so is a changed first letter (Raketa is not Arketa)
        const swapped = (index.shortNamesByLength.get(v.length) ?? []).filter((c) => c.name[0] === v[0] && isAdjacentSwap(v, c.name))
        if (swapped.length === 1) return swapped[0] ?? null
        continue
      }
      if (v.length < MIN_INNER_PREFIX) continue
      const found = new Map<string, { entry: CatalogEntry; name: string }>()
      for (const len of [v.length - 1, v.length, v.length + 1]) {
        for (const c of index.longNamesByLength.get(len) ?? []) {
          // a changed first letter makes another word (Costpoint is not Hostpoint); typos keep the first letter
          if (c.name[0] === v[0] && !completesCutWord(v, c.name) && editDistanceWithin(v, c.name, 1) <= 1) found.set(c.entry.key, c)
        }
      }
      // a typo that is one edit away from two different apps is not evidence for either
      if (found.size === 1) return [...found.values()][0] ?? null
    }
    return null
  }

  /**
   * Leading words that name an app (`Figma Enterprise Org`), unless the name is a common word. A vendor's name
   * is no product's (`Cisco Umbrella`, `Adobe Experience Manager`, `SAP Litmos` are not Splunk, Creative Cloud or
   * Concur), and a dataset entry only counts when what follows says nothing (`Flexera One`, not `Insider Track`).
   */
  function namePrefix(normalized: string): CatalogEntry | null {
    const ws = normalized.split(' ')
    for (let k = ws.length - 1; k >= 1; k--) {
      const lead = compactName(ws.slice(0, k).join(''))
      if (index.vendorOnlyNames.has(lead) || index.umbrellaVendors.has(lead)) continue
      const rest = ws.slice(k)
      // a common-word or dataset name needs the rest to be product words (`Looker Analytics Platform`, `Absorb LMS`)
      const plain = (e: CatalogEntry): boolean => rest.every((w) => PRODUCT_WORDS.has(w) && productWordFits(w, e))
      const hit = index.names.get(lead)?.find((e) => plain(e) || (!e.ambiguousName && e.sources.includes('sightline-curated')))
      if (hit) return hit
    }
    return null
  }

  function matchName(value: string, exactRule: ResolveRule, what: string): Match | null {
    const variants = nameVariants(value)
    // a label exactly as an app gallery lists it, matched to its entry by hand, counts even when it is a common
    // word (`Deputy`, `Clever`): the common-word caution is for labels nobody matched
    const labelled = exactRule === 'sso-label' ? index.ssoLabels.get(compactName(normalizeName(value)))?.[0] : undefined
    if (labelled) return { entry: labelled, rule: exactRule, why: `${what} "${value}" is an SSO label of ${labelled.name}` }
    const hit = lookupName(variants, true, exactRule === 'exact-name')
    if (hit) return { entry: hit, rule: exactRule, why: `${what} "${value}" is a known name of ${hit.name}` }
    const fuzzy = fuzzyName(variants)
    if (fuzzy) return { entry: fuzzy.entry, rule: 'fuzzy-name', why: `${what} "${value}" is one letter away from "${fuzzy.name}", a name of ${fuzzy.entry.name}` }
    const prefix = namePrefix(normalizeName(value))
    if (prefix) return { entry: prefix, rule: 'fuzzy-name', why: `${what} "${value}" begins with the name of ${prefix.name}` }
    // `Employee Advocacy by Sprout Social`: an unknown product name, then its maker, a catalogued app (never an umbrella)
    const by = / by (.+)$/i.exec(value.trim())?.[1]
    const maker = by ? compactName(normalizeName(by)) : ''
    if (maker.length >= 4 && !index.umbrellaVendors.has(maker) && !index.vendorOnlyNames.has(maker)) {
      const hit = index.names.get(maker)?.find((e) => !e.ambiguousName && e.sources.includes('sightline-curated'))
      if (hit) return { entry: hit, rule: 'fuzzy-name', why: `${what} "${value}" is made by ${hit.name}` }
    }
    if (looksLikeDomain(value)) {
      const d = parseDomain(value)
      return matchDomain(d.host, d.path)
    }
    return null
  }

  function matchMerchant(p: MerchantParts): Match | null {
    const byPattern = matchMerchantPattern(p)
    if (byPattern && byPattern.rule === 'merchant-pattern') return byPattern
    for (const t of p.tokens) {
      if (!t.includes('.')) continue
      const d = matchDomain(parseDomain(t).host, '')
      if (d) return { ...d, why: `the descriptor names a domain: ${d.why}` }
      // `GOHIGHLEVEL.C`: the field cut the domain; it counts when one catalogued domain begins that way
      const cut = /^[A-Z][A-Z0-9-]{3,}\.C$/.test(t) ? index.cutDomains.get(t.toLowerCase()) : undefined
      if (cut?.length === 1 && cut[0]) {
        const e = cut[0]
        return { entry: e, rule: 'exact-domain', why: `the descriptor names ${t.toLowerCase()}…, the cut-off start of ${e.domains.find((x) => x.startsWith(t.toLowerCase())) ?? e.domains[0]}, which belongs to ${e.name}` }
      }
    }
    if (p.core.length > 0) {
      const variants = [compactName(p.core.join('')), compactName(withoutGenericWords(p.core).join(''))]
      const hit = lookupName(variants, false)
      if (hit) return { entry: hit, rule: 'exact-name', why: `the descriptor "${p.core.join(' ')}" is the name of ${hit.name}` }
    }
    return byPattern
  }

  function compute(signal: Signal): Resolution {
    const { kind, value } = signal
    const parts = kind === 'merchant' ? parseMerchant(value) : undefined
    const normalized = normalizedOf(kind, value, parts)

    const ov = rawOverrides.has(`${kind}|${value.trim()}`)
      ? rawOverrides.get(`${kind}|${value.trim()}`)
      : overrides.get(overrideKey(kind, value))
    if (ov !== undefined) {
      if (ov === null) {
        return { app: null, confidence: 1, rule: 'override', explanation: `An administrator marked "${value}" as not an app.`, normalized, candidate: null }
      }
      const e = index.byKey.get(ov) as CatalogEntry
      return {
        app: { key: e.key, name: e.name, category: e.category },
        confidence: 1,
        rule: 'override',
        explanation: `An administrator mapped "${value}" to ${e.name}.`,
        normalized,
        candidate: null,
      }
    }

    let m: Match | null = null
    switch (kind) {
      case 'merchant':
        m = matchMerchant(parts as MerchantParts)
        break
      case 'domain': {
        const d = parseDomain(value)
        m = matchDomain(d.host, d.path)
        break
      }
      case 'oauth_client': {
        const v = value.trim().toLowerCase()
        if (isClientId(v)) {
          const hit = index.clientIds.get(v)
          if (hit) m = { entry: hit, rule: 'oauth-client-id', why: `OAuth client id ${value.trim()} is published by ${hit.vendor} for ${hit.name}` }
          const label = signal.context?.['name'] ?? signal.context?.['displayText'] ?? signal.context?.['clientName']
          if (!m && label) m = matchName(label, 'oauth-client-name', 'OAuth client')
        } else {
          m = matchName(value, 'oauth-client-name', 'OAuth client')
        }
        break
      }
      case 'sso_app':
        m = matchName(value, 'sso-label', 'SSO app')
        break
      case 'name':
        m = matchName(value, 'exact-name', 'Name')
        break
      case 'extension': {
        const hit = index.extensionIds.get(value.trim().toLowerCase())
        if (hit) m = { entry: hit, rule: 'extension-id', why: `browser extension ${value.trim()} is published by ${hit.vendor} for ${hit.name}` }
        break
      }
    }

    // A consumer subscription (Netflix, YouTube Premium) stays a catalogued product, distinct from the vendor's
    // business one, but it is no company app: it resolves like any other non-SaaS merchant.
    const notApp = m
      ? notApps.byKey.get(m.entry.key) ??
        (m.entry.function === 'consumer-subscription' ? { family: 'consumer-subscription' as const, name: m.entry.name, merchantPatterns: [], domains: [], source: 'catalog' } : undefined)
      : undefined
    if (m && notApp && RULE_CONFIDENCE[m.rule] >= minConfidence) {
      const how = m.rule === 'merchant-prefix' ? 'its processor prefix' : m.rule === 'merchant-pattern' ? 'a statement pattern' : /domain/.test(m.rule) ? 'its domain' : 'its name'
      return {
        app: null,
        confidence: RULE_CONFIDENCE['not-an-app'],
        rule: 'not-an-app',
        explanation: `Not an app (${notApp.family}): "${value.trim()}" is ${notApp.name}, recognised by ${how}.`,
        normalized,
        candidate: null,
        notApp: { family: notApp.family, name: notApp.name },
      }
    }
    if (m && RULE_CONFIDENCE[m.rule] >= minConfidence) {
      return {
        app: { key: m.entry.key, name: m.entry.name, category: m.entry.category },
        confidence: RULE_CONFIDENCE[m.rule],
        rule: m.rule,
        explanation: `${m.why[0]?.toUpperCase()}${m.why.slice(1)}.`,
        normalized,
        candidate: null,
      }
    }
    let candidate = unknownCandidate(kind, value)
    if (!candidate && kind === 'oauth_client') {
      const id = value.trim().toLowerCase()
      candidate = id === '' ? null : { key: id.replace(/[^a-z0-9.-]/g, ''), name: value.trim() }
    }
    return {
      app: null,
      confidence: 0,
      rule: 'unknown',
      explanation: candidate
        ? `No catalog entry matches "${value}"; it is grouped as unknown app "${candidate.key}".`
        : `"${value}" holds nothing that identifies an app.`,
      normalized,
      candidate,
    }
  }

  return {
    resolve(signal: Signal): Resolution {
      const ctx = signal.context && signal.kind === 'oauth_client' ? JSON.stringify(signal.context) : ''
      const key = `${signal.kind}\u0001${signal.value}\u0001${ctx}`
      const hit = cache.get(key)
      if (hit) return hit
      const r = compute(signal)
      if (r.app) Object.freeze(r.app)
      if (r.candidate) Object.freeze(r.candidate)
      Object.freeze(r)
      if (cache.size >= cacheSize) {
        // drop the oldest insertion; Map iteration order is insertion order
        const oldest = cache.keys().next().value
        if (oldest !== undefined) cache.delete(oldest)
      }
      cache.set(key, r)
      return r
    },
    get cacheEntries() {
      return cache.size
    },
  }
}

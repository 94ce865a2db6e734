import type { CatalogEntry } from '../../data/catalog/index.js'
import { compact, parseMerchant } from './normalize-merchant.js'
import { compactName, normalizeName } from './normalize-name.js'

export interface PathHit {
  entry: CatalogEntry
  /** '' or a path prefix such as `/wiki` */
  path: string
}

export interface CatalogIndex {
  byKey: Map<string, CatalogEntry>
  /** host → entries claiming it as a domain (with optional path) */
  domains: Map<string, PathHit[]>
  /** suffix → entries claiming `*.suffix` */
  tenants: Map<string, PathHit[]>
  /** `PREFIX|COMPACT` (PREFIX '' when unqualified) → entries, best first */
  merchants: Map<string, CatalogEntry[]>
  /** lower-case client id → entry */
  clientIds: Map<string, CatalogEntry>
  /** a host cut after the first letter of its top-level domain (`gohighlevel.c`), as 22-character statement fields print it */
  cutDomains: Map<string, CatalogEntry[]>
  /** `<browser>:<extension id>` → entry */
  extensionIds: Map<string, CatalogEntry>
  /** compact name → entries, best first */
  names: Map<string, CatalogEntry[]>
  /** compact SSO label (hand-curated or from an app gallery) → entries, best first: an exact gallery label needs no more */
  ssoLabels: Map<string, CatalogEntry[]>
  /** compact names that are only a vendor's name (standing in for its one catalogued app), never a product's */
  vendorOnlyNames: Set<string>
  /** compact vendor names shared by two or more catalogued apps (Adobe, Cisco, Google): an umbrella, not a product */
  umbrellaVendors: Set<string>
  /** names of 8+ characters, by length, for the typo pass */
  longNamesByLength: Map<number, Array<{ name: string; entry: CatalogEntry }>>
  /** Names of 6–7 characters, for the one typo short names allow: two swapped letters. */
  shortNamesByLength: Map<number, Array<{ name: string; entry: CatalogEntry }>>
}

const prec = (e: CatalogEntry): number => e.precedence ?? 0

function push<K, V>(m: Map<K, V[]>, k: K, v: V, same: (a: V, b: V) => boolean): void {
  const list = m.get(k)
  if (!list) m.set(k, [v])
  else if (!list.some((x) => same(x, v))) list.push(v)
}

function splitPath(pattern: string): [string, string] {
  const slash = pattern.indexOf('/')
  return slash === -1 ? [pattern, ''] : [pattern.slice(0, slash), pattern.slice(slash).replace(/\/+$/, '')]
}

/** The lookup key of a merchant pattern, built with the same parser the descriptors go through. */
export function merchantPatternKey(pattern: string): string {
  const p = parseMerchant(pattern)
  return `${p.prefix ?? ''}|${compact(p.tokens.join(''))}`
}

/** Precompiles every lookup the resolver needs, so one resolution is a handful of Map reads. */
export function buildCatalogIndex(entries: readonly CatalogEntry[]): CatalogIndex {
  const byKey = new Map<string, CatalogEntry>()
  for (const e of entries) byKey.set(e.key, e)
  const all = [...byKey.values()]
  const domains = new Map<string, PathHit[]>()
  const tenants = new Map<string, PathHit[]>()
  const merchants = new Map<string, CatalogEntry[]>()
  const clientIds = new Map<string, CatalogEntry>()
  const extensionIds = new Map<string, CatalogEntry>()
  const names = new Map<string, CatalogEntry[]>()
  const ssoLabels = new Map<string, CatalogEntry[]>()
  const cutDomains = new Map<string, CatalogEntry[]>()
  const samePath = (a: PathHit, b: PathHit): boolean => a.entry === b.entry && a.path === b.path
  const sameEntry = (a: CatalogEntry, b: CatalogEntry): boolean => a === b

  // `Cisco (Splunk)` is Cisco's: the owner outside the brackets is the vendor that counts
  const vendorKeys = new Map<CatalogEntry, string>(all.map((e) => [e, compactName(normalizeName(e.vendor))]))
  const vendorKey = (e: CatalogEntry): string => vendorKeys.get(e) ?? ''
  const vendorCount = new Map<string, number>()
  for (const e of all) vendorCount.set(vendorKey(e), (vendorCount.get(vendorKey(e)) ?? 0) + 1)

  for (const e of all) {
    for (const d of e.domains) {
      const [host, path] = splitPath(d)
      push(domains, host, { entry: e, path }, samePath)
      const dot = host.lastIndexOf('.')
      if (dot > 0 && !host.slice(0, dot).includes('.')) push(cutDomains, host.slice(0, dot + 2), e, sameEntry)
    }
    for (const t of e.tenantPatterns) {
      const [host, path] = splitPath(t.slice(2))
      push(tenants, host, { entry: e, path }, samePath)
    }
    for (const m of e.merchantPatterns) push(merchants, merchantPatternKey(m), e, sameEntry)
    for (const o of e.oauthClients) for (const id of o.clientIds) clientIds.set(id.toLowerCase(), e)
    for (const x of e.extensions ?? []) extensionIds.set(x.toLowerCase(), e)
    for (const label of e.ssoLabels) {
      const k = compactName(normalizeName(label))
      if (k.length < 2) continue
      push(ssoLabels, k, e, sameEntry)
      push(names, k, e, sameEntry)
    }
    const labels = [e.name, ...e.aliases, ...e.oauthClients.map((o) => o.name)]
    for (const label of labels) {
      const k = compactName(normalizeName(label))
      if (k.length >= 2) push(names, k, e, sameEntry)
    }
  }
  // a vendor name identifies an app only when the vendor makes one catalogued app and no app uses it as a name;
  // an owner named in brackets (`IBM (Apptio)`) makes many products the catalog does not hold, so it never does
  const vendorOnlyNames = new Set<string>()
  for (const e of all) {
    const k = vendorKey(e)
    if (k.length >= 2 && !/\(/.test(e.vendor) && vendorCount.get(k) === 1 && !names.has(k)) {
      names.set(k, [e])
      vendorOnlyNames.add(k)
    }
  }
  const umbrellaVendors = new Set([...vendorCount].filter(([k, n]) => n >= 2 && k.length >= 2).map(([k]) => k))
  const byPrecedence = <T>(get: (x: T) => CatalogEntry) => (a: T, b: T) => prec(get(b)) - prec(get(a))
  for (const list of merchants.values()) list.sort(byPrecedence((x: CatalogEntry) => x))
  for (const list of [...names.values(), ...ssoLabels.values()]) list.sort(byPrecedence((x: CatalogEntry) => x))
  for (const list of [...domains.values(), ...tenants.values()]) {
    list.sort((a, b) => b.path.length - a.path.length || prec(b.entry) - prec(a.entry))
  }
  return withTypoBuckets({ byKey, domains, tenants, merchants, clientIds, cutDomains, extensionIds, names, ssoLabels, vendorOnlyNames, umbrellaVendors })
}

type TypoBuckets = Pick<CatalogIndex, 'longNamesByLength' | 'shortNamesByLength'>

/** The index with its typo buckets made on first use: most resolutions (a domain, a merchant) never need them. */
function withTypoBuckets(index: Omit<CatalogIndex, keyof TypoBuckets>): CatalogIndex {
  let buckets: TypoBuckets | undefined
  return {
    ...index,
    get longNamesByLength() {
      return (buckets ??= namesByLength(index.names)).longNamesByLength
    },
    get shortNamesByLength() {
      return (buckets ??= namesByLength(index.names)).shortNamesByLength
    },
  }
}

/** The typo passes' buckets: names of 8+ characters, and of 6–7, by length, each with its best entry. */
function namesByLength(names: ReadonlyMap<string, CatalogEntry[]>): TypoBuckets {
  const longNamesByLength = new Map<number, Array<{ name: string; entry: CatalogEntry }>>()
  const shortNamesByLength = new Map<number, Array<{ name: string; entry: CatalogEntry }>>()
  for (const [name, list] of names) {
    const top = list[0]
    if (!top || name.length < 6) continue
    const buckets = name.length >= 8 ? longNamesByLength : name.length <= 7 ? shortNamesByLength : null
    if (!buckets) continue
    const bucket = buckets.get(name.length)
    if (bucket) bucket.push({ name, entry: top })
    else buckets.set(name.length, [{ name, entry: top }])
  }
  return { longNamesByLength, shortNamesByLength }
}

/**
 * An index as JSON: entries by their position among the distinct keys. `npm run build` writes the shipped
 * catalog's index this way, so a start-up reads it instead of normalising ~14,000 names and patterns.
 */
export interface SerializedCatalogIndex {
  keys: string[]
  domains: [string, [number, string][]][]
  tenants: [string, [number, string][]][]
  merchants: [string, number[]][]
  clientIds: [string, number][]
  cutDomains: [string, number[]][]
  extensionIds: [string, number][]
  names: [string, number[]][]
  ssoLabels: [string, number[]][]
  vendorOnlyNames: string[]
  umbrellaVendors: string[]
}

export function serializeCatalogIndex(index: CatalogIndex): SerializedCatalogIndex {
  const keys = [...index.byKey.keys()]
  const at = new Map(keys.map((k, i) => [k, i] as const))
  const pos = (e: CatalogEntry): number => at.get(e.key)!
  const hits = (m: Map<string, PathHit[]>): [string, [number, string][]][] => [...m].map(([k, list]) => [k, list.map((h) => [pos(h.entry), h.path])])
  const lists = (m: Map<string, CatalogEntry[]>): [string, number[]][] => [...m].map(([k, list]) => [k, list.map(pos)])
  const ones = (m: Map<string, CatalogEntry>): [string, number][] => [...m].map(([k, e]) => [k, pos(e)])
  return {
    keys, domains: hits(index.domains), tenants: hits(index.tenants), merchants: lists(index.merchants),
    clientIds: ones(index.clientIds), cutDomains: lists(index.cutDomains), extensionIds: ones(index.extensionIds), names: lists(index.names), ssoLabels: lists(index.ssoLabels),
    vendorOnlyNames: [...index.vendorOnlyNames], umbrellaVendors: [...index.umbrellaVendors],
  }
}

/**
 * The index `buildCatalogIndex(entries)` would return, from its serialized form; null when it was made for other
 * entries (another catalog, or custom entries added), so the caller builds it instead.
 */
export function rehydrateCatalogIndex(data: SerializedCatalogIndex, entries: readonly CatalogEntry[]): CatalogIndex | null {
  // An index written before a field existed is not this index: build it instead.
  if (!data.cutDomains || !data.ssoLabels || !data.vendorOnlyNames || !data.umbrellaVendors) return null
  const byKey = new Map<string, CatalogEntry>()
  for (const e of entries) byKey.set(e.key, e)
  if (byKey.size !== data.keys.length) return null
  const all = [...byKey.values()]
  for (let i = 0; i < all.length; i++) if (all[i]!.key !== data.keys[i]) return null
  const hits = (rows: [string, [number, string][]][]): Map<string, PathHit[]> => new Map(rows.map(([k, list]) => [k, list.map(([i, path]) => ({ entry: all[i]!, path }))]))
  const lists = (rows: [string, number[]][]): Map<string, CatalogEntry[]> => new Map(rows.map(([k, list]) => [k, list.map((i) => all[i]!)]))
  const ones = (rows: [string, number][]): Map<string, CatalogEntry> => new Map(rows.map(([k, i]) => [k, all[i]!]))
  return withTypoBuckets({
    byKey, domains: hits(data.domains), tenants: hits(data.tenants), merchants: lists(data.merchants),
    clientIds: ones(data.clientIds), cutDomains: lists(data.cutDomains), extensionIds: ones(data.extensionIds), names: lists(data.names), ssoLabels: lists(data.ssoLabels),
    vendorOnlyNames: new Set(data.vendorOnlyNames), umbrellaVendors: new Set(data.umbrellaVendors),
  })
}

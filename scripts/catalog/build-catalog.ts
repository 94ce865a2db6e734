/**
 * Assembles `data/catalog/generated/` (apps) and `data/catalog/not-apps/from-sources.json` (non-SaaS domains) from
 * public datasets, so the catalog can be rebuilt and checked by anyone:
 *
 *   npx tsx scripts/catalog/build-catalog.ts --webappanalyzer DIR --twofactorauth DIR
 *
 * DIR is a checkout of the commit named in `data/catalog/SOURCES.md`. Only facts are taken (a product's name, its
 * official web domain, what kind of product it is); no text of the sources is copied. The hand-curated files in
 * `data/catalog/apps/` are the authority: a source record that claims a domain or a name they already claim is
 * dropped, never merged into them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { catalogFileSchema, type CatalogEntry, type CatalogEntryInput } from '../../data/catalog/schema.js'
import { TWOFACTOR_NOT_APPS, TWOFACTOR_PLACEMENTS, WEBAPPANALYZER_PLACEMENTS, type Placement } from './source-categories.js'

const CATALOG_DIR = fileURLToPath(new URL('../../data/catalog/', import.meta.url))

interface SourceRecord {
  name: string
  host: string
  placement: Placement
  source: string
}

interface NotAppRecord {
  domain: string
  name: string
  family: string
  source: string
}

/** A host that two different products give as their website (a marketplace, a code host, a maker with several products) is no single product's domain. */
const SHARED_HOST_LIMIT = 1

export function hostOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`)
  } catch {
    return null
  }
  const host = parsed.hostname.toLowerCase().replace(/^www\d?\./, '').replace(/\.$/, '')
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null
}

/** Kebab-case ASCII key from a product name (`Zoho Books` → `zoho-books`, `Çelik` → `celik`). */
export function keyOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\+/g, ' plus ')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

const canonicalName = (n: string): string => n.toLowerCase().replace(/[^a-z0-9]+/g, '')

/**
 * A one-word name of six letters or fewer is too likely to be an ordinary word (`Drift`, `Front`, `Pipe`) to name
 * an app on a card statement by itself; longer or multi-word names are distinctive enough.
 */
export function looksAmbiguous(name: string): boolean {
  return /^[A-Za-z]{1,6}$/.test(name.trim())
}

export function readWebappanalyzer(dir: string, commit: string): SourceRecord[] {
  const techDir = join(dir, 'src', 'technologies')
  const out: SourceRecord[] = []
  for (const file of readdirSync(techDir).filter((f) => f.endsWith('.json')).sort()) {
    const techs = JSON.parse(readFileSync(join(techDir, file), 'utf8')) as Record<string, { saas?: boolean; website?: string; cats?: number[] }>
    for (const [name, tech] of Object.entries(techs)) {
      if (tech.saas !== true || !tech.website) continue
      const placement = WEBAPPANALYZER_PLACEMENTS.find(([id]) => tech.cats?.includes(id))?.[1]
      const host = hostOf(tech.website)
      if (!placement || !host) continue
      out.push({ name: name.trim(), host, placement, source: `webappanalyzer@${commit.slice(0, 12)}` })
    }
  }
  return out
}

export function readTwoFactorDirectory(dir: string, commit: string): { apps: SourceRecord[]; notApps: NotAppRecord[] } {
  const entriesDir = join(dir, 'entries')
  const apps: SourceRecord[] = []
  const notApps: NotAppRecord[] = []
  for (const letter of readdirSync(entriesDir).sort()) {
    for (const file of readdirSync(join(entriesDir, letter)).filter((f) => f.endsWith('.json')).sort()) {
      const doc = JSON.parse(readFileSync(join(entriesDir, letter, file), 'utf8')) as Record<string, { domain?: string; categories?: string[] }>
      for (const [name, e] of Object.entries(doc)) {
        const host = e.domain ? hostOf(e.domain) : null
        if (!host) continue
        const cats = e.categories ?? []
        const source = `2fa-directory@${commit.slice(0, 12)}`
        const family = cats.map((c) => TWOFACTOR_NOT_APPS[c]).find((f) => f !== undefined)
        const placement = cats.map((c) => TWOFACTOR_PLACEMENTS[c]).find((p) => p !== undefined)
        // A service listed both as consumer and as business (a bank with an API) is left out of both lists.
        if (family && !placement) notApps.push({ domain: host, name: name.trim(), family, source })
        else if (placement && !family) apps.push({ name: name.trim(), host, placement, source })
      }
    }
  }
  return { apps, notApps }
}

function loadCurated(): CatalogEntry[] {
  const dir = join(CATALOG_DIR, 'apps')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => catalogFileSchema.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))))
}

/**
 * `GoDaddy Online Store` or `Pattern by Etsy` at the maker's domain: the domain is the maker's, not the product's, and charges or sign-ins on
 * it are mostly the maker's main business (domains). Claiming it for the sub-product would misattribute them.
 */
export function isSubProductOnMakersDomain(r: { name: string; host: string }): boolean {
  const words = r.name.toLowerCase().split(/\s+/)
  const labels = r.host.split('.')
  const brand = labels.length === 2 || (labels.length === 3 && labels[1]!.length <= 3) ? labels[0] : undefined
  return words.length >= 2 && brand !== undefined && words.some((w) => w.replace(/[^a-z0-9]/g, '') === brand)
}

export interface BuildResult {
  entries: CatalogEntryInput[]
  notApps: NotAppRecord[]
  dropped: Record<string, number>
}

/** Merges source records into catalog entries that claim nothing a curated entry (or an earlier record) claims. */
export function buildEntries(curated: readonly CatalogEntry[], records: readonly SourceRecord[], notApps: readonly NotAppRecord[]): BuildResult {
  const dropped: Record<string, number> = {}
  const drop = (why: string): void => {
    dropped[why] = (dropped[why] ?? 0) + 1
  }
  const keys = new Set(curated.map((e) => e.key))
  const names = new Set<string>()
  const hosts = new Set<string>()
  const tenantSuffixes = new Set<string>()
  for (const e of curated) {
    for (const n of [e.name, ...e.aliases, ...e.ssoLabels, ...e.oauthClients.map((o) => o.name)]) names.add(canonicalName(n))
    for (const d of e.domains) hosts.add(d.split('/')[0] as string)
    for (const t of e.tenantPatterns) tenantSuffixes.add((t.slice(2).split('/')[0]) as string)
  }
  // distinct products per host: the same product listed by two sources counts once
  const namesPerHost = new Map<string, Set<string>>()
  for (const r of records) namesPerHost.set(r.host, (namesPerHost.get(r.host) ?? new Set()).add(canonicalName(r.name)))
  const perHost = new Map([...namesPerHost].map(([host, names]) => [host, names.size] as const))

  const byHost = new Map<string, CatalogEntryInput & { sources: string[] }>()
  const entries: Array<CatalogEntryInput & { sources: string[] }> = []
  for (const r of records) {
    if (isSubProductOnMakersDomain(r)) {
      drop('a sub-product on its maker’s main domain (GoDaddy Online Store on godaddy.com)')
      continue
    }
    if ((perHost.get(r.host) ?? 0) > SHARED_HOST_LIMIT) {
      drop('shared host (a marketplace or code host, not the product’s own domain)')
      continue
    }
    const seen = byHost.get(r.host)
    if (seen) {
      if (canonicalName(seen.name) === canonicalName(r.name) && !seen.sources.includes(r.source)) seen.sources.push(r.source)
      else drop('second product on the same domain')
      continue
    }
    const labels = r.host.split('.')
    const underClaimed = labels.some((_, i) => i < labels.length - 1 && (hosts.has(labels.slice(i).join('.')) || (i > 0 && tenantSuffixes.has(labels.slice(i).join('.')))))
    if (underClaimed) {
      drop('domain already claimed by a curated entry')
      continue
    }
    const name = canonicalName(r.name)
    if (name.length < 2) {
      drop('name too short')
      continue
    }
    if (names.has(name)) {
      drop('name already claimed')
      continue
    }
    let key = keyOf(r.name)
    if (key === '' || keys.has(key)) key = keyOf(r.host)
    if (keys.has(key)) {
      drop('key already taken')
      continue
    }
    const entry = {
      key,
      name: r.name,
      vendor: r.name,
      category: r.placement.category,
      function: r.placement.function,
      domains: [r.host],
      ambiguousName: looksAmbiguous(r.name),
      sources: [r.source],
    }
    keys.add(key)
    names.add(name)
    hosts.add(r.host)
    byHost.set(r.host, entry)
    entries.push(entry)
  }

  const notAppDomains = new Map<string, NotAppRecord>()
  for (const n of notApps) {
    const labels = n.domain.split('.')
    const claimed = labels.some((_, i) => i < labels.length - 1 && hosts.has(labels.slice(i).join('.')))
    if (claimed) {
      drop('non-SaaS domain also claimed by an app')
      continue
    }
    if (!notAppDomains.has(n.domain)) notAppDomains.set(n.domain, n)
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : 1))
  return { entries, notApps: [...notAppDomains.values()].sort((a, b) => (a.domain < b.domain ? -1 : 1)), dropped }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      webappanalyzer: { type: 'string' },
      'webappanalyzer-commit': { type: 'string', default: '1b9eee8154c0f01e7888c5242cf6fbbc4a3fcea6' },
      twofactorauth: { type: 'string' },
      'twofactorauth-commit': { type: 'string', default: 'f3ac2ab71c6fe4857a4ad1ef039d2a4eaf1a342c' },
    },
  })
  if (!values.webappanalyzer || !values.twofactorauth) {
    console.error('usage: build-catalog --webappanalyzer DIR --twofactorauth DIR (checkouts of the commits in data/catalog/SOURCES.md)')
    process.exit(2)
  }
  const wa = readWebappanalyzer(values.webappanalyzer, values['webappanalyzer-commit'] as string)
  const tfa = readTwoFactorDirectory(values.twofactorauth, values['twofactorauth-commit'] as string)
  const result = buildEntries(loadCurated(), [...wa, ...tfa.apps], tfa.notApps)

  const outDir = join(CATALOG_DIR, 'generated')
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const byCategory = new Map<string, CatalogEntryInput[]>()
  for (const e of result.entries) byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), e])
  for (const [category, list] of [...byCategory].sort()) {
    writeFileSync(join(outDir, `${category}.json`), `[\n${list.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]\n`)
  }
  mkdirSync(join(CATALOG_DIR, 'not-apps'), { recursive: true })
  writeFileSync(
    join(CATALOG_DIR, 'not-apps', 'from-sources.json'),
    `[\n${result.notApps.map((n) => `  ${JSON.stringify(n)}`).join(',\n')}\n]\n`,
  )
  console.log(JSON.stringify({ webappanalyzer: wa.length, twofactorApps: tfa.apps.length, apps: result.entries.length, notAppDomains: result.notApps.length, dropped: result.dropped }, null, 2))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()

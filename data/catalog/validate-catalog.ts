import { catalogEntrySchema, type CatalogEntry } from './schema.js'

export interface CatalogProblem {
  /** the entry's key, or its position when it has no readable key */
  entry: string
  message: string
}

/** Canonical forms used only to detect two entries claiming the same thing. */
const canonicalMerchant = (p: string): string =>
  p.toUpperCase().replace(/\s*\*\s*/g, '*').replace(/[^A-Z0-9*&./]+/g, ' ').trim()
const canonicalName = (n: string): string => n.toLowerCase().replace(/[^a-z0-9]+/g, '')

type ClaimKind = 'domain' | 'tenant pattern' | 'merchant pattern' | 'name'

function claimsOf(e: CatalogEntry): Array<[ClaimKind, string]> {
  const out: Array<[ClaimKind, string]> = []
  for (const d of e.domains) out.push(['domain', d])
  for (const t of e.tenantPatterns) out.push(['tenant pattern', t])
  for (const m of e.merchantPatterns) out.push(['merchant pattern', canonicalMerchant(m)])
  const names = new Set([e.name, ...e.aliases, ...e.ssoLabels, ...e.oauthClients.map((o) => o.name)].map(canonicalName))
  for (const n of names) if (n) out.push(['name', n])
  return out
}

/**
 * Checks entries (catalog files or a company's custom entries) and lists every problem:
 * schema errors, duplicate keys, unknown parents, and two entries claiming the same domain,
 * tenant pattern, merchant pattern or name without precedences that say which one wins.
 */
export function validateCatalog(entries: readonly unknown[]): CatalogProblem[] {
  const problems: CatalogProblem[] = []
  const parsed: CatalogEntry[] = []
  entries.forEach((raw, i) => {
    const r = catalogEntrySchema.safeParse(raw)
    const label =
      typeof raw === 'object' && raw !== null && typeof (raw as { key?: unknown }).key === 'string'
        ? String((raw as { key: string }).key)
        : `#${i}`
    if (!r.success) {
      for (const issue of r.error.issues) {
        problems.push({ entry: label, message: `${issue.path.join('.') || '(entry)'}: ${issue.message}` })
      }
      return
    }
    parsed.push(r.data)
  })
  problems.push(...crossEntryProblems(parsed))
  return problems
}

/**
 * The checks that need every entry at once (keys, parents, competing claims), for entries already parsed by the
 * schema: loading the catalog runs these without parsing 5,000 entries a second time.
 */
export function crossEntryProblems(parsed: readonly CatalogEntry[]): CatalogProblem[] {
  const problems: CatalogProblem[] = []

  const byKey = new Map<string, CatalogEntry>()
  for (const e of parsed) {
    if (byKey.has(e.key)) problems.push({ entry: e.key, message: 'duplicate key' })
    byKey.set(e.key, e)
  }
  for (const e of parsed) {
    if (e.parent !== undefined && !byKey.has(e.parent)) {
      problems.push({ entry: e.key, message: `parent "${e.parent}" is not in the catalog` })
    }
    if (e.parent === e.key) problems.push({ entry: e.key, message: 'an entry cannot be its own parent' })
  }

  const claims = new Map<string, CatalogEntry[]>()
  for (const e of parsed) {
    const seen = new Set<string>()
    for (const [kind, value] of claimsOf(e)) {
      const id = `${kind}\u0000${value}`
      if (seen.has(id)) continue
      seen.add(id)
      const list = claims.get(id)
      if (list) list.push(e)
      else claims.set(id, [e])
    }
  }
  for (const [id, owners] of claims) {
    if (owners.length < 2) continue
    const [kind, value] = id.split('\u0000') as [string, string]
    const top = Math.max(...owners.map((o) => o.precedence ?? 0))
    const winners = owners.filter((o) => (o.precedence ?? 0) === top)
    if (winners.length > 1) {
      problems.push({
        entry: owners.map((o) => o.key).join(', '),
        message: `${kind} "${value}" is claimed by ${owners.length} entries without a precedence that picks one`,
      })
    }
  }
  return problems
}

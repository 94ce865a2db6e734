import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { catalogFileSchema, CATEGORIES, type CatalogEntry, type Category } from './schema.js'
import { crossEntryProblems } from './validate-catalog.js'
import { loadSsoLabelFiles, withSsoLabels } from './sso-labels.js'

export { CATEGORIES, catalogEntrySchema, catalogFileSchema } from './schema.js'
export type { CatalogEntry, CatalogEntryInput, Category } from './schema.js'
export { validateCatalog, type CatalogProblem } from './validate-catalog.js'

export interface Catalog {
  readonly entries: readonly CatalogEntry[]
  byKey(key: string): CatalogEntry | undefined
  readonly categories: readonly Category[]
}

/** Hand-curated entries (the authority), then entries built from public datasets by scripts/catalog. */
const ENTRY_DIRS = [fileURLToPath(new URL('./apps/', import.meta.url)), fileURLToPath(new URL('./generated/', import.meta.url))]

let cached: Catalog | undefined

/** Reads every `apps/*.json` and `generated/*.json`, adds the gallery SSO labels of `sso-labels/`, validates it and fails loudly on any problem; cached per process. */
export function loadCatalog(): Catalog {
  if (cached) return cached
  const entries: CatalogEntry[] = []
  const files = ENTRY_DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f)))
  for (const path of files) {
    const file = path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1)
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'))
    } catch (cause) {
      throw new Error(`catalog: read ${file}: not valid JSON`, { cause })
    }
    const parsed = catalogFileSchema.safeParse(raw)
    if (!parsed.success) {
      const first = parsed.error.issues[0]
      throw new Error(`catalog: validate ${file}: ${first?.path.join('.')}: ${first?.message}`, { cause: parsed.error })
    }
    entries.push(...parsed.data)
  }
  const labelled = withSsoLabels(entries, loadSsoLabelFiles())
  const problems = crossEntryProblems(labelled)
  if (problems.length > 0) {
    const first = problems[0]
    throw new Error(`catalog: check: ${problems.length} problem(s), first: ${first?.entry}: ${first?.message}`)
  }
  const index = new Map(labelled.map((e) => [e.key, e] as const))
  const frozen = Object.freeze(labelled.map((e) => Object.freeze(e)))
  cached = Object.freeze({
    entries: frozen,
    byKey: (key: string) => index.get(key),
    categories: CATEGORIES,
  })
  return cached
}
export { FUNCTIONS, FUNCTION_NAMES, isAppFunction, type AppFunction } from './subcategories.js'
export { loadNotApps, NOT_APP_FAMILIES, type NotAppEntry, type NotAppFamily } from './not-apps.js'

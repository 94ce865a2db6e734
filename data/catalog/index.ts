import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CATEGORIES, type Category } from './categories.js'
import type { CatalogEntry } from './schema.js'

export { CATEGORIES } from './categories.js'
export type { CatalogEntry, CatalogEntryInput, Category } from './schema.js'
export type { CatalogProblem } from './validate-catalog.js'

export interface Catalog {
  readonly entries: readonly CatalogEntry[]
  byKey(key: string): CatalogEntry | undefined
  readonly categories: readonly Category[]
}

/** Hand-curated entries (the authority), then entries built from public datasets by scripts/catalog. */
const ENTRY_DIRS = [fileURLToPath(new URL('./apps/', import.meta.url)), fileURLToPath(new URL('./generated/', import.meta.url))]

/**
 * Written by `npm run build` beside the compiled module (never in the sources): the entries as validated at build
 * time, from the JSON files copied beside it. The `sightline` bin runs a build only while no catalog file changed
 * since, so reading this skips ~0.3 s of schema and cross-entry checks per start. It is ASCII (other characters
 * as \u escapes), so it is read as latin1.
 */
export const PREBUILT_CATALOG_FILE = 'catalog.validated.json'
const PREBUILT = fileURLToPath(new URL(`./${PREBUILT_CATALOG_FILE}`, import.meta.url))

let cached: Catalog | undefined

/** Validating the JSON needs the schema (and zod, ~0.1 s to load); a build that validated it already does not. */
async function loadChecks() {
  const [{ catalogFileSchema }, { crossEntryProblems }, { loadSsoLabelFiles, withSsoLabels }] = await Promise.all([
    import('./schema.js'), import('./validate-catalog.js'), import('./sso-labels.js'),
  ])
  return { catalogFileSchema, crossEntryProblems, loadSsoLabelFiles, withSsoLabels }
}
const prebuilt = existsSync(PREBUILT)
const checks = prebuilt ? null : await loadChecks()

/** Reads every `apps/*.json` and `generated/*.json`, adds the gallery SSO labels of `sso-labels/`, and validates it, failing loudly on any problem (the build writes what this returns). */
export async function readValidatedEntries(): Promise<CatalogEntry[]> {
  return validatedEntries(checks ?? (await loadChecks()))
}

function validatedEntries({ catalogFileSchema, crossEntryProblems, loadSsoLabelFiles, withSsoLabels }: Awaited<ReturnType<typeof loadChecks>>): CatalogEntry[] {
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
  return labelled
}

/** The shipped catalog (validated at build time in a build, here otherwise); cached per process. */
export function loadCatalog(): Catalog {
  if (cached) return cached
  const entries: CatalogEntry[] = prebuilt ? (JSON.parse(readFileSync(PREBUILT, 'latin1')) as { entries: CatalogEntry[] }).entries : validatedEntries(checks!)
  const index = new Map(entries.map((e) => [e.key, e] as const))
  const frozen = Object.freeze(entries.map((e) => Object.freeze(e)))
  cached = Object.freeze({
    entries: frozen,
    byKey: (key: string) => index.get(key),
    categories: CATEGORIES,
  })
  return cached
}
export { FUNCTIONS, FUNCTION_NAMES, isAppFunction, type AppFunction } from './subcategories.js'
export { loadNotApps, NOT_APP_FAMILIES, type NotAppEntry, type NotAppFamily } from './not-apps.js'

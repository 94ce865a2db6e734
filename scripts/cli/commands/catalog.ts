import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import type { Kysely } from 'kysely'
import type { Database } from '../../../data/database.js'
import { CATEGORIES, catalogEntrySchema, loadCatalog, validateCatalog, type CatalogEntry, type CatalogProblem } from '../../../data/catalog/index.js'
import { loadCustomEntryRows } from '../../../data/custom-catalog.js'
import { withStore, type GlobalFlags } from '../context.js'
import { parseFormat, renderRows } from '../format.js'
import { UsageError } from '../errors.js'

/** The shipped catalog files, read raw so `catalog check` can list every problem rather than stop at the first. */
const SHIPPED_DIR = fileURLToPath(new URL('../../../data/catalog/apps/', import.meta.url))

export interface ListedEntry {
  entry: CatalogEntry
  source: 'shipped' | 'custom'
}

/** Shipped entries plus the company's valid custom entries; a custom entry with a shipped key is skipped (check reports it). */
export async function loadAllEntries(db: Kysely<Database>): Promise<ListedEntry[]> {
  const shipped = loadCatalog().entries.map((entry) => ({ entry, source: 'shipped' as const }))
  const keys = new Set(shipped.map((s) => s.entry.key))
  const custom: ListedEntry[] = []
  for (const row of await loadCustomEntryRows(db)) {
    let raw: unknown
    try {
      raw = JSON.parse(row.entry)
    } catch {
      continue
    }
    const parsed = catalogEntrySchema.safeParse(raw)
    if (parsed.success && !keys.has(parsed.data.key)) custom.push({ entry: parsed.data, source: 'custom' })
  }
  return [...shipped, ...custom]
}

export async function findEntry(db: Kysely<Database>, key: string): Promise<ListedEntry | undefined> {
  return (await loadAllEntries(db)).find((e) => e.entry.key === key)
}

/** Every problem of the shipped files and the custom entries, checked together (a custom entry may clash with a shipped one). */
export async function checkCatalog(db: Kysely<Database>, shippedDir: string = SHIPPED_DIR): Promise<CatalogProblem[]> {
  const problems: CatalogProblem[] = []
  const entries: unknown[] = []
  for (const file of readdirSync(shippedDir).filter((f) => f.endsWith('.json')).sort()) {
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(join(shippedDir, file), 'utf8'))
    } catch (cause) {
      problems.push({ entry: file, message: `not valid JSON: ${(cause as Error).message}` })
      continue
    }
    if (!Array.isArray(raw)) problems.push({ entry: file, message: 'expected an array of entries' })
    else entries.push(...(raw as unknown[]))
  }
  for (const row of await loadCustomEntryRows(db)) {
    let raw: unknown
    try {
      raw = JSON.parse(row.entry)
    } catch (cause) {
      problems.push({ entry: `custom ${row.key}`, message: `not valid JSON: ${(cause as Error).message}` })
      continue
    }
    if (typeof raw !== 'object' || raw === null || (raw as { key?: unknown }).key !== row.key) {
      problems.push({ entry: `custom ${row.key}`, message: 'the stored entry does not carry its own key' })
    }
    entries.push(raw)
  }
  return [...problems, ...validateCatalog(entries)]
}

export function registerCatalog(program: Command): void {
  const catalog = program.command('catalog').description('the SaaS catalog: shipped entries plus your own')
  catalog
    .command('list')
    .description('list catalog entries')
    .option('--category <category>', `only this category (${CATEGORIES.join(', ')})`)
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (opts: { category?: string; format: string }, cmd: Command) => {
      const format = parseFormat(opts.format)
      if (opts.category && !(CATEGORIES as readonly string[]).includes(opts.category)) {
        throw new UsageError(`--category ${opts.category}: expected one of ${CATEGORIES.join(', ')}`)
      }
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const rows = (await loadAllEntries(store.db))
          .filter((e) => !opts.category || e.entry.category === opts.category)
          .sort((a, b) => a.entry.key.localeCompare(b.entry.key))
          .map(({ entry, source }) => ({ key: entry.key, name: entry.name, vendor: entry.vendor, category: entry.category, source, domains: entry.domains.join(' ') }))
        process.stdout.write(`${renderRows(rows, ['key', 'name', 'vendor', 'category', 'source', 'domains'], format)}\n`)
      })
    })
  catalog
    .command('show')
    .description('print one catalog entry as JSON')
    .argument('<key>', 'catalog key, e.g. slack')
    .action(async (key: string, _opts: unknown, cmd: Command) => {
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const found = await findEntry(store.db, key)
        if (!found) throw new UsageError(`catalog show ${key}: no catalog entry has this key`)
        process.stdout.write(`${JSON.stringify({ ...found.entry, source: found.source }, null, 2)}\n`)
      })
    })
  catalog
    .command('check')
    .description('validate the shipped catalog and your custom entries; one line per problem, exit 1 if any')
    .action(async (_opts: unknown, cmd: Command) => {
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const problems = await checkCatalog(store.db)
        for (const p of problems) process.stdout.write(`${p.entry}: ${p.message}\n`)
        if (problems.length > 0) {
          process.stderr.write(`catalog check: ${problems.length} problem(s)\n`)
          process.exitCode = 1
        } else process.stdout.write('catalog check: no problems\n')
      })
    })
}

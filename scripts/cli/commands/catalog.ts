import type { Command } from 'commander'
import { CATEGORIES } from '../../../data/catalog/index.js'
import { checkCatalog, findEntry, loadAllEntries } from '../../../data/custom-catalog.js'
import { withStore, type GlobalFlags } from '../context.js'
import { parseFormat, renderRows } from '../format.js'
import { UsageError } from '../errors.js'
import { NotFoundError } from '../../../data/errors.js'

export function registerCatalog(program: Command): void {
  const catalog = program.command('catalog').description('the SaaS catalog: shipped entries plus your own')
  catalog
    .command('list')
    .description('list catalog entries')
    .option('--category <category>', `only this category (${CATEGORIES.join(', ')})`)
    .option('--format <format>', 'table, csv, json (one document) or jsonl (one object a line)', 'table')
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
        if (!found) throw new NotFoundError(`catalog show ${key}: no catalog entry has this key`)
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

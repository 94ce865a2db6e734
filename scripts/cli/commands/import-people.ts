import { printable } from '../format.js'
import type { Command } from 'commander'
import { importRoster } from '../../../collectors/people-csv/index.js'
import { ROSTER_FIELDS, type RosterField } from '../../../collectors/people-csv/layouts.js'
import { ROSTER_REJECT_THRESHOLD, type DateOrder } from '../../../collectors/people-csv/parse-roster.js'
import { withStore, type GlobalFlags } from '../context.js'
import { createOutput } from '../output.js'
import { loadResolver } from '../../../analyzer/resolve/load-resolver.js'
import { UsageError, rethrowIfStoreUnavailable } from '../errors.js'

function parseMapping(pairs: readonly string[]): Partial<Record<RosterField, string>> {
  const mapping: Partial<Record<RosterField, string>> = {}
  for (const pair of pairs.flatMap((p) => p.split(','))) {
    const eq = pair.indexOf('=')
    const field = pair.slice(0, eq).trim() as RosterField
    if (eq < 1 || !ROSTER_FIELDS.includes(field)) {
      throw new UsageError(`--map ${pair}: expected FIELD=COLUMN with FIELD one of ${ROSTER_FIELDS.join(', ')}`)
    }
    mapping[field] = pair.slice(eq + 1).trim()
  }
  return mapping
}

export function registerImportPeople(importCmd: Command): void {
  importCmd
    .command('people')
    .description('import people from an HR roster CSV (BambooHR, Rippling, Gusto, Workday, or any CSV with --map)')
    .argument('<files...>', 'roster CSV files')
    // One value per --map (repeat it): a variadic option would swallow the file arguments that follow it.
    .option('--map <FIELD=COLUMN>', `name the column of a field (${ROSTER_FIELDS.join(', ')}); repeat it or separate pairs with commas`, (v: string, prev: string[] = []) => [...prev, v])
    .option('--date-format <format>', 'how to read slashed dates: MM/DD/YYYY (default) or DD/MM/YYYY')
    .option('--reject-threshold <share>', `refuse the whole roster when more than this share of rows has no usable email (default ${ROSTER_REJECT_THRESHOLD})`)
    .option('--json', 'print one JSON object per file')
    .action(async (files: string[], opts: { map?: string[]; dateFormat?: string; rejectThreshold?: string; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      const mapping = parseMapping(opts.map ?? [])
      const rejectThreshold = opts.rejectThreshold === undefined ? undefined : Number(opts.rejectThreshold)
      if (rejectThreshold !== undefined && !(rejectThreshold >= 0 && rejectThreshold <= 1)) {
        throw new UsageError(`--reject-threshold ${opts.rejectThreshold}: expected a share between 0 and 1, e.g. 0.1`)
      }
      if (opts.dateFormat && !['MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY-MM-DD'].includes(opts.dateFormat)) {
        throw new UsageError(`--date-format ${opts.dateFormat}: expected MM/DD/YYYY, DD/MM/YYYY or YYYY-MM-DD`)
      }
      let failed = false
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const resolver = await loadResolver(store.db)
        for (const path of files) {
          const progress = out.progress(`people ${path}`)
          try {
            const summary = await importRoster(store, { path, mapping, dateFormat: opts.dateFormat as DateOrder | undefined, rejectThreshold }, { resolver, onProgress: progress.onEvent })
            progress.stop()
            if (out.json) out.result(summary)
            else {
              out.result(`${summary.file}: layout ${summary.layout}: read ${summary.read}, imported ${summary.imported} (${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged), duplicates ${summary.duplicates}, rejected ${summary.rejected}`)
              for (const e of summary.errors) out.info(`  ${e}`)
              if (summary.warnings.length > 0) out.info(`  ${summary.warnings.length} row(s) kept with a field left empty:`)
              for (const w of summary.warnings) out.info(`  ${w}`)
              if (summary.missingFromRoster.length > 0) {
                const shown = summary.missingFromRoster.slice(0, 20).map((e) => `${e} (since ${summary.missingSince[e]?.slice(0, 10) ?? '?'})`)
                out.result(`  ${summary.missingFromRoster.length} people from earlier rosters are missing from the roster (kept, not deleted): ${shown.join(', ')}${summary.missingFromRoster.length > 20 ? ' …' : ''}`)
              }
            }
          } catch (error) {
            progress.stop()
            rethrowIfStoreUnavailable(error)
            failed = true
            if (out.json) out.result({ file: path, error: (error as Error).message })
            else process.stderr.write(`sightline: import people: ${printable((error as Error).message)}\n`)
          }
        }
      })
      if (failed) process.exitCode = 1
    })
}

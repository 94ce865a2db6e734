import type { Command } from 'commander'
import { inventoryStats } from '../../../data/stats.js'
import { withStore, type GlobalFlags } from '../context.js'
import { createOutput } from '../output.js'

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('count the rows of every inventory table and show the last run of each source')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const stats = await inventoryStats(store.db)
        if (out.json) {
          out.result({ database: store.displayUrl, dialect: store.dialect, ...stats })
          return
        }
        out.result(`${store.displayUrl} (${store.dialect})`)
        const width = Math.max(...Object.keys(stats.tables).map((t) => t.length))
        for (const [table, n] of Object.entries(stats.tables)) out.result(`  ${table.padEnd(width)}  ${n}`)
        const r = stats.roster
        if (r.roster) {
          out.result(`HR roster: ${r.onRoster} people listed, ${r.missing.length} missing from the latest roster, ${r.unmatchedIdentities} directory identities matching nobody on it`)
          for (const m of r.missing.slice(0, 50)) out.result(`  missing since ${m.since.slice(0, 10)}  ${m.email} (${m.status})`)
          if (r.missing.length > 50) out.result(`  … ${r.missing.length - 50} more (--json lists all)`)
        } else {
          out.result('HR roster: none imported (directories are the only word on who works here)')
        }
        out.result('last run per source:')
        if (stats.lastRuns.length === 0) out.result('  (none yet)')
        for (const r of stats.lastRuns) {
          out.result(`  ${r.collector.padEnd(14)} ${r.status.padEnd(11)} ${r.startedAt}  ${r.sourceKey}${r.error ? `  error: ${r.error}` : ''}`)
        }
      })
    })
}

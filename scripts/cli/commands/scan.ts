import { printable } from '../format.js'
import type { Command } from 'commander'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError, rethrowIfStoreUnavailable } from '../errors.js'
import { createOutput } from '../output.js'
import { loadResolver } from '../../../analyzer/resolve/load-resolver.js'
import { SCANNERS } from '../scanners.js'

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(`scan live sources (${Object.keys(SCANNERS).join(', ')}); with no source, every configured one. Interrupted scans resume from their checkpoint.`)
    .argument('[sources...]', 'which sources')
    .option('--fresh', 'start over instead of resuming an interrupted scan')
    .option('--json', 'print one JSON object per source')
    .action(async (sources: string[], opts: { fresh?: boolean; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      for (const s of sources) if (!SCANNERS[s]) throw new UsageError(`scan ${s}: unknown source; known: ${Object.keys(SCANNERS).join(', ')}`)
      const selected = sources.length > 0 ? sources : Object.keys(SCANNERS).filter((s) => process.env[SCANNERS[s]!.configuredBy])
      if (selected.length === 0) {
        throw new UsageError(`scan: no source is configured; set ${Object.values(SCANNERS).map((s) => s.configuredBy).join(' or ')} (see README "Live scans")`)
      }
      let failed = false
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const resolver = await loadResolver(store.db)
        for (const name of selected) {
          const progress = out.progress(`scan ${name}`)
          try {
            const result = await SCANNERS[name]!.scan(store, process.env, { resolver, onProgress: progress.onEvent, fresh: opts.fresh })
            progress.stop()
            if (result.status !== 'completed') failed = true
            const summary = { source: name, runId: result.runId, status: result.status, counts: result.counts, itemErrors: result.itemErrors.length, error: result.error?.message ?? null }
            if (out.json) out.result(summary)
            else {
              out.result(`${name}: ${result.status} (run ${result.runId})${result.error ? `: ${result.error.message}` : ''}`)
              for (const e of result.itemErrors.slice(0, 20)) out.info(`  ${e.item}: ${e.message}`)
              if (result.status === 'partial') out.info(`  ${result.itemErrors.length} item(s) failed: nothing was marked removed by this scan`)
            }
          } catch (error) {
            progress.stop()
            rethrowIfStoreUnavailable(error)
            failed = true
            if (out.json) out.result({ source: name, error: (error as Error).message })
            else process.stderr.write(`sightline: scan ${name}: ${printable((error as Error).message)}\n`)
          }
        }
      })
      if (failed) process.exitCode = 1
    })
}

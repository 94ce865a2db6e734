import { printable } from '../format.js'
import type { Command } from 'commander'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError, rethrowIfStoreUnavailable } from '../errors.js'
import { FILE_IMPORTERS, formatHint } from '../importers.js'
import { explainNothingImported } from '../../../collectors/sdk/nothing-imported.js'
import { createOutput } from '../output.js'
import { loadResolver } from '../../../analyzer/resolve/load-resolver.js'

const WHAT: Record<keyof typeof FILE_IMPORTERS, string> = {
  signins: 'sign-in logs (Okta System Log, Entra sign-ins, Google Reports, any SSO/proxy log as CSV)',
  grants: 'OAuth grants (Google tokens.list, Graph oauth2PermissionGrants)',
  directory: 'directory exports (users, IdP apps and their assignments)',
  telemetry: 'browser-extension telemetry',
  software: 'browser extensions and desktop software per device (Chrome activity, osquery, Fleet)',
}

export function registerImportFiles(importCmd: Command): void {
  for (const what of Object.keys(FILE_IMPORTERS) as (keyof typeof FILE_IMPORTERS)[]) {
    const formats = FILE_IMPORTERS[what]
    const ids = Object.keys(formats)
    importCmd
      .command(what)
      .description(`import ${WHAT[what]}${ids.length ? ` — formats: ${ids.join(', ')}` : ''}`)
      .argument('<files...>', 'export files (or directories, where the format says so)')
      .option('--format <id>', `one of: ${ids.join(', ') || '(none yet)'}`, ids.length === 1 ? ids[0] : undefined)
      .option('--map <FIELD=COLUMN>', 'column mapping, for formats that take one (csv); repeat it or separate pairs with commas', (v: string, prev: string[] = []) => [...prev, v])
      .option('--source <name>', 'name the source, for formats that take one (csv: e.g. onelogin, jumpcloud)')
      .option('--json', 'print one JSON object per file')
      .action(async (files: string[], opts: { format?: string; map?: string[]; source?: string; json?: boolean }, cmd: Command) => {
        const importer = opts.format ? formats[opts.format] : undefined
        if (!importer) {
          throw new UsageError(`import ${what}: ${opts.format ? `unknown --format ${opts.format}` : '--format is required'}; known: ${ids.map((id) => `${id} (${formats[id]!.description})`).join(', ') || 'none'}`)
        }
        const out = createOutput({ json: Boolean(opts.json) })
        let failed = false
        await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
          const resolver = await loadResolver(store.db)
          for (const path of files) {
            const progress = out.progress(`${what} ${path}`)
            try {
              const s = await importer.run(store, path, { resolver, onProgress: progress.onEvent }, { map: opts.map, source: opts.source })
              progress.stop()
              // A file that gave nothing is a failure with its reason, never a quiet zero.
              const nothing = explainNothingImported(s, s.imported + s.duplicates === 0 ? await formatHint(what, opts.format!, path) : null)
              if (nothing) failed = true
              if (out.json) out.result(nothing ? { ...s, error: nothing.message, reason: nothing.reason, hint: nothing.hint } : s)
              else {
                const skipped = Object.entries(s.skippedBy ?? {}).sort((a, b) => b[1] - a[1])
                out.result(
                  `${s.file}: ${s.layout}: read ${s.read}, imported ${s.imported}, duplicates ${s.duplicates}, rejected ${s.rejected}` +
                    (skipped.length ? `, skipped ${skipped.reduce((n, [, v]) => n + v, 0)} (${skipped.slice(0, 5).map(([k, v]) => `${k}: ${v}`).join('; ')}${skipped.length > 5 ? `; ${skipped.length - 5} more types` : ''})` : '') +
                    ` (${s.status})`,
                )
                for (const w of s.warnings ?? []) out.info(`  warning: ${w}`)
                for (const e of s.errors.slice(0, 50)) out.info(`  ${e}`)
                if (s.errors.length > 50) out.info(`  … and ${s.errors.length - 50} more`)
                if (nothing) process.stderr.write(`sightline: import ${what}: ${printable(s.file)}: ${printable(nothing.message)}\n`)
              }
            } catch (error) {
              progress.stop()
              rethrowIfStoreUnavailable(error)
              failed = true
              if (out.json) out.result({ file: path, error: (error as Error).message })
              else process.stderr.write(`sightline: import ${what}: ${printable((error as Error).message)}\n`)
            }
          }
        })
        if (failed) process.exitCode = 1
      })
  }
}

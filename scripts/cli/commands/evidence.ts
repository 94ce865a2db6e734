import type { KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { loadEd25519Key } from '../../../data/evidence/manifest.js'
import { exportInventory, parseAsOf } from '../../../data/evidence/inventory-export.js'
import { parsePeriod } from '../../../data/evidence/period.js'
import { verifyEvidenceZip } from '../../../data/evidence/verify.js'
import { exportEvidence } from '../../../review-ui/evidence/build.js'
import { DEFAULT_CHROMIUM_PATH } from '../../../review-ui/evidence/pdf.js'
import { evidenceSigningKeyText } from '../../config.js'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError } from '../errors.js'
import { printable } from '../format.js'

/** Signing key (SIGHTLINE_EVIDENCE_SIGNING_KEY) and Chromium for the web app's evidence downloads. */
export function evidenceSettingsFromEnv(): { signingKey?: KeyObject; pdf: { executablePath: string } } {
  const keyText = evidenceSigningKeyText()
  return { signingKey: keyText ? loadEd25519Key('private', keyText.text, keyText.from) : undefined, pdf: { executablePath: DEFAULT_CHROMIUM_PATH } }
}

const cliActor = (): string => `cli:${process.env.USER ?? process.env.LOGNAME ?? 'unknown'}`

function usage<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^evidence: /, ''), { cause: error })
  }
}

interface EvidenceFlags {
  period?: string
  campaign?: string
  out?: string
  pdf: boolean
  chromium?: string
  json?: boolean
}

export function registerExport(program: Command): void {
  const exp = program.command('export').description('exports for auditors (each one is recorded in the audit trail)')

  exp
    .command('evidence')
    .description('write an evidence zip for a period (report.html/.pdf, CSVs, audit events, manifest; signed when SIGHTLINE_EVIDENCE_SIGNING_KEY is set)')
    .option('--period <period>', 'a quarter (2026-Q3), a month (2026-07) or a year (2026)')
    .option('--out <file>', 'the zip to write (default: sightline-evidence-PERIOD.zip)')
    .option('--no-pdf', 'leave report.pdf out (no Chromium needed)')
    .option('--chromium <path>', 'Chromium to print the PDF with', DEFAULT_CHROMIUM_PATH)
    .option('--json', 'print the result as JSON')
    .action(async (opts: EvidenceFlags, cmd: Command) => {
      if (!opts.period) throw new UsageError('export evidence: give --period (e.g. 2026-Q3)')
      const period = usage(() => parsePeriod(opts.period!))
      const { signingKey } = evidenceSettingsFromEnv()
      const outPath = resolve(opts.out ?? `sightline-evidence-${period.label}.zip`)
      const result = await withStore(cmd.optsWithGlobals<GlobalFlags>(), (store) =>
        exportEvidence(store.db, { scope: { kind: 'period', period }, outPath, actor: cliActor(), signingKey, pdf: opts.pdf ? { executablePath: opts.chromium } : false }),
      )
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`)
        return
      }
      process.stdout.write(`export evidence: wrote ${result.path}: ${result.files.length} files, ${result.events} audit events, manifest SHA-256 ${result.manifestSha256}${result.signed ? ', signed' : ', not signed'}\n`)
    })

  exp
    .command('inventory')
    .description('the app inventory, people × apps access matrix and open findings as they stood at a date')
    .requiredOption('--as-of <date>', 'a date (YYYY-MM-DD: the end of that day, UTC) or an ISO-8601 time')
    .option('--format <format>', 'csv (a directory of files) or json', 'csv')
    .option('--out <path>', 'csv: the directory (default inventory-as-of-DATE); json: a file (default: standard output)')
    .action(async (opts: { asOf: string; format: string; out?: string }, cmd: Command) => {
      const asOf = usage(() => parseAsOf(opts.asOf))
      if (opts.format !== 'csv' && opts.format !== 'json') throw new UsageError(`--format ${opts.format}: expected csv or json`)
      const format = opts.format
      const out = opts.out ? resolve(opts.out) : format === 'csv' ? resolve(`inventory-as-of-${asOf.slice(0, 10)}`) : null
      const result = await withStore(cmd.optsWithGlobals<GlobalFlags>(), (store) => exportInventory(store.db, { asOf, format, out, actor: cliActor() }))
      if (format === 'json' && !out) {
        process.stdout.write(`${JSON.stringify(result.inventory)}\n`)
        return
      }
      const inv = result.inventory
      process.stdout.write(`export inventory: as of ${asOf}: ${inv.apps.length} apps, ${inv.access.length} access rows, ${inv.findings.length} open findings → ${result.files.join(', ')}\n`)
    })
}

export function registerEvidence(program: Command): void {
  const evidence = program.command('evidence').description('evidence packages for auditors')
  evidence
    .command('verify')
    .argument('<file>', 'the evidence zip')
    .description('check an evidence zip offline, without a database: every file against the manifest, the signature, the audit chain')
    .option('--public-key <file>', 'Ed25519 public key (PEM) to check the manifest signature with')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { publicKey?: string; json?: boolean }) => {
      let publicKey
      if (opts.publicKey) {
        let text: string
        try {
          text = readFileSync(opts.publicKey, 'utf8')
        } catch (error) {
          throw new UsageError(`--public-key ${opts.publicKey}: ${(error as Error).message}`, { cause: error })
        }
        publicKey = usage(() => loadEd25519Key('public', text, `--public-key ${opts.publicKey}`))
      }
      const check = await verifyEvidenceZip(resolve(file), { publicKey })
      if (!check.ok) process.exitCode = 1
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(check)}\n`)
        return
      }
      if (check.ok) {
        const sig = check.signature === 'valid' ? 'signature valid' : 'signature not checked (no --public-key)'
        process.stdout.write(`evidence verify: OK: ${file}: ${check.files} files match the manifest, ${sig}, audit chain of ${check.events} events holds from its anchor (event ${check.anchor?.anchor_seq ?? 0})\n`)
        return
      }
      process.stdout.write(`evidence verify: FAILED: ${file}: ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}\n`)
      for (const p of check.problems) process.stdout.write(`  - ${printable(`${p.file ? `${JSON.stringify(p.file)}: ` : ''}${p.message}`)}\n`)
    })
}

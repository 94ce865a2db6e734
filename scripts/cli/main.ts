import { Command, CommanderError } from 'commander'
import { registerAnalyze, registerFindings } from './commands/analyze.js'
import { registerApps } from './commands/apps.js'
import { registerCatalog } from './commands/catalog.js'
import { registerDb } from './commands/db.js'
import { registerResolve } from './commands/resolve.js'
import { registerScan } from './commands/scan.js'
import { registerSpend } from './commands/spend.js'
import { registerImportFiles } from './commands/import-files.js'
import { registerImportPeople } from './commands/import-people.js'
import { registerDemo } from './commands/demo.js'
import { registerStats } from './commands/stats.js'
import { registerConfiguredSecrets } from '../config.js'
import { registerAudit } from './commands/audit.js'
import { registerEvidence, registerExport } from './commands/evidence.js'
import { registerServe } from './commands/serve.js'
import { registerUsers } from './commands/users.js'
import { exitCodeFor } from './errors.js'
import { registerTokens } from './commands/tokens.js'
import { registerCampaigns } from './commands/campaigns.js'
import { printable } from './format.js'

export function buildProgram(): Command {
  const program = new Command()
  program
    .name('sightline')
    .description('Sightline: every SaaS app your company really uses, who has access, who pays — from your own data.')
    .option('--db <url>', 'inventory database: a SQLite file path or postgres://… (default: $SIGHTLINE_DATABASE_URL or ./data/sightline.db)')
    .option('--verbose', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride()
  registerDb(program)
  const importCmd = program.command('import').description('import data from files (HR rosters, card statements, sign-in logs, OAuth grants)')
  registerImportPeople(importCmd)
  registerImportFiles(importCmd)
  registerSpend(program, importCmd)
  registerDemo(program)
  registerScan(program)
  registerStats(program)
  registerAnalyze(program)
  registerResolve(program)
  registerCatalog(program)
  registerApps(program)
  registerFindings(program)
  registerAudit(program)
  registerExport(program)
  registerEvidence(program)
  registerUsers(program)
  registerServe(program)
  registerTokens(program)
  registerCampaigns(program)
  return program
}

export async function main(argv: readonly string[]): Promise<number> {
  registerConfiguredSecrets()
  const program = buildProgram()
  try {
    await program.parseAsync(argv as string[], { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version end here too, with exit code 0
      return error.exitCode
    }
    const verbose = argv.includes('--verbose')
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`sightline: ${printable(message)}\n`)
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`)
    return exitCodeFor(error)
  }
}

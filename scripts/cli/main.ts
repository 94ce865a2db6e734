import { Command, CommanderError } from 'commander'
import { registerConfiguredSecrets } from '../config.js'
import { exitCodeFor } from './errors.js'
import { printable } from './format.js'

/**
 * The commands, grouped by the module that registers them. Only the module of the command being run is loaded
 * (with its vendor SDKs, the catalog, the database driver …); every other command is listed by name and
 * description alone, which is all `sightline --help` prints. A test checks these descriptions against the modules'.
 */
export interface CommandGroup {
  /** Top-level command names this group registers, with their descriptions as the modules give them. */
  readonly commands: Readonly<Record<string, string>>
  register(program: Command): Promise<void>
}

const IMPORT_DESCRIPTION = 'import data from files (HR rosters, card statements, sign-in logs, OAuth grants)'

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    commands: { db: 'create, upgrade and inspect the inventory database' },
    register: async (program) => (await import('./commands/db.js')).registerDb(program),
  },
  {
    // `import spend` and the `spend` reports live in one module.
    commands: { import: IMPORT_DESCRIPTION, spend: 'spend reports' },
    register: async (program) => {
      const [people, files, spend] = await Promise.all([import('./commands/import-people.js'), import('./commands/import-files.js'), import('./commands/spend.js')])
      const importCmd = program.command('import').description(IMPORT_DESCRIPTION)
      people.registerImportPeople(importCmd)
      files.registerImportFiles(importCmd)
      spend.registerSpend(program, importCmd)
    },
  },
  {
    commands: { demo: 'generate a demo company (raw vendor exports), import it, analyze it, and score the findings against what was planted' },
    register: async (program) => (await import('./commands/demo.js')).registerDemo(program),
  },
  {
    commands: { scan: 'scan live sources (google, okta, entra); with no source, every configured one. Interrupted scans resume from their checkpoint.' },
    register: async (program) => (await import('./commands/scan.js')).registerScan(program),
  },
  {
    commands: { stats: 'count the rows of every inventory table and show the last run of each source' },
    register: async (program) => (await import('./commands/stats.js')).registerStats(program),
  },
  {
    commands: { analyze: 'recompute every finding from the inventory (idempotent: a second run changes nothing)', findings: 'list findings, or change their status' },
    register: async (program) => {
      const { registerAnalyze, registerFindings } = await import('./commands/analyze.js')
      registerAnalyze(program)
      registerFindings(program)
    },
  },
  {
    commands: { resolve: 'show which app a raw signal resolves to, with the rule, confidence and why (- reads one value per line from stdin)' },
    register: async (program) => (await import('./commands/resolve.js')).registerResolve(program),
  },
  {
    commands: { catalog: 'the SaaS catalog: shipped entries plus your own' },
    register: async (program) => (await import('./commands/catalog.js')).registerCatalog(program),
  },
  {
    commands: { apps: 'apps in the inventory: list them, map identifiers, set status, add your own' },
    register: async (program) => (await import('./commands/apps.js')).registerApps(program),
  },
  {
    commands: { audit: 'the append-only, hash-chained audit trail' },
    register: async (program) => (await import('./commands/audit.js')).registerAudit(program),
  },
  {
    commands: { export: 'exports for auditors (each one is recorded in the audit trail)', evidence: 'evidence packages for auditors' },
    register: async (program) => {
      const { registerExport, registerEvidence } = await import('./commands/evidence.js')
      registerExport(program)
      registerEvidence(program)
    },
  },
  {
    commands: { users: 'people who sign in to the web app (sightline serve) and their roles' },
    register: async (program) => (await import('./commands/users.js')).registerUsers(program),
  },
  {
    commands: { serve: 'serve the web app (sign in with a user from "sightline users add"); Ctrl-C stops' },
    register: async (program) => (await import('./commands/serve.js')).registerServe(program),
  },
  {
    commands: { tokens: 'device tokens for the browser extension (stored only as SHA-256 hashes)' },
    register: async (program) => (await import('./commands/tokens.js')).registerTokens(program),
  },
  {
    commands: { campaigns: 'access certification campaigns: create, launch, remind, close, and run schedules' },
    register: async (program) => (await import('./commands/campaigns.js')).registerCampaigns(program),
  },
]

/** Global options that take a value, so the word after them is not the command. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--db'])

/** The command a command line runs (`help X` asks about X), or undefined for none (`--help`, no arguments). */
export function commandNamed(argv: readonly string[]): string | undefined {
  const words: string[] = []
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!
    if (arg === '--') break
    if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) i++
    else if (!arg.startsWith('-')) words.push(arg)
  }
  return words[0] === 'help' ? words[1] : words[0]
}

/**
 * The program with every command listed; `load` says which groups register in full: the one whose command
 * `argv` names (the default), or all of them.
 */
export async function buildProgram(load: { argv: readonly string[] } | 'all'): Promise<Command> {
  const program = new Command()
  program
    .name('sightline')
    .description('Sightline: every SaaS app your company really uses, who has access, who pays — from your own data.')
    .option('--db <url>', 'inventory database: a SQLite file path or postgres://… (default: $SIGHTLINE_DATABASE_URL or ./data/sightline.db)')
    .option('--verbose', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride()
  const wanted = load === 'all' ? undefined : commandNamed(load.argv)
  for (const group of COMMAND_GROUPS) {
    if (load === 'all' || (wanted !== undefined && wanted in group.commands)) await group.register(program)
    else for (const [name, description] of Object.entries(group.commands)) program.command(name).description(description)
  }
  return program
}

export async function main(argv: readonly string[]): Promise<number> {
  registerConfiguredSecrets()
  try {
    const program = await buildProgram({ argv })
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

// `sightline import spend FILE…` and `sightline spend summary`.
import { existsSync, readdirSync } from 'node:fs'
import { isAbsolute, resolve, sep } from 'node:path'
import type { Command } from 'commander'
import { loadMappingProfile, parseColumnMapping } from '../../../collectors/spend-csv/index.js'
import { profileFile, PROFILE_NAME, saveMappingProfile } from '../../../collectors/spend-csv/profile-store.js'
import { importSpendFile, DEFAULT_REJECT_THRESHOLD } from '../../../collectors/spend-csv/import-spend.js'
import type { MappedField, MappingProfile, SignConvention, SpendReadOptions } from '../../../collectors/spend-csv/types.js'
import { explainNothingImported } from '../../../collectors/sdk/nothing-imported.js'
import { SPEND_GROUPS, summarizeSpend, type SpendGroupBy } from '../../../data/spend-report.js'
import { formatMinor } from '../../../data/money.js'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError, rethrowIfStoreUnavailable } from '../errors.js'
import { parseFormat, printable, renderRows } from '../format.js'
import { createOutput } from '../output.js'
import { loadResolver } from '../../../analyzer/resolve/load-resolver.js'

export const DEFAULT_PROFILE_DIR = './data/profiles'

const GLOB_CHARS = /[*?[]/

/** One path segment of a glob as a RegExp: `*` and `?` stay within the segment; `[abc]` is a class. */
function segmentPattern(segment: string): RegExp {
  let re = ''
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2)
      if (end === -1) re += '\\['
      else {
        const body = segment.slice(i + 1, end).replace(/\\/g, '\\\\')
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`
        i = end
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function listDir(dir: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }))
  } catch {
    return []
  }
}

/**
 * Expands shell-style globs (`*`, `?`, `[…]`, `**` for any depth) that the shell left unexpanded, in sorted
 * order; arguments without glob characters are kept as given. A glob matching nothing is an error.
 */
export function expandFileArgs(args: readonly string[], cwd = process.cwd()): string[] {
  const files: string[] = []
  for (const arg of args) {
    if (!GLOB_CHARS.test(arg)) {
      files.push(arg)
      continue
    }
    const parts = arg.split(/[\\/]+/)
    const absolute = isAbsolute(arg)
    let fixed = 0
    while (fixed < parts.length - 1 && !GLOB_CHARS.test(parts[fixed]!)) fixed++
    const baseParts = parts.slice(0, fixed)
    const base = absolute ? baseParts.join('/') || '/' : baseParts.join('/')
    const matches: string[] = []
    const walk = (dirShown: string, rest: readonly string[]): void => {
      const dirReal = resolve(cwd, dirShown || '.')
      const [head, ...tail] = rest
      if (head === undefined) return
      const join2 = (name: string) => (dirShown === '' ? name : dirShown.endsWith('/') ? `${dirShown}${name}` : `${dirShown}/${name}`)
      if (head === '**') {
        walk(dirShown, tail)
        for (const e of listDir(dirReal)) if (e.dir && !e.name.startsWith('.')) walk(join2(e.name), rest)
        return
      }
      const pattern = segmentPattern(head)
      for (const e of listDir(dirReal)) {
        // Like a shell, * does not match hidden files unless the pattern starts with a dot.
        if (e.name.startsWith('.') && !head.startsWith('.')) continue
        if (!pattern.test(e.name)) continue
        if (tail.length === 0) {
          if (!e.dir) matches.push(join2(e.name))
        } else if (e.dir) walk(join2(e.name), tail)
      }
    }
    walk(base, parts.slice(fixed))
    if (matches.length === 0) throw new UsageError(`import spend: no files match ${arg}`)
    files.push(...[...new Set(matches)].sort())
  }
  return files
}

/** A profile argument is a path when it names an existing file or looks like one; otherwise a saved name. */
export function profilePath(nameOrPath: string, profileDir: string): string {
  if (nameOrPath.includes('/') || nameOrPath.includes(sep) || nameOrPath.endsWith('.json') || existsSync(nameOrPath)) return nameOrPath
  if (!PROFILE_NAME.test(nameOrPath)) throw new UsageError(`--profile ${nameOrPath}: not a file and not a profile name (letters, digits, . _ -)`)
  return profileFile(nameOrPath, profileDir)
}

/** Saves a named mapping profile as `<dir>/<name>.json` and returns its path. */
export function saveProfile(profile: MappingProfile, profileDir: string): string {
  if (!PROFILE_NAME.test(profile.name)) throw new UsageError(`--save-profile ${profile.name}: use letters, digits, . _ - (up to 64)`)
  return saveMappingProfile(profile, profileDir)
}

interface ImportSpendFlags {
  layout?: string
  mapping?: string
  profile?: string
  saveProfile?: string
  currency?: string
  dateFormat?: string
  rejectThreshold?: string
  rejectsDir?: string
  json?: boolean
}

async function readOptionsFrom(flags: ImportSpendFlags, profileDir: string): Promise<{ read: SpendReadOptions; toSave: MappingProfile | null }> {
  let profile: MappingProfile | undefined
  if (flags.profile) profile = await loadMappingProfile(profilePath(flags.profile, profileDir))
  let mapping = profile?.mapping
  if (flags.mapping) {
    try {
      mapping = parseColumnMapping(flags.mapping)
    } catch (cause) {
      throw new UsageError(`--mapping: ${(cause as Error).message}`, { cause })
    }
  }
  if (mapping && flags.layout && flags.layout !== 'generic') throw new UsageError(`--layout ${flags.layout} and a column mapping exclude each other (a mapping means the generic layout)`)
  const read: SpendReadOptions = {
    ...(profile ? { dateFormat: profile.dateFormat, currency: profile.currency, decimalSeparator: profile.decimalSeparator, delimiter: profile.delimiter, sign: profile.sign, creditValues: profile.creditValues, hasHeader: profile.hasHeader } : {}),
    ...(mapping ? { mapping } : {}),
    ...(flags.layout ? { layout: flags.layout } : {}),
    ...(flags.currency ? { currency: flags.currency } : {}),
    ...(flags.dateFormat ? { dateFormat: flags.dateFormat } : {}),
  }
  for (const key of Object.keys(read) as (keyof SpendReadOptions)[]) if (read[key] === undefined) delete read[key]
  let toSave: MappingProfile | null = null
  // Without a mapping, --save-profile saves the layout the first file's header was inferred as (after its import).
  if (flags.saveProfile && mapping) {
    toSave = { ...(profile ?? {}), name: flags.saveProfile, mapping }
    if (read.dateFormat) toSave.dateFormat = read.dateFormat
    if (read.currency) toSave.currency = read.currency.toUpperCase()
  }
  return { read, toSave }
}

/** A saved profile from the columns an inferred layout used, so the next file of the bank imports the same way. */
export function profileFromInferred(name: string, columns: Partial<Record<MappedField, string>>, sign: SignConvention | undefined, read: SpendReadOptions): MappingProfile {
  const profile: MappingProfile = { name, mapping: { ...columns } }
  if (sign) profile.sign = sign
  if (read.dateFormat) profile.dateFormat = read.dateFormat
  if (read.currency) profile.currency = read.currency.toUpperCase()
  return profile
}

function parseThreshold(value: string | undefined): number {
  if (value === undefined) return DEFAULT_REJECT_THRESHOLD
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--reject-threshold ${value}: expected a share between 0 and 1, e.g. 0.05`)
  return n
}

export function registerSpend(program: Command, importCmd: Command): void {
  importCmd
    .command('spend')
    .description('import card and expense statements (Brex, Ramp, Amex, Expensify, Navan, Chase, Capital One, Mercury, BILL/Divvy, or any CSV with --mapping)')
    .argument('<files...>', 'statement files or globs (e.g. "statements/*.csv")')
    .option('--layout <id>', 'force a layout instead of detecting it from the header row')
    .option('--mapping <pairs>', 'column mapping for any other CSV: "date=Posted On,amount=Amount,merchant=Payee" or 1-based positions')
    .option('--profile <name|path>', 'a saved mapping profile (a name under $SIGHTLINE_PROFILE_DIR, or a JSON file)')
    .option('--save-profile <name>', 'save the mapping (with --date-format and --currency) as a named profile')
    .option('--currency <code>', 'ISO currency for files without a currency column (default USD)')
    .option('--date-format <format>', 'date format, e.g. DD/MM/YYYY, when the file does not settle day/month order')
    .option('--reject-threshold <share>', `refuse the whole file when more than this share of rows is rejected (default ${DEFAULT_REJECT_THRESHOLD})`)
    .option('--rejects-dir <dir>', 'where to write <file>.rejects.csv (default: next to the file; created new, mode 0600)')
    .option('--json', 'print one JSON object per file')
    .action(async (args: string[], flags: ImportSpendFlags, cmd: Command) => {
      const out = createOutput({ json: Boolean(flags.json) })
      const profileDir = process.env.SIGHTLINE_PROFILE_DIR ?? DEFAULT_PROFILE_DIR
      const files = expandFileArgs(args)
      const rejectThreshold = parseThreshold(flags.rejectThreshold)
      const options = await readOptionsFrom(flags, profileDir)
      const read = options.read
      let toSave = options.toSave
      if (toSave) out.info(`saved mapping profile ${toSave.name} to ${saveProfile(toSave, profileDir)}`)
      let failed = false
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const resolver = await loadResolver(store.db)
        for (const path of files) {
          let lastReport = Date.now()
          const onProgress = (event: { type: string; totalItems?: number }) => {
            if (event.type === 'page' && !out.json && Date.now() - lastReport > 2000) {
              lastReport = Date.now()
              out.info(`spend ${path}: ${event.totalItems} rows`)
            }
          }
          try {
            const summary = await importSpendFile(store, path, { resolver, readOptions: read, rejectThreshold, rejectsDir: flags.rejectsDir, onProgress })
            // A statement that gave nothing (every row skipped or rejected, or none at all) fails with why.
            const nothing = explainNothingImported(summary, summary.read === 0 ? 'is the header row the first line of data? see collectors/spend-csv/LAYOUTS.md' : null)
            if (nothing) failed = true
            if (flags.saveProfile && !toSave && summary.columns) {
              const inferred = profileFromInferred(flags.saveProfile, summary.columns, summary.sign, read)
              out.info(`saved the inferred mapping as profile ${inferred.name} to ${saveProfile(inferred, profileDir)}`)
              toSave = inferred
            }
            if (out.json) out.result(nothing ? { ...summary, error: nothing.message, reason: nothing.reason, hint: nothing.hint } : summary)
            else {
              const skipped = Object.entries(summary.skippedBy)
              out.result(
                `${summary.file}: layout ${summary.layout}: read ${summary.read}, imported ${summary.imported}, duplicates ${summary.duplicates}, rejected ${summary.rejected}` +
                  (skipped.length ? `, skipped ${summary.skipped} (${skipped.map(([kind, n]) => `${kind} ${n}`).join(', ')})` : '') +
                  (summary.rejectsReport ? ` (rejects: ${summary.rejectsReport})` : ''),
              )
              if (summary.columns) out.info(`  columns inferred from the header: ${Object.entries(summary.columns).map(([f, h]) => `${f}=${h}`).join(', ')}; ${summary.sign === 'purchase-negative' ? 'money out is negative' : 'purchases are positive'} (save with --save-profile NAME)`)
              for (const e of summary.errors.slice(0, 20)) out.info(`  ${e}`)
              if (summary.errors.length > 20) out.info(`  … ${summary.errors.length - 20} more`)
              for (const w of summary.warnings) out.info(`  warning: ${w}`)
              if (nothing) process.stderr.write(`sightline: import spend: ${printable(summary.file)}: ${printable(nothing.message)}\n`)
            }
          } catch (error) {
            rethrowIfStoreUnavailable(error)
            failed = true
            if (out.json) out.result({ file: path, error: (error as Error).message })
            else process.stderr.write(`sightline: import spend: ${printable((error as Error).message)}\n`)
          }
        }
      })
      if (failed) process.exitCode = 1
    })

  const spend = program.command('spend').description('spend reports')
  spend
    .command('summary')
    .description('net spend, transaction count and monthly/annual run-rate (each statement over the months it covers) per app, category, department or cardholder')
    .option('--by <group>', `group by ${SPEND_GROUPS.join('|')}`, 'app')
    .option('--from <date>', 'first day, YYYY-MM-DD (inclusive)')
    .option('--to <date>', 'last day, YYYY-MM-DD (inclusive)')
    .option('--format <format>', 'table, csv, json (one document) or jsonl (one object a line)', 'table')
    .action(async (flags: { by: string; from?: string; to?: string; format: string }, cmd: Command) => {
      if (!SPEND_GROUPS.includes(flags.by as SpendGroupBy)) throw new UsageError(`--by ${flags.by}: expected one of ${SPEND_GROUPS.join(', ')}`)
      const format = parseFormat(flags.format)
      for (const [name, value] of [['--from', flags.from], ['--to', flags.to]] as const) {
        if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`${name} ${value}: expected YYYY-MM-DD`)
      }
      const rows = await withStore(cmd.optsWithGlobals<GlobalFlags>(), (store) =>
        summarizeSpend(store.db, { by: flags.by as SpendGroupBy, from: flags.from, to: flags.to }),
      )
      const shown = rows.map((r) => ({
        [flags.by]: r.group,
        currency: r.currency,
        total: formatMinor(r.totalMinor, r.currency),
        transactions: r.transactions,
        months: r.months,
        // Months each card program's statements cover, e.g. "3" or "3+4" for a row paid through two programs.
        covered_months: r.coverage.map((p) => p.months).join('+'),
        monthly_run_rate: formatMinor(r.monthlyRunRateMinor, r.currency),
        annual_run_rate: formatMinor(r.annualRunRateMinor, r.currency),
        first_date: r.firstDate,
        last_date: r.lastDate,
        ...(format === 'json' ? { app_id: r.appId, total_minor: r.totalMinor, monthly_run_rate_minor: r.monthlyRunRateMinor, annual_run_rate_minor: r.annualRunRateMinor, coverage: r.coverage } : {}),
      }))
      const columns = [flags.by, 'currency', 'total', 'transactions', 'months', 'covered_months', 'monthly_run_rate', 'annual_run_rate', 'first_date', 'last_date']
      if (shown.length === 0 && format === 'table') process.stdout.write('no spend transactions in range\n')
      else process.stdout.write(`${renderRows(shown, columns, format)}\n`)
    })
}

// Spend import throughput and memory vs `sqlite3 .import --csv` of the same file, measured in the same run:
// `npx tsx scripts/bench/spend.ts [rows]`. The import runs in a child process so its peak RSS is its own.
import { spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const BREX_HEADER =
  'Swipe Date (UTC),Posted Date,Type,Amount,Outstanding Balance,User,Department,Location,Transaction Source,Statement Descriptor,Merchant Name,Brex Category,Integration Category,Last 4,Memo,Id'

const DESCRIPTORS: readonly [string, string][] = [
  ['SQ *NOTION LABS INC 415-5551234 CA', 'Notion'], ['ZOOM.US 888-799-9666', 'Zoom'], ['GOOGLE *GSUITE_acme.com', 'Google'],
  ['SLACK T01ABCD2EF', 'Slack'], ['MSFT *E0400ABCDE', 'Microsoft'], ['ATLASSIAN PTY LTD SYDNEY AU', 'Atlassian'],
  ['FIGMA INC SAN FRANCISCO CA', 'Figma'], ['OPENAI *CHATGPT SUBSCR', 'OpenAI'], ['AWS EMEA', 'Amazon Web Services'],
  ['AMZN Mktp US*2K4L71234', 'Amazon'], ['UBER *TRIP', 'Uber'], ['STARBUCKS STORE 12345', 'Starbucks'],
  ['ADOBE *ACROPRO SUBS', 'Adobe'], ['DROPBOX*ABCD1234XY', 'Dropbox'], ['INTUIT *QBOOKS ONLINE', 'Intuit'],
  ['PAYPAL *MIDJOURNEY', 'Midjourney'], ['SQ *BLUE BOTTLE COFFEE', 'Blue Bottle'], ['DELTA AIR 0062345678901', 'Delta'],
  ['HUBSPOT INC 888-482-7768 MA', 'HubSpot'], ['DATADOG INC NEW YORK NY', 'Datadog'], ['GITHUB INC SAN FRANCISCO CA', 'GitHub'],
]
const DEPARTMENTS = ['Engineering', 'Sales', 'Design', 'Finance', 'Marketing', 'Support']
const FIRST = ['Dana', 'Priya', 'Marcus', 'Lena', 'Omar', 'Grace', 'Ada', 'Linus', 'Mei', 'Tomas', 'Ines', 'Kofi']
const LAST = ['Whitfield', 'Raman', 'Lee', 'Vogel', 'Haddad', 'Hopper', 'Lovelace', 'Pauling', 'Chen', 'Novak', 'Silva', 'Mensah']

/** Writes a Brex-layout statement of `rows` lines with skewed, repeating descriptors (~2,500 distinct). */
export function writeBrexStatement(path: string, rows: number, seed = 42): void {
  let s = seed
  const rand = (): number => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  const fd = openSync(path, 'w')
  let chunk = `${BREX_HEADER}\n`
  const start = Date.parse('2025-01-01T00:00:00.000Z')
  for (let i = 0; i < rows; i++) {
    const [base, name] = DESCRIPTORS[Math.floor(rand() ** 2 * DESCRIPTORS.length)]!
    const descriptor = rand() < 0.2 ? `${base} #${Math.floor(rand() * 120)}` : base
    const holder = Math.floor(rand() * 500)
    const user = `${FIRST[holder % FIRST.length]} ${LAST[Math.floor(holder / FIRST.length) % LAST.length]}`
    const t = new Date(start + Math.floor(rand() * 365 * 86_400_000)).toISOString()
    const cents = Math.floor(rand() * 250_000) - (rand() < 0.03 ? 260_000 : 0)
    const amount = (cents / 100).toFixed(2)
    const dept = DEPARTMENTS[holder % DEPARTMENTS.length]!
    chunk += `${t},${t},Transaction,${amount},0.00,${user},${dept},Remote,Card,${descriptor},${name},Software,Software Subscriptions,${String(1000 + holder).slice(-4)},,dxt_${i.toString(36)}\n`
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk)
      chunk = ''
    }
  }
  writeSync(fd, chunk)
  closeSync(fd)
}

/** Flushes dirty pages to disk, so neither timed step pays for the writeback of the step before it. */
export function settleDisk(): void {
  spawnSync('sync')
}

function timeSqliteImport(csv: string, dir: string): number {
  const db = join(dir, `baseline-${Date.now()}.db`)
  settleDisk()
  const t = performance.now()
  const result = spawnSync('/usr/bin/sqlite3', [db, '.import --csv ' + csv + ' spend'], { encoding: 'utf8' })
  const ms = performance.now() - t
  if (result.status !== 0) throw new Error(`bench spend: sqlite3 .import: ${result.stderr || result.error?.message}`)
  rmSync(db, { force: true })
  return ms
}

interface ChildFigures {
  importMs: number
  maxRssMb: number
  read: number
  imported: number
  duplicates: number
  rejected: number
}

/** Runs importSpendFile in a fresh `node --import tsx` process and returns its timing and peak RSS. */
function importInChild(csv: string, dir: string): ChildFigures {
  const db = join(dir, `store-${Date.now()}.db`)
  const self = fileURLToPath(import.meta.url)
  // From the project root, where `--import tsx` resolves, whatever directory the bench was started in.
  const root = fileURLToPath(new URL('../..', import.meta.url))
  settleDisk()
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', csv, db], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })
  rmSync(db, { force: true })
  rmSync(`${db}-wal`, { force: true })
  rmSync(`${db}-shm`, { force: true })
  if (result.status !== 0) throw new Error(`bench spend: import child failed: ${result.stderr}`)
  const last = result.stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(last) as ChildFigures
}

async function childMain(csv: string, dbPath: string): Promise<void> {
  const { openStore } = await import('../../data/connection.js')
  const { importSpendFile } = await import('../../collectors/spend-csv/import-spend.js')
  const { loadResolver } = await import('../../analyzer/resolve/load-resolver.js')
  const store = await openStore(dbPath)
  const resolver = await loadResolver(store.db)
  const t = performance.now()
  const summary = await importSpendFile(store, csv, { resolver, rejectThreshold: 0.05 })
  const importMs = performance.now() - t
  await store.close()
  const figures: ChildFigures = {
    importMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    read: summary.read,
    imported: summary.imported,
    duplicates: summary.duplicates,
    rejected: summary.rejected,
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

/** Runs of each step per size; the best time of each is compared. */
const ROUNDS = 2

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d

/** Generates a 100k and a `rows`-row statement, times the raw sqlite3 import and importSpendFile on each (best of ROUNDS, alternating). */
export async function benchSpend(opts: { rows: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-spend-'))
  try {
    const small = Math.min(100_000, opts.rows)
    const figures: Record<string, number | string> = {}
    for (const [label, rows] of [['small', small], ['large', opts.rows]] as const) {
      const csv = join(dir, `brex-${rows}.csv`)
      writeBrexStatement(csv, rows)
      // Baseline and import alternate, and each keeps its best time: on a shared machine a noisy neighbour
      // or CPU throttling would otherwise land on whichever step ran during it.
      let baselineMs = Infinity
      const runs: ChildFigures[] = []
      for (let i = 0; i < ROUNDS; i++) {
        baselineMs = Math.min(baselineMs, timeSqliteImport(csv, dir))
        const run = importInChild(csv, dir)
        if (run.imported !== rows) throw new Error(`bench spend: imported ${run.imported} of ${rows} rows`)
        runs.push(run)
      }
      const child = { importMs: Math.min(...runs.map((r) => r.importMs)), maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)) }
      figures[`${label}.rows`] = rows
      figures[`${label}.fileMb`] = round(statSync(csv).size / 2 ** 20, 1)
      figures[`${label}.baselineMs`] = Math.round(baselineMs)
      figures[`${label}.importMs`] = Math.round(child.importMs)
      figures[`${label}.importRowsPerSec`] = Math.round(rows / (child.importMs / 1000))
      figures[`${label}.baselineRowsPerSec`] = Math.round(rows / (baselineMs / 1000))
      figures[`${label}.ratioToBaseline`] = round(child.importMs / baselineMs)
      // The highest of the rounds: memory is a ceiling, not a best case.
      figures[`${label}.peakRssMb`] = Math.round(child.maxRssMb)
      rmSync(csv, { force: true })
    }
    figures['rssLargeOverSmall'] = round(Number(figures['large.peakRssMb']) / Number(figures['small.peakRssMb']))
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--child') {
    childMain(process.argv[3]!, process.argv[4]!).catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
      process.exit(1)
    })
  } else {
    benchSpend({ rows: Number(process.argv[2] ?? 1_000_000) }).then(
      (figures) => {
        for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(28)} ${value}\n`)
      },
      (error: unknown) => {
        process.stderr.write(`${(error as Error).message}\n`)
        process.exit(1)
      },
    )
  }
}

// `npm run bench -- <name…>`: runs the named benchmarks (all when none is named) and prints their figures.
// Every benchmark reports ratios against a baseline measured in the same run, never absolute pass/fail times.
import { pathToFileURL } from 'node:url'

type Bench = () => Promise<Record<string, number | string>>

const BENCHES: Record<string, { description: string; run: Bench }> = {
  startup: {
    description: 'whole `sightline` processes (--help, resolve, stats on a small database; and the bin\'s dist/ freshness check alone) vs `node -e 0`, median of BENCH_RUNS (5) alternating rounds; BENCH_FROM_SOURCE=1 adds the tsx path',
    run: async () => (await import('./startup.js')).benchStartup({ runs: Number(process.env.BENCH_RUNS ?? 5), fromSource: process.env.BENCH_FROM_SOURCE === '1' }),
  },
  resolve: {
    description: 'resolve 1,000,000 card descriptors vs only normalising them',
    run: async () => (await import('./resolve.js')).benchResolve({ n: Number(process.env.BENCH_N ?? 1_000_000) }),
  },
  spend: {
    description: 'import a 1,000,000-row card statement (and 100k) vs sqlite3 .import of the same file',
    run: async () => (await import('./spend.js')).benchSpend({ rows: Number(process.env.BENCH_N ?? 1_000_000) }),
  },
  signins: {
    description: 'import 5,000,000 sign-ins (Entra + Google + Okta JSON lines, and a tenth) vs readline + JSON.parse of the same files, median of BENCH_RUNS (3)',
    run: async () => (await import('./signins.js')).benchSignins({ events: Number(process.env.BENCH_N ?? 5_000_000) }),
  },
  telemetry: {
    description: '200 devices posting telemetry batches on loopback to the ingest endpoint (SQLite) vs a server that only parses them',
    run: async () => (await import('./telemetry.js')).benchTelemetry({
      devices: Number(process.env.BENCH_DEVICES ?? 200), seconds: Number(process.env.BENCH_SECONDS ?? 15), eventsPerBatch: Number(process.env.BENCH_EVENTS ?? 50),
      batchesPerSecond: Number(process.env.BENCH_RATE ?? 1), runs: Number(process.env.BENCH_RUNS ?? 3),
    }),
  },
  campaigns: {
    description: 'launch an all-apps review over the demo company (BENCH_PEOPLE 5000 x BENCH_DAYS 7), bulk-decide 1,000 items, 20 reviewers on the inbox, close; vs the CLI and server floors',
    run: async () => (await import('./campaigns.js')).benchCampaigns({
      people: Number(process.env.BENCH_PEOPLE ?? 5000), days: Number(process.env.BENCH_DAYS ?? 7), runs: Number(process.env.BENCH_RUNS ?? 3),
      reviewers: Number(process.env.BENCH_REVIEWERS ?? 20), requestsEach: Number(process.env.BENCH_REQUESTS ?? 25),
    }),
  },
  ui: {
    description: 'the web app on loopback, 20 clients (autocannon): Overview, Apps by spend page 50, the busiest app and person pages, vs the stylesheet; SQLite',
    run: async () => (await import('./ui.js')).benchUi({
      people: Number(process.env.BENCH_PEOPLE ?? 5000), days: Number(process.env.BENCH_DAYS ?? 90), seconds: Number(process.env.BENCH_SECONDS ?? 10),
      runs: Number(process.env.BENCH_RUNS ?? 3), connections: Number(process.env.BENCH_CONNECTIONS ?? 20), dbPath: process.env.BENCH_UI_DB,
    }),
  },
  analyze: {
    description: 'analyze the demo company (5000 people x 90 days) vs importing it',
    run: async () => (await import('./analyze.js')).benchAnalyze({ people: Number(process.env.BENCH_PEOPLE ?? 5000), days: Number(process.env.BENCH_DAYS ?? 90) }),
  },
}

export async function runBenchmarks(names: readonly string[]): Promise<void> {
  const selected = names.length === 0 ? Object.keys(BENCHES) : [...names]
  for (const name of selected) {
    const bench = BENCHES[name]
    if (!bench) throw new Error(`bench: unknown benchmark ${name} (known: ${Object.keys(BENCHES).join(', ')})`)
    process.stdout.write(`# ${name}: ${bench.description}\n`)
    const figures = await bench.run()
    for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(28)} ${value}\n`)
    process.stdout.write('\n')
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runBenchmarks(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  })
}

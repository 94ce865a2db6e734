// Analysis time vs importing the same data, measured in the same run: `npx tsx scripts/bench/analyze.ts [people] [days]`.
// Generates the demo company, imports it in one child process and analyzes it in another, so each peak RSS is its own.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

interface ImportFigures {
  importMs: number
  maxRssMb: number
  files: number
}

interface AnalyzeFigures {
  analyzeMs: number
  maxRssMb: number
  findings: number
  /** Each finding module's detection alone, timed after the full analysis (detection only reads). */
  detectMs: Record<string, number>
}

function runChild<T>(args: readonly string[]): T {
  const self = fileURLToPath(import.meta.url)
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 })
  if (result.status !== 0) throw new Error(`bench analyze: ${args[0]} child failed: ${result.stderr || result.error?.message}`)
  const last = result.stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(last) as T
}

async function importChild(outDir: string, dbPath: string): Promise<void> {
  const { openStore } = await import('../../data/connection.js')
  const { importRoster } = await import('../../collectors/people-csv/index.js')
  const { loadResolver } = await import('../../analyzer/resolve/load-resolver.js')
  const { DEMO_IMPORTS } = await import('../cli/demo-imports.js')
  const { DEFAULT_END_DATE } = await import('../demo/index.js')
  const store = await openStore(dbPath)
  const t = performance.now()
  const resolver = await loadResolver(store.db)
  let files = 1
  await importRoster(store, { path: join(outDir, 'hr/roster.csv'), today: DEFAULT_END_DATE }, { resolver })
  for (const step of DEMO_IMPORTS) files += (await step.run(store, outDir, { resolver })).length
  const importMs = performance.now() - t
  await store.close()
  const figures: ImportFigures = { importMs, maxRssMb: process.resourceUsage().maxRSS / 1024, files }
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

async function analyzeChild(dbPath: string): Promise<void> {
  const { openStore } = await import('../../data/connection.js')
  const { analyze, analyzerConfig, FINDING_MODULES } = await import('../../analyzer/index.js')
  const { DEFAULT_END_DATE } = await import('../demo/index.js')
  const store = await openStore(dbPath)
  const config = analyzerConfig({ asOf: new Date(Date.parse(`${DEFAULT_END_DATE}T00:00:00Z`) + 86_400_000).toISOString() })
  const t = performance.now()
  const result = await analyze(store.db, config)
  const analyzeMs = performance.now() - t
  const maxRssMb = process.resourceUsage().maxRSS / 1024
  const detectMs: Record<string, number> = {}
  for (const module of FINDING_MODULES) {
    const s = performance.now()
    await module.detect(store.db, config)
    detectMs[module.kind] = Math.round(performance.now() - s)
  }
  await store.close()
  const findings = Object.values(result.byKind).reduce((sum, c) => sum + c.current, 0)
  const figures: AnalyzeFigures = { analyzeMs, maxRssMb, findings, detectMs }
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d

/** Generates the demo at `people` × `days`, imports it through the collectors, analyzes it; reports both times. */
export async function benchAnalyze(opts: { people: number; days: number }): Promise<Record<string, number | string>> {
  const { generateDemoCompany } = await import('../demo/index.js')
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-analyze-'))
  try {
    const outDir = join(dir, 'demo')
    const dbPath = join(dir, 'store.db')
    const t = performance.now()
    const manifest = await generateDemoCompany({ outDir, people: opts.people, days: opts.days })
    const generateMs = performance.now() - t
    const imported = runChild<ImportFigures>(['--import-child', outDir, dbPath])
    const analyzed = runChild<AnalyzeFigures>(['--analyze-child', dbPath])
    const figures: Record<string, number | string> = {
      people: opts.people,
      days: opts.days,
      files: manifest.files.length,
      generateMs: Math.round(generateMs),
      importMs: Math.round(imported.importMs),
      importPeakRssMb: Math.round(imported.maxRssMb),
      analyzeMs: Math.round(analyzed.analyzeMs),
      analyzePeakRssMb: Math.round(analyzed.maxRssMb),
      findings: analyzed.findings,
      ratioAnalyzeToImport: round(analyzed.analyzeMs / imported.importMs),
    }
    // Slowest detections first: where to look when analysis is slow.
    for (const [kind, ms] of Object.entries(analyzed.detectMs).sort((a, b) => b[1] - a[1])) figures[`detectMs.${kind}`] = ms
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fail = (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
    process.exit(1)
  }
  if (process.argv[2] === '--import-child') importChild(process.argv[3]!, process.argv[4]!).catch(fail)
  else if (process.argv[2] === '--analyze-child') analyzeChild(process.argv[3]!).catch(fail)
  else {
    benchAnalyze({ people: Number(process.argv[2] ?? 5000), days: Number(process.argv[3] ?? 90) }).then((figures) => {
      for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(32)} ${value}\n`)
    }, fail)
  }
}

// Start-up of the `sightline` command as a user runs it: whole processes through the bin, against `node -e 0`
// measured in the same run. Rounds alternate every case so a noisy neighbour lands on all of them alike;
// figures are medians of BENCH_RUNS (default 5) rounds, with each case's peak RSS.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeBrexStatement } from './spend.js'
import { staleReason } from '../bin/build-inputs.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'scripts/bin/sightline.js')
/** GNU time reports a child's peak RSS; without it the bench still times, and says RSS is unknown. */
const GNU_TIME = '/usr/bin/time'

interface Case {
  label: string
  args: string[]
  env?: Record<string, string>
}

interface Sample {
  ms: number
  rssMb: number | null
}

function runOnce(c: Case): Sample {
  const timed = existsSync(GNU_TIME)
  const [command, args] = timed ? [GNU_TIME, ['-f', 'peak-rss-kb %M', process.execPath, ...c.args]] : [process.execPath, c.args]
  const t = performance.now()
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...c.env }, maxBuffer: 1 << 24 })
  const ms = performance.now() - t
  if (result.status !== 0) throw new Error(`bench startup: ${c.label} exited ${result.status}: ${result.stderr.slice(-2000)}`)
  const rss = /peak-rss-kb (\d+)/.exec(result.stderr)
  return { ms, rssMb: rss ? Number(rss[1]) / 1024 : null }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d

/** Times `sightline --help`, `resolve`, and `stats` on a small database, compiled and from the sources. */
export async function benchStartup(opts: { runs: number; fromSource: boolean }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-startup-'))
  try {
    const db = join(dir, 'small.db')
    const csv = join(dir, 'brex.csv')
    writeBrexStatement(csv, 1000)
    // A small inventory for the database command: one statement imported through the bin.
    runOnce({ label: 'setup', args: [BIN, '--db', db, 'import', 'spend', csv] })
    const commands: Case[] = [
      { label: 'help', args: [BIN, '--help'] },
      { label: 'resolve', args: [BIN, '--db', db, 'resolve', 'ZOOM.US 888-799-9666'] },
      { label: 'stats', args: [BIN, '--db', db, 'stats'] },
    ]
    const checkOnly = `import { staleReason } from ${JSON.stringify(new URL('../bin/build-inputs.mjs', import.meta.url).href)}; staleReason(${JSON.stringify(ROOT)})`
    const cases: Case[] = [
      { label: 'baseline', args: ['-e', '0'] },
      // What the bin's check that dist/ is current costs by itself: a process that does only that.
      { label: 'freshnessCheck', args: ['--input-type=module', '-e', checkOnly] },
      ...commands,
      ...(opts.fromSource ? commands.map((c) => ({ ...c, label: `${c.label}.fromSource`, env: { SIGHTLINE_FROM_SOURCE: '1' } })) : []),
    ]
    const stale = staleReason(ROOT)
    const loadBefore = loadavg()
    const samples = new Map<string, Sample[]>(cases.map((c) => [c.label, []]))
    for (let round = 0; round < opts.runs; round++) for (const c of cases) samples.get(c.label)!.push(runOnce(c))
    const loadAfter = loadavg()
    const figures: Record<string, number | string> = {
      cores: cpus().length,
      runs: opts.runs,
      bin: stale === null ? 'compiled dist/ (current)' : `TypeScript sources through tsx (dist/: ${stale})`,
      load1mBeforeAfter: `${loadBefore[0]!.toFixed(2)} → ${loadAfter[0]!.toFixed(2)}`,
    }
    const baseMs = median(samples.get('baseline')!.map((s) => s.ms))
    for (const c of cases) {
      const runs = samples.get(c.label)!
      const ms = median(runs.map((s) => s.ms))
      figures[`${c.label}.ms`] = Math.round(ms)
      if (c.label !== 'baseline') figures[`${c.label}.ratioToBaseline`] = round(ms / baseMs)
      const rss = runs.map((s) => s.rssMb).filter((r): r is number => r !== null)
      figures[`${c.label}.peakRssMb`] = rss.length ? Math.round(median(rss)) : 'unknown (no /usr/bin/time)'
    }
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

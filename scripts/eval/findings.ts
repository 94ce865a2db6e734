// `npm run eval:findings [-- --people N --days D]`: generates the demo company, imports it through the collectors
// into a fresh SQLite file, analyzes it, and prints precision and recall of every finding kind against the
// generator's ground truth. `--db URL --ground-truth FILE` scores an existing inventory instead.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { openStore } from '../../data/connection.js'
import { runDemo } from '../cli/commands/demo.js'
import { createOutput } from '../cli/output.js'
import { renderRows } from '../cli/format.js'
import { scoreFindings, type KindScore } from './score-findings.js'

const TARGET = 0.95

function print(rows: KindScore[]): void {
  console.log(renderRows(rows.map((r) => ({ ...r, missed: r.missed.slice(0, 4).join(' '), unexpected: r.unexpected.slice(0, 4).join(' ') })), ['kind', 'planted', 'found', 'matched', 'precision', 'recall', 'missed', 'unexpected'], 'table'))
}

const program = new Command()
  .option('--people <n>', 'people on the roster', '1000')
  .option('--days <n>', 'days of activity', '30')
  .option('--db <url>', 'score this existing inventory instead of generating one')
  .option('--ground-truth <file>', 'with --db: the ground-truth.json of the demo it holds')
  .parse()
const o = program.opts<{ people: string; days: string; db?: string; groundTruth?: string }>()

let rows: KindScore[]
if (o.db) {
  if (!o.groundTruth) throw new Error('eval: --db needs --ground-truth')
  const store = await openStore(o.db)
  try {
    rows = (await scoreFindings(store, o.groundTruth)).rows
  } finally {
    await store.close()
  }
} else {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-eval-'))
  try {
    const result = await runDemo(
      { people: o.people, days: o.days, out: join(dir, 'demo'), seed: '20261127', db: join(dir, 'eval.db') },
      createOutput({ json: false, quiet: true }),
    )
    rows = (result.score as { rows: KindScore[] }).rows
    console.log(`eval: ${o.people} people, ${o.days} days, ${String(result.seconds)} s`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
print(rows)
const below = rows.filter((r) => r.precision < TARGET || r.recall < TARGET)
console.log(below.length === 0 ? `eval: every kind at precision and recall ≥ ${TARGET}` : `eval: below ${TARGET}: ${below.map((r) => r.kind).join(', ')}`)
process.exitCode = below.length === 0 ? 0 : 1

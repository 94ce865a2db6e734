// `npm run eval:findings`: scores the analyzer's findings, kind by kind, against what was planted, in two
// independent companies: the demo generator's (generated, imported and analyzed in a fresh SQLite file) and
// Harbor & Pine (scripts/eval/companies/harbor-pine, written by hand from the vendors' export formats).
//   --company FILE|DIR   score only this company (a company.json manifest or the folder holding one)
//   --db URL --ground-truth FILE   score an existing inventory as it is
//   --people N --days D  size of the demo company
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { openStore } from '../../data/connection.js'
import { runDemo } from '../cli/commands/demo.js'
import { createOutput } from '../cli/output.js'
import { renderRows } from '../cli/format.js'
import { evaluateCompany } from './company.js'
import { scoreFindings, type KindScore } from './score-findings.js'

const TARGET = 0.95
/** The hand-written companies kept beside the demo. */
export const BUILT_IN_COMPANIES = [join(import.meta.dirname, 'companies', 'harbor-pine')]

function print(title: string, rows: KindScore[]): void {
  console.log(`\n${title}`)
  console.log(renderRows(rows.map((r) => ({ ...r, missed: r.missed.slice(0, 4).join(' '), unexpected: r.unexpected.slice(0, 4).join(' ') })), ['kind', 'planted', 'found', 'matched', 'precision', 'recall', 'missed', 'unexpected'], 'table'))
}

/** Imports and scores one company in a fresh SQLite file. */
export async function evaluateCompanyFresh(path: string, log: (line: string) => void = () => {}): Promise<{ name: string; rows: KindScore[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-eval-company-'))
  const store = await openStore(join(dir, 'eval.db'))
  try {
    return await evaluateCompany(store, path, log)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--people <n>', 'people on the demo roster', '1000')
    .option('--days <n>', 'days of demo activity', '30')
    .option('--company <path>', 'score this company only: a company.json manifest or the folder holding one')
    .option('--db <url>', 'score this existing inventory instead of generating one')
    .option('--ground-truth <file>', 'with --db: the truth file of the company it holds')
    .parse()
  const o = program.opts<{ people: string; days: string; company?: string; db?: string; groundTruth?: string }>()
  const results: { title: string; rows: KindScore[] }[] = []
  if (o.db) {
    if (!o.groundTruth) throw new Error('eval: --db needs --ground-truth')
    const store = await openStore(o.db)
    try {
      results.push({ title: `inventory ${o.db}`, rows: (await scoreFindings(store, o.groundTruth)).rows })
    } finally {
      await store.close()
    }
  } else {
    if (!o.company) {
      const dir = mkdtempSync(join(tmpdir(), 'sightline-eval-'))
      try {
        const result = await runDemo(
          { people: o.people, days: o.days, out: join(dir, 'demo'), seed: '20261127', db: join(dir, 'eval.db') },
          createOutput({ json: false, quiet: true }),
        )
        results.push({ title: `demo company (generator): ${o.people} people, ${o.days} days, ${String(result.seconds)} s`, rows: (result.score as { rows: KindScore[] }).rows })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
    for (const path of o.company ? [o.company] : BUILT_IN_COMPANIES) {
      console.log(`eval: importing ${path}`)
      const r = await evaluateCompanyFresh(path, (line) => console.log(line))
      results.push({ title: `${r.name} (${path})`, rows: r.rows })
    }
  }
  let failed = false
  for (const r of results) {
    print(r.title, r.rows)
    const below = r.rows.filter((k) => k.precision < TARGET || k.recall < TARGET)
    console.log(below.length === 0 ? `eval: every kind at precision and recall ≥ ${TARGET}` : `eval: below ${TARGET}: ${below.map((k) => k.kind).join(', ')}`)
    failed ||= below.length > 0
  }
  process.exitCode = failed ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) await main()

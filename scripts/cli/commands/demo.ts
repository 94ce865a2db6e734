import { randomBytes } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { launchDemoCampaign, type DemoCampaign } from '../demo-campaign.js'
import { analyze, analyzerConfig } from '../../../analyzer/index.js'
import { importRoster } from '../../../collectors/people-csv/index.js'
import { userInfo } from 'node:os'
import { parseDatabaseUrl, type Store } from '../../../data/connection.js'
import { inventoryKind, markDemoInventory, sqliteFileKind } from '../../../data/inventory-kind.js'
import { DEFAULT_END_DATE, DEFAULT_SEED, generateDemoCompany } from '../../demo/index.js'
import { loadConfig } from '../../config.js'
import { addUser, findUserByEmail, ROLES, setUserPassword } from '../../../data/ui-users.js'
import type { Role } from '../../../data/tables/auth.table.js'
import { serveUntilStopped } from './serve.js'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError } from '../errors.js'
import { createOutput, type Output } from '../output.js'
import { renderRows } from '../format.js'
import { loadResolver } from '../../../analyzer/resolve/load-resolver.js'
import { DEMO_IMPORTS } from '../demo-imports.js'
import { scoreFindings } from '../../eval/score-findings.js'
import { writeDemoEvidence, type DemoEvidence } from '../demo-evidence.js'
import { evidenceSettingsFromEnv } from './evidence.js'

export interface DemoFlags {
  people: string
  days: string
  out: string
  seed: string
  fresh?: boolean
  json?: boolean
}

/** The inventory's kind, when the demo company may go into it (empty or already a demo); refuses real data. */
async function demoTargetKind(store: Store): Promise<'empty' | 'demo'> {
  const kind = await inventoryKind(store.db)
  if (kind !== 'real') return kind
  throw new UsageError(
    `demo: ${store.displayUrl} holds real imported data; the demo company goes only into an empty inventory or a demo one. ` +
      'Name another with --db (e.g. --db ./demo.db)',
  )
}

/** Generates the demo company, imports every file a collector can read, analyzes, and compares with ground truth. */
export async function runDemo(flags: DemoFlags & GlobalFlags, out: Output): Promise<Record<string, unknown>> {
  const people = Number(flags.people)
  const days = Number(flags.days)
  const seed = Number(flags.seed)
  if (!Number.isInteger(people) || people < 40) throw new UsageError(`--people ${flags.people}: expected a whole number ≥ 40`)
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new UsageError(`--days ${flags.days}: expected 1..365`)
  const outDir = resolve(flags.out)
  const config = loadConfig(flags)
  if (flags.fresh) {
    const target = parseDatabaseUrl(config.databaseUrl)
    if (target.dialect !== 'sqlite') throw new UsageError('--fresh only deletes a SQLite file; use an empty PostgreSQL database instead')
    const kind = sqliteFileKind(target.location)
    if (kind === 'real' || kind === 'other') {
      throw new UsageError(
        `demo --fresh: ${target.location} is not a demo inventory (${kind === 'real' ? 'it holds imported data' : 'it is not a Sightline inventory'}); ` +
          'it was left alone. Name another file with --db',
      )
    }
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(target.location + suffix)) rmSync(target.location + suffix)
  }
  // Checked before generating too: refusing after minutes of work would waste them.
  if (!flags.fresh) await withStore(flags, (store) => demoTargetKind(store))
  const started = performance.now()
  const gen = out.progress('generate')
  const manifest = await generateDemoCompany({ outDir, people, days, seed, onProgress: (e) => gen.update(e.done, e.total, e.step) })
  gen.stop()
  out.info(`demo: generated ${manifest.files.length} files in ${outDir} (${((performance.now() - started) / 1000).toFixed(1)} s)`)

  return withStore(flags, async (store) => {
    if ((await demoTargetKind(store)) === 'empty') await markDemoInventory(store.db, `cli:${userInfo().username}`)
    const resolver = await loadResolver(store.db)
    const imports: { file: string }[] = []
    const roster = await importRoster(store, { path: join(outDir, 'hr/roster.csv'), today: DEFAULT_END_DATE }, { resolver })
    imports.push(roster)
    out.info(`demo: people: ${roster.imported} imported, ${roster.rejected} rejected`)
    for (const step of DEMO_IMPORTS) {
      const t = performance.now()
      const progress = out.progress(step.label)
      const summaries = await step.run(store, outDir, { resolver, onProgress: progress.onEvent })
      progress.stop()
      for (const s of summaries) {
        imports.push(s)
        out.info(`demo: ${step.label}: ${s.file.replace(`${outDir}/`, '')}: read ${s.read}, imported ${s.imported}, duplicates ${s.duplicates}, rejected ${s.rejected} (${((performance.now() - t) / 1000).toFixed(1)} s)`)
      }
    }
    const asOf = new Date(Date.parse(`${DEFAULT_END_DATE}T00:00:00Z`) + 86_400_000).toISOString()
    const analysis = await analyze(store.db, analyzerConfig({ asOf }))
    const score = await scoreFindings(store, resolve(outDir, manifest.groundTruthPath))
    // The campaign first, so the evidence package is the demo campaign's (population at launch, reviewers, audit).
    const campaign = await launchDemoCampaign(store)
    const evidence = await writeDemoEvidence(store, outDir, out, evidenceSettingsFromEnv().signingKey)
    const seconds = Math.round((performance.now() - started) / 100) / 10
    return { database: store.displayUrl, outDir, seconds, imports: imports.length, analysis: analysis.byKind, score, evidence, campaign }
  })
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a demo company (raw vendor exports), import it, analyze it, and score the findings against what was planted')
    .option('--people <n>', 'people on the roster', '1000')
    .option('--days <n>', 'days of sign-in and browser history', '30')
    .option('--out <dir>', 'where to write the raw exports', 'demo-out')
    .option('--seed <n>', 'random seed (same seed, same company)', String(DEFAULT_SEED))
    .option('--fresh', 'delete the SQLite database first')
    .option('--json', 'print the result as JSON')
    .option('--serve', 'then serve the web app on the demo data, with one sign-in per role (Ctrl-C stops)')
    .option('--host <host>', 'with --serve: address to listen on', '127.0.0.1')
    .option('--port <port>', 'with --serve: port to listen on', '8080')
    .action(async (opts: DemoFlags & { serve?: boolean; host: string; port: string }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      const flags = { ...cmd.optsWithGlobals<GlobalFlags>(), ...opts }
      // The demo reviewers' sign-in links must point at the server this command is about to start.
      if (opts.serve && !process.env.SIGHTLINE_BASE_URL) process.env.SIGHTLINE_BASE_URL = `http://${opts.host}:${opts.port}`
      const result = await runDemo(flags, out)
      if (out.json) out.result(result)
      else {
        const score = result.score as { rows: Record<string, unknown>[] }
        out.result(`\nFindings on ${String(result.database)} compared with what the generator planted (${String(result.seconds)} s in all):`)
        out.result(renderRows(score.rows, ['kind', 'planted', 'found', 'matched', 'precision', 'recall'], 'table'))
        const evidence = result.evidence as DemoEvidence
        const c = evidence.check
        out.result(`\nEvidence package: ${evidence.path}${evidence.pdf ? '' : ' (without report.pdf)'}`)
        out.result(c.ok
          ? `evidence verify: OK: ${c.files} files match the signed manifest (public key ${evidence.publicKeyPath}), audit chain of ${c.events} events holds`
          : `evidence verify: FAILED: ${c.problems.map((p) => `${p.file ?? ''} ${p.message}`).join('; ')}`)
        if (!c.ok) process.exitCode = 1
        const campaign = result.campaign as DemoCampaign
        out.result(`\nCampaign ${campaign.id} "${campaign.name}" launched: ${campaign.items} items for ${campaign.reviewers} reviewers. Reviewers sign in with these links (each works once${opts.serve ? '' : '; run `npx sightline serve` first'}):`)
        for (const s of campaign.signIns) out.result(`  ${s.email}  ${s.url}`)
        out.result('\nNext: `npx sightline findings` to read them, `npx sightline stats` for the inventory.')
      }
      if (!opts.serve) return
      // A fresh random password each run, never a default one; printed once, here, for the demo only.
      const password = randomBytes(12).toString('base64url')
      const signIns = await withStore(flags, async (store) => {
        const at = new Date().toISOString()
        const rows: { role: Role; email: string }[] = []
        for (const role of ROLES) {
          const email = `${role}@demo.sightline.example`
          if (await findUserByEmail(store.db, email)) await setUserPassword(store.db, { email, password, actor: 'system:demo', at })
          else await addUser(store.db, { email, role, name: `Demo ${role}`, password, actor: 'system:demo', at })
          rows.push({ role, email })
        }
        return rows
      })
      await serveUntilStopped({ ...flags, host: opts.host, port: opts.port }, (url) => {
        out.result(`\nSightline is serving at ${url} (Ctrl-C stops). Demo sign-ins, password ${password} for each:`)
        out.result(renderRows(signIns, ['role', 'email'], 'table'))
      })
    })
}


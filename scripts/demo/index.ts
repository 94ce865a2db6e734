// The demo-company generator: writes Northwind Labs' raw exports (HR, Okta, Google, Entra, spend, telemetry)
// in the vendors' formats, plus ground-truth.json. Deterministic for a given seed and options.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { planAccess } from './access-plan.js'
import { writeActivity } from './activity.js'
import { buildCompany } from './company.js'
import { writeEntra, writeGoogle, writeOkta, type WrittenFile } from './directories.js'
import { buildGroundTruth } from './ground-truth.js'
import { writeRoster } from './hr.js'
import { LineWriter } from './line-writer.js'
import { Rng } from './prng.js'
import { writeSpend } from './spend.js'
import { TelemetryBatchWriter } from './telemetry-batches.js'
import { buildTenant } from './tenant.js'

export interface DemoOptions {
  outDir: string
  people?: number
  days?: number
  seed?: number
  /** YYYY-MM-DD, the last day of the window; fixed by default so output is deterministic. */
  endDate?: string
  onProgress?: (e: { step: string; done: number; total: number }) => void
}

export interface DemoManifest {
  files: { path: string; format: string; records: number }[]
  groundTruthPath: string
}

export const DEFAULT_END_DATE = '2026-11-27'
export const DEFAULT_SEED = 20261127
/** Subfolders and files this generator owns inside outDir; cleared first so a rerun leaves no stale files. */
const OWNED = ['hr', 'okta', 'google', 'entra', 'spend', 'telemetry', 'ground-truth.json']

export async function generateDemoCompany(opts: DemoOptions): Promise<DemoManifest> {
  const people = opts.people ?? 1000
  const days = opts.days ?? 30
  const seed = opts.seed ?? DEFAULT_SEED
  const endDate = opts.endDate ?? DEFAULT_END_DATE
  if (!Number.isInteger(people) || people < 40 || people > 20000) throw new Error(`demo: options: people must be an integer in 40..20000, got ${people}`)
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(`demo: options: days must be an integer in 1..365, got ${days}`)
  const progress = opts.onProgress ?? (() => undefined)
  const outDir = opts.outDir
  for (const entry of OWNED) rmSync(join(outDir, entry), { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })

  const rng = new Rng(seed)
  const company = buildCompany(rng.fork('company'), { people, days, endDate })
  const plan = planAccess(rng.fork('access'), company)
  const tenant = buildTenant(rng.fork('tenant'))
  const files: WrittenFile[] = []
  progress({ step: 'roster', done: 0, total: 1 })
  files.push(await writeRoster(outDir, company))

  const writers = {
    oktaLog: new LineWriter(join(outDir, 'okta/system-log.jsonl')),
    entraSignins: new LineWriter(join(outDir, 'entra/signins.jsonl')),
    googleLogin: new LineWriter(join(outDir, 'google/activity-login.jsonl')),
    googleSaml: new LineWriter(join(outDir, 'google/activity-saml.jsonl')),
    googleToken: new LineWriter(join(outDir, 'google/activity-token.jsonl')),
    telemetry: new TelemetryBatchWriter(join(outDir, 'telemetry/batches.jsonl')),
  }
  const activity = await writeActivity(rng.fork('activity'), company, plan, tenant, writers, (done, total) => progress({ step: 'events', done, total }))
  const formats: Record<keyof typeof writers, string> = {
    oktaLog: 'okta-system-log', entraSignins: 'entra-signins', googleLogin: 'google-activity-login',
    googleSaml: 'google-activity-saml', googleToken: 'google-activity-token', telemetry: 'extension-batches',
  }
  for (const [name, w] of Object.entries(writers) as [keyof typeof writers, LineWriter | TelemetryBatchWriter][]) {
    await w.close()
    files.push({ path: w.path.slice(outDir.length).replace(/^[\\/]+/, '').replace(/\\/g, '/'), format: formats[name], records: w.records })
  }

  progress({ step: 'directories', done: 0, total: 3 })
  files.push(...(await writeOkta(rng.fork('okta'), outDir, company, plan, tenant, activity)))
  progress({ step: 'directories', done: 1, total: 3 })
  files.push(...(await writeGoogle(rng.fork('google'), outDir, company, plan, tenant, activity)))
  progress({ step: 'directories', done: 2, total: 3 })
  files.push(...(await writeEntra(rng.fork('entra'), outDir, company, plan, tenant)))
  progress({ step: 'directories', done: 3, total: 3 })

  progress({ step: 'spend', done: 0, total: 1 })
  const spend = await writeSpend(rng.fork('spend'), outDir, company, plan)
  files.push(...spend.files)
  progress({ step: 'spend', done: 1, total: 1 })

  const truth = buildGroundTruth({ seed, people, days, endDate, company, plan, tenant, activity, spend })
  const gt = new LineWriter(join(outDir, 'ground-truth.json'))
  await gt.write(JSON.stringify(truth, null, 1) + '\n')
  await gt.close()
  progress({ step: 'ground-truth', done: 1, total: 1 })
  files.sort((a, b) => a.path.localeCompare(b.path))
  return { files, groundTruthPath: 'ground-truth.json' }
}

// Scores the findings of any company's own exports against a truth file: `npm run eval:findings -- --company DIR`.
// DIR holds company.json (what to import, in order, the analysis date and the truth file); FILE names such a
// manifest directly. Imports go through the same collectors `sightline import …` uses.
import { readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { analyze, analyzerConfig } from '../../analyzer/index.js'
import { importRoster } from '../../collectors/people-csv/index.js'
import type { RosterConfig } from '../../collectors/people-csv/collector.js'
import { importSpendFile } from '../../collectors/spend-csv/import-spend.js'
import type { Store } from '../../data/connection.js'
import { FILE_IMPORTERS } from '../cli/importers.js'
import { loadResolver } from '../../analyzer/resolve/load-resolver.js'
import { scoreFindings, type KindScore } from './score-findings.js'

const ImportStep = z.discriminatedUnion('what', [
  z.object({ what: z.literal('people'), file: z.string(), map: z.record(z.string(), z.string()).optional(), today: z.string().optional() }),
  z.object({ what: z.literal('spend'), file: z.string() }),
  z.object({ what: z.enum(['signins', 'grants', 'directory', 'telemetry']), format: z.string(), file: z.string(), map: z.array(z.string()).optional() }),
])

const Manifest = z.object({
  name: z.string(),
  /** The moment the analysis speaks of (UTC ISO-8601); the roster's "today" is the day before. */
  asOf: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a timestamp'),
  truth: z.string(),
  companyDomains: z.array(z.string()).optional(),
  imports: z.array(ImportStep).min(1),
})
export type CompanyManifest = z.infer<typeof Manifest>

/** Reads DIR/company.json or the manifest FILE; paths inside it are relative to its folder. */
export function loadCompany(path: string): { manifest: CompanyManifest; root: string } {
  const file = statSync(path).isDirectory() ? join(path, 'company.json') : path
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new Error(`eval: ${file}: not a readable JSON manifest: ${(cause as Error).message}`, { cause })
  }
  const parsed = Manifest.safeParse(raw)
  if (!parsed.success) throw new Error(`eval: ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
  return { manifest: parsed.data, root: dirname(resolve(file)) }
}

export interface CompanyEvalResult {
  name: string
  imports: { file: string; read: number; imported: number; rejected: number; status: string }[]
  rows: KindScore[]
}

/** Imports the company into `store` (expected empty), analyzes it as of its date, and scores every kind. */
export async function evaluateCompany(store: Store, path: string, log: (line: string) => void = () => {}): Promise<CompanyEvalResult> {
  const { manifest, root } = loadCompany(path)
  const resolver = await loadResolver(store.db)
  const today = new Date(Date.parse(manifest.asOf) - 86_400_000).toISOString().slice(0, 10)
  const imports: CompanyEvalResult['imports'] = []
  for (const step of manifest.imports) {
    const file = resolve(root, step.file)
    let s: { file: string; read: number; imported: number; rejected: number; status: string }
    if (step.what === 'people') s = await importRoster(store, { path: file, mapping: step.map as RosterConfig['mapping'], today: step.today ?? today }, { resolver })
    else if (step.what === 'spend') s = await importSpendFile(store, file, { resolver })
    else {
      const importer = FILE_IMPORTERS[step.what][step.format]
      if (!importer) throw new Error(`eval: ${manifest.name}: no importer for ${step.what} --format ${step.format}`)
      s = await importer.run(store, file, { resolver }, { map: step.map })
    }
    imports.push({ file: step.file, read: s.read, imported: s.imported, rejected: s.rejected, status: s.status })
    log(`  ${step.what} ${step.file}: read ${s.read}, imported ${s.imported}, rejected ${s.rejected} (${s.status})`)
  }
  await analyze(store.db, analyzerConfig({ asOf: new Date(Date.parse(manifest.asOf)).toISOString(), companyDomains: manifest.companyDomains ?? [] }))
  const { rows } = await scoreFindings(store, resolve(root, manifest.truth))
  return { name: manifest.name, imports, rows }
}

// Seeding for the finding-kind tests through the real write paths: collector records through the InventoryWriter in
// a real scan run, card lines through the spend importer reading a Ramp export.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importSpendFile, type SpendImportSummary } from '../../../collectors/spend-csv/import-spend.js'
import { InventoryWriter } from '../../../collectors/sdk/inventory-writer.js'
import type { ObservedRecord, PersonRecord } from '../../../collectors/sdk/records.js'
import { loadCatalog } from '../../../data/catalog/index.js'
import type { Store } from '../../../data/connection.js'
import { finishRun, startRun } from '../../../data/runs.js'
import { analyze } from '../../analyze.js'
import type { AnalyzerConfig } from '../../config.js'
import { createResolver } from '../../resolve/index.js'
import type { FindingKind } from '../types.js'

const resolver = createResolver({ entries: loadCatalog().entries })

/** Writes what one collector run of `source` reported, as the runner would, in a run of its own. */
export async function observe(store: Store, source: string, items: readonly ObservedRecord[], at = '2026-11-20T12:00:00.000Z'): Promise<void> {
  const runId = await startRun(store.db, { collector: source, sourceKey: `test:${source}`, mode: 'push', startedAt: at })
  await store.db.transaction().execute((tx) =>
    new InventoryWriter(resolver).write(tx, 'records', items, { runId, chainRunIds: [runId], collector: source, source, startedAt: at, now: () => at }),
  )
  await finishRun(store.db, runId, { status: 'completed', finishedAt: at })
}

/** An HR roster row (authoritative). */
export function hrPerson(email: string, extra: Partial<PersonRecord> = {}): PersonRecord {
  return { type: 'person', externalId: `hr-${email}`, email, status: 'active', department: 'Engineering', title: 'Engineer', employmentType: 'employee', authoritative: true, ...extra }
}

export interface CardLine {
  /** `YYYY-MM-DD` */
  day: string
  /** The cardholder's email as the statement prints it. */
  email: string
  descriptor: string
  /** Decimal major units as the export prints them (`120.00`). */
  amount: string
  currency?: string
  department?: string
}

const RAMP_HEADER =
  'Transaction Date,Settlement Date,User,User Email,Card Name,Card Last 4,Merchant Name,Merchant Descriptor,Amount,Currency,Department,Location,Ramp Category,Accounting Category,Memo,Transaction ID'

/** Imports the lines as one Ramp statement (one file, one run) through the spend importer. */
export async function importCardLines(store: Store, name: string, lines: readonly CardLine[]): Promise<SpendImportSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'finding-test-spend-'))
  try {
    const path = join(dir, name)
    const rows = lines.map((l, i) => {
      const user = l.email.slice(0, l.email.indexOf('@'))
      return [l.day, l.day, user, l.email, 'Card', String(1000 + i), '', l.descriptor, l.amount, l.currency ?? 'USD', l.department ?? 'Engineering', 'Remote', 'SaaS / Software', '6100 Software', '', `${name}-${i}`].join(',')
    })
    writeFileSync(path, `${[RAMP_HEADER, ...rows].join('\n')}\n`)
    const summary = await importSpendFile(store, path, { resolver, rejectsDir: dir, now: () => new Date('2026-11-20T12:00:00.000Z') })
    if (summary.imported !== lines.length) throw new Error(`test seed: ${name}: imported ${summary.imported} of ${lines.length} card lines: ${summary.errors.join('; ')}`)
    return summary
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Runs the real analysis of one kind twice and returns both runs' counts for that kind and the stored findings
 * after each: a second run over the same inventory must open, update, reopen and resolve nothing.
 */
export async function analyzeTwice(store: Store, config: AnalyzerConfig, kind: FindingKind) {
  const stored = () => store.db.selectFrom('findings').select(['subject_key', 'status', 'severity', 'score', 'title', 'evidence', 'last_detected_at']).where('kind', '=', kind).orderBy('subject_key').execute()
  const first = (await analyze(store.db, config, { kinds: [kind], now: () => new Date('2026-11-28T08:00:00.000Z') })).byKind[kind]
  const afterFirst = await stored()
  const second = (await analyze(store.db, config, { kinds: [kind], now: () => new Date('2026-11-29T08:00:00.000Z') })).byKind[kind]
  return { first, second, afterFirst, afterSecond: await stored() }
}

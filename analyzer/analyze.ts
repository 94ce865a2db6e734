import type { Kysely } from 'kysely'
import type { Database } from '../data/database.js'
import { reconcileFindings, type ReconcileCounts } from '../data/findings.js'
import { finishRun, startRun } from '../data/runs.js'
import { attributeCardLines } from '../data/spend-attribution.js'
import type { AnalyzerConfig } from './config.js'
import { inactiveLicenses } from './findings/inactive-license.js'
import { chargesAfterTermination } from './findings/charges-after-termination.js'
import { contractorsPastEnd } from './findings/contractor-past-end.js'
import { duplicateSpend } from './findings/duplicate-spend.js'
import { orphanedAccess } from './findings/orphaned-access.js'
import { outlierAccess } from './findings/outlier-access.js'
import { overlappingTools } from './findings/overlapping-tools.js'
import { riskyExtensions } from './findings/risky-extension.js'
import { riskyGrants } from './findings/risky-grant.js'
import { shadowApps } from './findings/shadow-app.js'
import { terminatedSeats } from './findings/terminated-seat.js'
import type { FindingKind, FindingModule } from './findings/types.js'
import { unmatchedIdentities } from './findings/unmatched-identity.js'
import { promoteRecurringMerchants } from './promote-recurring-merchants.js'
import { findUmbrellaTargets } from './umbrella-spend.js'

/** Every finding module, in the order they run. */
export const FINDING_MODULES: readonly FindingModule[] = [
  shadowApps, duplicateSpend, overlappingTools, terminatedSeats, chargesAfterTermination, orphanedAccess, unmatchedIdentities,
  contractorsPastEnd, inactiveLicenses, riskyGrants, outlierAccess, riskyExtensions,
]

export interface AnalysisResult {
  runId: number
  promotedCandidates: number
  byKind: Record<FindingKind, ReconcileCounts & { current: number }>
}

/**
 * Recomputes every finding from the inventory, set-based and idempotently, and records the analysis as a run.
 * Detection reads; only reconciliation writes, one transaction per kind.
 */
export async function analyze(db: Kysely<Database>, config: AnalyzerConfig, options: { kinds?: readonly FindingKind[]; now?: () => Date } = {}): Promise<AnalysisResult> {
  const now = (options.now ?? (() => new Date()))().toISOString()
  const run = { id: await startRun(db, { collector: 'analyzer', sourceKey: 'inventory', mode: 'push', startedAt: now }) }
  try {
    const promoted = await db.transaction().execute((tx) => promoteRecurringMerchants(tx, { now, nonSoftware: config.nonSoftwareSpendCategories, software: config.softwareSpendCategories }))
    // One attribution step for every card line, in the one rule order (data/spend-attribution.ts).
    const attributed = await db.transaction().execute(async (tx) => attributeCardLines(tx, { umbrellaTargets: await findUmbrellaTargets(tx) }))
    const byKind = {} as AnalysisResult['byKind']
    for (const module of FINDING_MODULES) {
      if (options.kinds && !options.kinds.includes(module.kind)) continue
      const candidates = await module.detect(db, config)
      const counts = await db.transaction().execute((tx) => reconcileFindings(tx, module.kind, candidates, { now, runId: run.id }))
      byKind[module.kind] = { ...counts, current: candidates.length }
    }
    await finishRun(db, run.id, { status: 'completed', finishedAt: new Date().toISOString(), counts: { promotedCandidates: promoted, attributedSpend: attributed, ...byKind } })
    return { runId: run.id, promotedCandidates: promoted, byKind }
  } catch (error) {
    await finishRun(db, run.id, { status: 'failed', finishedAt: new Date().toISOString(), error: (error as Error).message })
    throw error
  }
}

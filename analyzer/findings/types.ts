import type { Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import type { Severity } from '../../data/tables/findings.table.js'
import type { AnalyzerConfig } from '../config.js'

/** What a finding module says is true now; reconcile() turns these into stored findings. */
export interface FindingCandidate {
  kind: FindingKind
  /** Stable across runs for the same condition (e.g. `app:notion`, `person:ada@x`), so re-runs update, not duplicate. */
  subjectKey: string
  subjectType: 'app' | 'person' | 'account' | 'grant' | 'identity' | 'spend'
  subjectId: number | null
  severity: Severity
  score: number
  title: string
  /** Deterministic (sorted, no "now"): the records and figures that prove the finding. */
  evidence: Record<string, unknown>
  recommendation: string
}

export type FindingKind =
  | 'shadow-app'
  | 'duplicate-spend'
  | 'overlapping-tools'
  | 'terminated-seat'
  | 'charges-after-termination'
  | 'orphaned-access'
  | 'unmatched-identity'
  | 'contractor-past-end'
  | 'inactive-license'
  | 'risky-grant'
  | 'outlier-access'
  | 'risky-extension'

export interface FindingModule {
  kind: FindingKind
  description: string
  detect(db: Kysely<Database>, config: AnalyzerConfig): Promise<FindingCandidate[]>
}

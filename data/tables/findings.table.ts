import type { Generated, Selectable } from 'kysely'

export type FindingStatus = 'open' | 'acknowledged' | 'resolved' | 'suppressed'
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical'

export interface FindingsTable {
  id: Generated<number>
  kind: string
  /** Stable key of what the finding is about, so re-runs update rather than duplicate. */
  subject_key: string
  subject_type: 'app' | 'person' | 'account' | 'grant' | 'identity' | 'spend'
  subject_id: number | null
  severity: Severity
  score: Generated<number>
  title: string
  /** JSON: the records and figures that prove the finding. */
  evidence: string
  recommendation: string
  status: FindingStatus
  status_comment: string | null
  status_by: string | null
  status_at: string | null
  first_detected_at: string
  last_detected_at: string
  resolved_at: string | null
  analysis_run_id: number | null
}

export type Finding = Selectable<FindingsTable>

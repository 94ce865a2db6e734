import type { Selectable } from 'kysely'

/** Append-only and hash-chained: hash = sha256(prev_hash ‖ canonical event). */
export interface AuditEventsTable {
  seq: number
  occurred_at: string
  actor: string
  action: string
  subject_type: string | null
  subject_id: string | null
  payload: string
  prev_hash: string
  hash: string
}

export type AuditEvent = Selectable<AuditEventsTable>

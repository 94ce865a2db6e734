import type { Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import type { FindingCandidate, FindingKind } from './types.js'

export interface ReconcileCounts {
  opened: number
  updated: number
  reopened: number
  resolved: number
  unchanged: number
}

/**
 * Makes the stored findings of one kind agree with what is true now, idempotently: new conditions open,
 * changed ones update, cleared ones become `resolved` (never deleted), and a person's acknowledged /
 * suppressed status and comment survive. Rows whose content did not change are not written at all.
 */
export async function reconcileFindings(
  db: Kysely<Database>,
  kind: FindingKind,
  candidates: readonly FindingCandidate[],
  options: { now: string; runId: number | null },
): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = { opened: 0, updated: 0, reopened: 0, resolved: 0, unchanged: 0 }
  const existing = await db.selectFrom('findings').selectAll().where('kind', '=', kind).execute()
  const byKey = new Map(existing.map((f) => [f.subject_key, f]))
  const seen = new Set<string>()
  for (const c of candidates) {
    if (seen.has(c.subjectKey)) throw new Error(`analyzer: ${kind}: two findings for subject ${c.subjectKey}`)
    seen.add(c.subjectKey)
    const evidence = JSON.stringify(c.evidence)
    const score = Math.round(c.score * 100) / 100
    const row = byKey.get(c.subjectKey)
    if (!row) {
      await db
        .insertInto('findings')
        .values({
          kind, subject_key: c.subjectKey, subject_type: c.subjectType, subject_id: c.subjectId, severity: c.severity, score,
          title: c.title, evidence, recommendation: c.recommendation, status: 'open',
          first_detected_at: options.now, last_detected_at: options.now, analysis_run_id: options.runId,
        })
        .execute()
      counts.opened += 1
      continue
    }
    const reopen = row.status === 'resolved'
    const changed =
      row.evidence !== evidence || row.severity !== c.severity || row.title !== c.title || row.score !== score ||
      row.recommendation !== c.recommendation || row.subject_id !== c.subjectId
    if (!reopen && !changed) {
      counts.unchanged += 1
      continue
    }
    await db
      .updateTable('findings')
      .set({
        subject_type: c.subjectType, subject_id: c.subjectId, severity: c.severity, score, title: c.title, evidence,
        recommendation: c.recommendation, last_detected_at: options.now, analysis_run_id: options.runId,
        ...(reopen ? { status: 'open' as const, resolved_at: null } : {}),
      })
      .where('id', '=', row.id)
      .execute()
    if (reopen) counts.reopened += 1
    else counts.updated += 1
  }
  for (const row of existing) {
    if (seen.has(row.subject_key) || row.status === 'resolved' || row.status === 'suppressed') continue
    await db
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: options.now, analysis_run_id: options.runId })
      .where('id', '=', row.id)
      .execute()
    counts.resolved += 1
  }
  return counts
}

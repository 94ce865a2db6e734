import type { Kysely } from 'kysely'
import { appendAuditEvent } from '../audit.js'
import type { Database } from '../database.js'

export const VERIFIER = 'system:verification'

export interface VerifyResult {
  verified: number
  stillPresent: number
}

/**
 * Closed-loop verification, called inside the final transaction of a COMPLETED run of a source: every remediation
 * of that source finished before the run began is checked against what the run saw. Gone → `verified` with the
 * run that proved it; still there → `still-present`, reopened (automatic ones are retried). Only the kinds the run
 * lists completely (`kinds`) are judged: an import of sign-ins says nothing about accounts.
 */
export async function verifyRemediationsAfterRun(
  db: Kysely<Database>,
  options: { source: string; runId: number; chainRunIds?: readonly number[]; kinds: readonly string[]; at: string },
): Promise<VerifyResult> {
  const result: VerifyResult = { verified: 0, stillPresent: 0 }
  const actions: string[] = []
  if (options.kinds.includes('account')) actions.push('remove-account')
  if (options.kinds.includes('grant')) actions.push('revoke-grant')
  if (actions.length === 0) return result
  const chain = options.chainRunIds?.length ? [...options.chainRunIds] : [options.runId]
  const started = await db.selectFrom('scan_runs').select((eb) => eb.fn.min('started_at').as('at')).where('id', 'in', chain).executeTakeFirst()
  const runStartedAt = (started?.at as string | null | undefined) ?? options.at
  const due = await db
    .selectFrom('remediations as r')
    .innerJoin('review_items as i', 'i.id', 'r.review_item_id')
    .select(['r.id', 'r.action', 'r.mode', 'r.campaign_id', 'r.reopened', 'i.account_id', 'i.grant_id'])
    .where('r.source', '=', options.source)
    .where('r.status', '=', 'done')
    .where('r.action', 'in', actions)
    .where('r.completed_at', '<=', runStartedAt)
    .execute()
  for (const r of due) {
    let present = false
    if (r.action === 'remove-account' && r.account_id != null) {
      present = Boolean(await db.selectFrom('accounts').select('id').where('id', '=', r.account_id).where('gone_at', 'is', null).executeTakeFirst())
    } else if (r.action === 'revoke-grant' && r.grant_id != null) {
      present = Boolean(await db.selectFrom('grants').select('id').where('id', '=', r.grant_id).where('revoked_at', 'is', null).executeTakeFirst())
    }
    if (present) {
      await db
        .updateTable('remediations')
        .set({ status: 'still-present', reopened: r.reopened + 1, attempts: 0, checked_by_scan_run_id: options.runId, error: `still present after scan run ${options.runId}` })
        .where('id', '=', r.id)
        .execute()
      result.stillPresent++
    } else {
      await db
        .updateTable('remediations')
        .set({ status: 'verified', verified_at: options.at, verified_by_scan_run_id: options.runId, checked_by_scan_run_id: options.runId, error: null })
        .where('id', '=', r.id)
        .execute()
      result.verified++
    }
    await appendAuditEvent(db, {
      actor: VERIFIER,
      action: present ? 'remediation.still_present' : 'remediation.verify',
      subjectType: 'remediation',
      subjectId: r.id,
      payload: { campaignId: r.campaign_id, source: options.source, scanRunId: options.runId, action: r.action },
      occurredAt: options.at,
    })
  }
  return result
}

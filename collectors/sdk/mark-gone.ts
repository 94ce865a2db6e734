import type { Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import type { Counts } from './contract.js'

/**
 * After a COMPLETED run only: whatever this source listed before and the run (with the interrupted runs it
 * resumed) did not see is gone. Never called for failed, partial or interrupted runs: an error is not an empty list.
 */
export async function markGoneAfterCompleteRun(
  db: Kysely<Database>,
  options: { source: string; chainRunIds: readonly number[]; kinds: readonly string[]; at: string },
): Promise<Counts> {
  const { source, chainRunIds, kinds, at } = options
  const counts: Counts = {}
  if (chainRunIds.length === 0) return counts
  const notSeen = <T extends { where: (...args: any[]) => T }>(q: T) =>
    q.where('last_scan_run_id', 'not in', chainRunIds as number[])
  if (kinds.includes('person')) {
    const r = await notSeen(db.updateTable('person_identities').set({ gone_at: at }).where('source', '=', source).where('gone_at', 'is', null)).executeTakeFirst()
    counts['gone.person'] = Number(r.numUpdatedRows)
  }
  if (kinds.includes('app')) {
    const r = await notSeen(db.updateTable('source_apps').set({ gone_at: at }).where('source', '=', source).where('gone_at', 'is', null)).executeTakeFirst()
    counts['gone.app'] = Number(r.numUpdatedRows)
  }
  if (kinds.includes('account')) {
    const r = await notSeen(db.updateTable('accounts').set({ gone_at: at }).where('source', '=', source).where('gone_at', 'is', null)).executeTakeFirst()
    counts['gone.account'] = Number(r.numUpdatedRows)
    const e = await db
      .updateTable('entitlements')
      .set({ gone_at: at })
      .where('gone_at', 'is', null)
      .where('last_scan_run_id', 'not in', chainRunIds as number[])
      .where('account_id', 'in', db.selectFrom('accounts').select('id').where('source', '=', source))
      .executeTakeFirst()
    counts['gone.entitlement'] = Number(e.numUpdatedRows)
  }
  if (kinds.includes('grant')) {
    const r = await notSeen(db.updateTable('grants').set({ revoked_at: at }).where('source', '=', source).where('revoked_at', 'is', null)).executeTakeFirst()
    counts['gone.grant'] = Number(r.numUpdatedRows)
  }
  return counts
}

import { sql } from 'kysely'
import { daysBefore } from '../config.js'
import { lastActivity } from './activity.js'
import { countsAsPerson } from './roster-scope.js'
import type { FindingModule } from './types.js'

/** Assigned or paid accounts of active people with no sign-in or telemetry for `inactiveDays`. */
export const inactiveLicenses: FindingModule = {
  kind: 'inactive-license',
  description: 'Accounts assigned to active people that show no sign-in or browser activity for the configured period.',
  async detect(db, config) {
    const cutoff = daysBefore(config.asOf, config.inactiveDays)
    const accounts = await sql<{
      id: number; person_id: number; app_id: number; source: string; external_id: string; first_seen_at: string; licensed: number
      email: string; app_name: string; app_key: string
    }>`
      select ac.id, ac.person_id, ac.app_id, ac.source, ac.external_id, ac.first_seen_at, ac.licensed, p.email,
             a.name as app_name, coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as app_key
      from accounts ac
      join people p on p.id = ac.person_id
      join apps a on a.id = ac.app_id
      where ac.gone_at is null and p.status = 'active' and ac.first_seen_at < ${cutoff} and ${countsAsPerson()}
      order by ac.id
    `.execute(db)
    const activity = await lastActivity(db)
    const candidates = []
    for (const ac of accounts.rows) {
      const last = activity.get(`${ac.person_id}:${ac.app_id}`) ?? null
      if (last !== null && last >= cutoff) continue
      const idleDays = Math.floor((Date.parse(config.asOf) - Date.parse(last ?? ac.first_seen_at)) / 86_400_000)
      candidates.push({
        kind: 'inactive-license' as const,
        subjectKey: `account:${ac.app_key}:${ac.source}:${ac.external_id}`,
        subjectType: 'account' as const,
        subjectId: ac.id,
        severity: 'low' as const,
        score: idleDays,
        title: `${ac.email} has not used ${ac.app_name} ${last ? `since ${last.slice(0, 10)}` : 'since the account was assigned'}`,
        evidence: {
          user: ac.email,
          app: { key: ac.app_key, name: ac.app_name },
          source: ac.source,
          assignedSince: ac.first_seen_at,
          lastActivity: last,
          thresholdDays: config.inactiveDays,
          licensed: ac.licensed === 1,
        },
        recommendation: `Reclaim the ${ac.app_name} seat of ${ac.email} (no activity for ${config.inactiveDays}+ days), or confirm with them that it is still needed.`,
      })
    }
    return candidates
  },
}

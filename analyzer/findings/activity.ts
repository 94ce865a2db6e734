import { sql, type Kysely } from 'kysely'
import type { Database } from '../../data/database.js'

/** Last sign-in or telemetry activity per person × app, set-based over the rollups. */
export async function lastActivity(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await sql<{ person_id: number; app_id: number; last_at: string }>`
    select person_id, app_id, max(last_at) as last_at from (
      select person_id, app_id, last_at from signin_daily where person_id is not null and app_id is not null and successes > 0
      union all
      select person_id, app_id, occurred_at from telemetry_events where person_id is not null and app_id is not null
      union all
      select person_id, app_id, last_activity_at from accounts where person_id is not null and last_activity_at is not null
    ) s group by person_id, app_id
  `.execute(db)
  return new Map(rows.rows.map((r) => [`${r.person_id}:${r.app_id}`, r.last_at]))
}

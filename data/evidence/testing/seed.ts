import type { Kysely } from 'kysely'
import { appendAuditEvent } from '../../audit.js'
import type { Database } from '../../database.js'

/** Names a hostile file or vendor could carry: formulas for spreadsheets, markup for the report. */
export const HOSTILE_APP = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>'
export const HOSTILE_PERSON = '@SUM(1+1)*cmd|'

export interface EvidenceSeed {
  apps: { slack: number; hostile: number; figma: number }
  people: { ada: number; bob: number; leaver: number }
}

/**
 * A small company across 2026-Q3: an okta run in July, one in September and one in October; a leaver who kept
 * Slack; an account gone in August; a grant revoked in October; findings opened, triaged and resolved at known
 * times; status changes recorded in the audit trail; audit events before, inside and after the quarter.
 */
export async function seedEvidenceStore(db: Kysely<Database>): Promise<EvidenceSeed> {
  const run = async (startedAt: string, finishedAt: string | null, status: 'completed' | 'failed', collector = 'okta') =>
    (await db.insertInto('scan_runs').values({
      collector, source_key: 'acme.okta.com', mode: 'live', status, started_at: startedAt, finished_at: finishedAt, heartbeat_at: finishedAt ?? startedAt,
      counts: JSON.stringify({ users: 3 }), item_errors: '[]', file_name: null, file_sha256: null, error: status === 'failed' ? 'okta: 503' : null,
    }).returning('id').executeTakeFirstOrThrow()).id
  const julyRun = await run('2026-07-02T08:00:00.000Z', '2026-07-02T08:05:00.000Z', 'completed')
  const septRun = await run('2026-09-20T08:00:00.000Z', '2026-09-20T08:05:00.000Z', 'completed')
  await run('2026-09-28T08:00:00.000Z', null, 'failed')
  const octRun = await run('2026-10-05T08:00:00.000Z', '2026-10-05T08:05:00.000Z', 'completed')

  const person = async (email: string, name: string, extra: { status?: 'active' | 'terminated'; end_date?: string; start_date?: string } = {}) =>
    (await db.insertInto('people').values({
      email, name, department: 'Engineering', status: extra.status ?? 'active', start_date: extra.start_date ?? '2024-01-01', end_date: extra.end_date ?? null,
      sources: '["hr"]', created_at: '2026-06-01T00:00:00.000Z', updated_at: '2026-06-01T00:00:00.000Z',
    }).returning('id').executeTakeFirstOrThrow()).id
  const ada = await person('ada@acme.example', 'Ada Lovelace')
  const bob = await person('bob@acme.example', HOSTILE_PERSON)
  const leaver = await person('lee@acme.example', 'Lee Leaver', { status: 'terminated', end_date: '2026-08-15' })
  await person('new@acme.example', 'Nina New', { start_date: '2026-11-01' })

  const app = async (key: string, name: string, status: 'sanctioned' | 'unsanctioned' | 'unknown', firstSeen: string) =>
    (await db.insertInto('apps').values({ catalog_key: key, name, status, first_seen_at: firstSeen, updated_at: firstSeen, owner_email: 'it@acme.example' }).returning('id').executeTakeFirstOrThrow()).id
  const slack = await app('slack', 'Slack', 'sanctioned', '2026-06-01T00:00:00.000Z')
  const hostile = await app('hostile', HOSTILE_APP, 'unknown', '2026-07-10T00:00:00.000Z')
  const figma = await app('figma', 'Figma', 'sanctioned', '2026-10-20T00:00:00.000Z')

  for (const [pid, email, runId] of [[ada, 'ada@acme.example', julyRun], [bob, 'bob@acme.example', julyRun], [leaver, 'lee@acme.example', septRun]] as const) {
    await db.insertInto('person_identities').values({ source: 'okta', external_id: `u-${pid}`, person_id: pid, email, status: 'active', attributes: '{}', first_seen_at: '2026-07-02T08:00:00.000Z', last_seen_at: '2026-09-20T08:00:00.000Z', last_scan_run_id: runId }).execute()
  }
  const account = async (appId: number, pid: number, email: string, firstSeen: string, goneAt: string | null, runId: number) =>
    db.insertInto('accounts').values({ app_id: appId, person_id: pid, source: 'okta', external_id: `${appId}-${pid}`, email, first_seen_at: firstSeen, last_seen_at: firstSeen, last_scan_run_id: runId, gone_at: goneAt }).execute()
  await account(slack, ada, 'ada@acme.example', '2026-07-02T08:00:00.000Z', null, septRun)
  await account(slack, leaver, 'lee@acme.example', '2026-07-02T08:00:00.000Z', null, septRun) // the leaver kept Slack
  await account(slack, bob, 'bob@acme.example', '2026-07-02T08:00:00.000Z', '2026-08-10T00:00:00.000Z', julyRun) // gone before the quarter ended
  await account(figma, ada, 'ada@acme.example', '2026-10-20T00:00:00.000Z', null, octRun) // after the quarter
  await db.insertInto('grants').values({
    source: 'google', identity_external_id: 'g-bob', person_id: bob, user_email: 'bob@acme.example', app_id: hostile, client_id: 'c-1', client_name: 'Hostile Client',
    scopes: '["https://mail.google.com/"]', first_seen_at: '2026-07-10T00:00:00.000Z', last_seen_at: '2026-09-20T00:00:00.000Z', revoked_at: '2026-10-03T00:00:00.000Z', last_scan_run_id: septRun,
  }).execute()
  await db.insertInto('signin_daily').values({ day: '2026-09-29', source: 'okta', user_key: 'ada', app_key: 'slack', person_id: ada, app_id: slack, successes: 3, failures: 0, first_at: '2026-09-29T09:00:00.000Z', last_at: '2026-09-29T17:00:00.000Z' }).execute()

  const finding = async (kind: string, subjectId: number, status: 'open' | 'resolved' | 'acknowledged', first: string, extra: { resolved_at?: string; status_at?: string } = {}) =>
    (await db.insertInto('findings').values({
      kind, subject_key: `${kind}:${subjectId}`, subject_type: 'person', subject_id: subjectId, severity: 'high', score: 5, title: `${kind} of ${subjectId}`,
      evidence: '{}', recommendation: 'revoke', status, first_detected_at: first, last_detected_at: first, resolved_at: extra.resolved_at ?? null, status_at: extra.status_at ?? null,
    }).returning('id').executeTakeFirstOrThrow()).id
  await finding('orphaned-access', leaver, 'open', '2026-08-20T00:00:00.000Z')
  await finding('risky-grant', bob, 'resolved', '2026-07-11T00:00:00.000Z', { resolved_at: '2026-10-04T00:00:00.000Z' }) // open at quarter end
  await finding('inactive-license', ada, 'resolved', '2026-07-11T00:00:00.000Z', { resolved_at: '2026-09-01T00:00:00.000Z' }) // not open at quarter end
  const suppressed = await finding('outlier-access', ada, 'acknowledged', '2026-07-12T00:00:00.000Z', { status_at: '2026-10-10T00:00:00.000Z' })

  await appendAuditEvent(db, { actor: 'cli:root', action: 'import.people', occurredAt: '2026-06-30T12:00:00.000Z', payload: { imported: 4 } })
  await appendAuditEvent(db, { actor: 'it@acme.example', action: 'app.status.set', subjectType: 'app', subjectId: hostile, occurredAt: '2026-07-15T10:00:00.000Z', payload: { from: 'unknown', to: 'unsanctioned' } })
  await appendAuditEvent(db, { actor: 'system:okta', action: 'scan.okta', occurredAt: '2026-09-20T08:05:00.000Z', payload: { run: septRun } })
  await appendAuditEvent(db, { actor: 'it@acme.example', action: 'finding.status.set', subjectType: 'finding', subjectId: suppressed, occurredAt: '2026-10-10T00:00:00.000Z', payload: { from: 'open', to: 'acknowledged' } })
  // back to unknown after the quarter: at quarter end the app was unsanctioned
  await appendAuditEvent(db, { actor: 'it@acme.example', action: 'app.status.set', subjectType: 'app', subjectId: hostile, occurredAt: '2026-10-12T10:00:00.000Z', payload: { from: 'unsanctioned', to: 'unknown' } })
  return { apps: { slack, hostile, figma }, people: { ada, bob, leaver } }
}

import type { Kysely } from 'kysely'
import type { Database } from '../../database.js'

export const T0 = '2026-11-01T09:00:00.000Z'

export interface SeededCompany {
  people: Record<'boss' | 'mgr' | 'alice' | 'bob' | 'carol' | 'it', number>
  apps: Record<'github' | 'slack' | 'inboxpilot', number>
  accounts: Record<'aliceGithub' | 'bobGithub' | 'mgrGithub' | 'carolGithub' | 'aliceSlack', number>
  grants: Record<'bobInboxpilot', number>
  runId: number
}

/**
 * A small company: a manager (mgr) with three reports (alice, bob, carol — who left), GitHub and Slack accounts from
 * Okta, a risky Google grant to a shadow app, and a card line for it. Times are fixed so snapshots are comparable.
 */
export async function seedCompany(db: Kysely<Database>): Promise<SeededCompany> {
  const person = async (email: string, fields: Partial<{ manager_email: string; department: string; title: string; status: 'active' | 'terminated'; end_date: string }> = {}) =>
    (
      await db
        .insertInto('people')
        .values({ email, name: email.split('@')[0]!, status: fields.status ?? 'active', department: fields.department ?? 'Sales', title: fields.title ?? 'Account executive', manager_email: fields.manager_email ?? null, end_date: fields.end_date ?? null, created_at: T0, updated_at: T0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const people = {
    boss: await person('boss@northwind.example', { title: 'CEO', department: 'Leadership' }),
    mgr: await person('mgr@northwind.example', { manager_email: 'boss@northwind.example', title: 'Sales lead' }),
    alice: await person('alice@northwind.example', { manager_email: 'mgr@northwind.example' }),
    bob: await person('bob@northwind.example', { manager_email: 'mgr@northwind.example' }),
    carol: await person('carol@northwind.example', { manager_email: 'mgr@northwind.example', status: 'terminated', end_date: '2026-10-15' }),
    it: await person('it@northwind.example', { department: 'IT', title: 'IT admin' }),
  }
  const app = async (name: string, fields: { catalog_key?: string; candidate_key?: string; status: 'sanctioned' | 'unknown'; owner_email?: string; category?: string }) =>
    (
      await db
        .insertInto('apps')
        .values({ name, catalog_key: fields.catalog_key ?? null, candidate_key: fields.candidate_key ?? null, status: fields.status, owner_email: fields.owner_email ?? null, category: fields.category ?? null, first_seen_at: T0, updated_at: T0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const apps = {
    github: await app('GitHub', { catalog_key: 'github', status: 'sanctioned', owner_email: 'it@northwind.example', category: 'engineering' }),
    slack: await app('Slack', { catalog_key: 'slack', status: 'sanctioned', owner_email: 'alice@northwind.example', category: 'communication' }),
    inboxpilot: await app('InboxPilot', { candidate_key: 'inboxpilot', status: 'unknown' }),
  }
  const runId = (
    await db
      .insertInto('scan_runs')
      .values({ collector: 'okta', source_key: 'northwind.okta.com', mode: 'live', status: 'completed', started_at: T0, finished_at: T0, heartbeat_at: T0, counts: '{}', item_errors: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  const account = async (appId: number, personId: number, email: string, role: string) => {
    const id = (
      await db
        .insertInto('accounts')
        .values({ app_id: appId, person_id: personId, source: 'okta', external_id: `0oa${appId}/00u${personId}`, email, username: email, status: 'ACTIVE', licensed: 1, first_seen_at: T0, last_seen_at: T0, last_activity_at: '2026-10-20T10:00:00.000Z', last_scan_run_id: runId })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    await db.insertInto('entitlements').values({ account_id: id, kind: 'role', name: role, first_seen_at: T0, last_seen_at: T0, last_scan_run_id: runId }).execute()
    return id
  }
  const accounts = {
    aliceGithub: await account(apps.github, people.alice, 'alice@northwind.example', 'member'),
    bobGithub: await account(apps.github, people.bob, 'bob@northwind.example', 'admin'),
    mgrGithub: await account(apps.github, people.mgr, 'mgr@northwind.example', 'member'),
    carolGithub: await account(apps.github, people.carol, 'carol@northwind.example', 'member'),
    aliceSlack: await account(apps.slack, people.alice, 'alice@northwind.example', 'member'),
  }
  const grants = {
    bobInboxpilot: (
      await db
        .insertInto('grants')
        .values({ source: 'google-workspace', identity_external_id: '1170000000000000002', person_id: people.bob, user_email: 'bob@northwind.example', app_id: apps.inboxpilot, client_id: 'inboxpilot.apps.googleusercontent.com', client_name: 'InboxPilot', scopes: JSON.stringify(['https://mail.google.com/']), risk: 'critical', first_seen_at: T0, last_seen_at: T0, last_scan_run_id: runId })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  }
  await db
    .insertInto('spend_transactions')
    .values({ fingerprint: 'f1', posted_on: '2026-10-01', amount_minor: 2400, currency: 'USD', merchant_raw: 'INBOXPILOT', merchant_normalized: 'inboxpilot', cardholder_email: 'alice@northwind.example', person_id: people.alice, app_id: apps.inboxpilot, source_layout: 'generic', source_file: 'card.csv', source_line: 2, scan_run_id: runId })
    .execute()
  await db
    .insertInto('findings')
    .values({ kind: 'risky-grant', subject_key: `grant:${grants.bobInboxpilot}`, subject_type: 'grant', subject_id: grants.bobInboxpilot, severity: 'critical', title: 'InboxPilot can read all of bob’s mail', evidence: '{}', recommendation: 'Revoke', status: 'open', first_detected_at: T0, last_detected_at: T0 })
    .execute()
  return { people, apps, accounts, grants, runId }
}

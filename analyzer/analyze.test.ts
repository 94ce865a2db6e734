import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createResolver } from './resolve/index.js'
import { loadCatalog } from '../data/catalog/index.js'
import { classifyScopes } from '../data/catalog/scope-risk.js'
import { createTestStore, DIALECTS, type TestStore } from '../data/testing/test-store.js'
import { InventoryWriter } from '../collectors/sdk/inventory-writer.js'
import type { RunInfo } from '../collectors/sdk/contract.js'
import type { ObservedRecord, PersonRecord } from '../collectors/sdk/records.js'
import { analyze } from './analyze.js'
import { analyzerConfig } from './config.js'

const resolver = createResolver({ entries: loadCatalog().entries })
const AS_OF = '2026-11-27T23:59:59.999Z'
const D = 'northwind.example'

function run(source: string, runId: number, at = '2026-11-27T12:00:00.000Z'): RunInfo {
  return { runId, chainRunIds: [runId], collector: source, source, startedAt: at, now: () => at }
}

function hr(email: string, extra: Partial<PersonRecord> = {}): PersonRecord {
  return { type: 'person', externalId: email, email, status: 'active', department: 'Engineering', title: 'Engineer', employmentType: 'employee', authoritative: true, ...extra }
}

/** A small company written through the real inventory writer, with one planted case per finding kind. */
async function seed(t: TestStore): Promise<void> {
  const db = t.store.db
  const write = (source: string, runId: number, items: ObservedRecord[]) => new InventoryWriter(resolver).write(db, 'x', items, run(source, runId))
  const engineers = ['e1', 'e2', 'e3', 'e4', 'e5'].map((n) => hr(`${n}@${D}`))
  await write('hr', 1, [
    hr(`ada@${D}`, { title: 'CTO' }),
    hr(`bob@${D}`, { status: 'terminated', endDate: '2026-10-01' }),
    hr(`carl@${D}`, { employmentType: 'contractor', endDate: '2026-09-30', department: 'Design', title: 'Illustrator' }),
    ...engineers,
  ])
  const okta = (email: string): PersonRecord => ({ type: 'person', externalId: `00u-${email}`, email, status: 'active', sourceStatus: 'ACTIVE' })
  await write('okta', 2, [okta(`ada@${D}`), okta(`bob@${D}`), okta(`svc-ci@${D}`), ...engineers.map((e) => okta(e.email!))])
  await write('okta', 2, [
    { type: 'source-app', externalId: '0oa-slack', label: 'Slack', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Slack' }] },
    { type: 'source-app', externalId: '0oa-figma', label: 'Figma', status: 'active', integrated: true, signals: [{ kind: 'sso_app', value: 'Figma' }] },
  ])
  const seat = (email: string, app: string, createdAt = '2025-01-01T00:00:00.000Z'): ObservedRecord => ({
    type: 'account', app: { sourceAppId: app }, externalId: `00u-${email}`, userExternalId: `00u-${email}`, email, createdAt,
  })
  await write('okta', 2, [
    seat(`ada@${D}`, '0oa-slack'), seat(`bob@${D}`, '0oa-slack'),
    ...engineers.map((e) => seat(e.email!, '0oa-slack')),
    seat(`e1@${D}`, '0oa-figma'),
  ])
  const signin = (email: string, app: string, at: string, id: string): ObservedRecord => ({
    type: 'signin', eventId: id, occurredAt: at, userExternalId: `00u-${email}`, email, result: 'success', app: { sourceAppId: app, ref: app, signals: [] },
  })
  await write('okta', 2, [
    signin(`ada@${D}`, '0oa-slack', '2026-11-20T09:00:00.000Z', 's1'),
    ...engineers.map((e, i) => signin(e.email!, '0oa-slack', '2026-11-21T09:00:00.000Z', `s-e${i}`)),
    signin(`e1@${D}`, '0oa-figma', '2026-07-01T09:00:00.000Z', 's-figma'),
    signin(`bob@${D}`, '0oa-slack', '2026-11-02T09:00:00.000Z', 's-bob-after'),
  ])
  const grant = (email: string, clientId: string, name: string, scopes: string[]): ObservedRecord => ({
    type: 'grant', userExternalId: `g-${email}`, email, clientId, clientName: name, scopes, risk: classifyScopes(scopes).level, signals: [{ kind: 'oauth_client', value: name }],
  })
  await write('google', 3, [
    grant(`ada@${D}`, 'inboxpilot-client', 'InboxPilot', ['https://mail.google.com/']),
    grant(`ada@${D}`, 'slack-client', 'Slack', ['https://www.googleapis.com/auth/drive.readonly']),
    grant(`e2@${D}`, 'calendly-client', 'Calendly', ['openid', 'https://www.googleapis.com/auth/userinfo.email']),
  ])
  const spend = (id: number, day: string, amount: number, merchant: string, cardholder: string) => ({
    fingerprint: `fp-${id}`, posted_on: day, amount_minor: amount, currency: 'USD', merchant_raw: merchant, merchant_normalized: merchant,
    cardholder_email: cardholder, source_layout: 'brex', source_file: 'brex.csv', source_line: id, scan_run_id: 4,
  })
  const appId = async (key: string) => {
    const row = await db.selectFrom('apps').select('id').where('catalog_key', '=', key).executeTakeFirst()
    if (row) return row.id
    return (await db.insertInto('apps').values({ catalog_key: key, name: key, category: loadCatalog().byKey(key)!.category, status: 'unknown', first_seen_at: AS_OF, updated_at: AS_OF }).returning('id').executeTakeFirstOrThrow()).id
  }
  const lines = [
    { ...spend(1, '2026-10-05', 1500, 'ZOOM.US', `ada@${D}`), app_id: await appId('zoom') },
    { ...spend(2, '2026-10-07', 1500, 'ZOOM.US', `e3@${D}`), app_id: await appId('zoom') },
    { ...spend(3, '2026-10-09', 2000, 'WEBEX', `e4@${D}`), app_id: await appId('webex') },
    { ...spend(4, '2026-11-03', 1000, 'NOTION LABS', `bob@${D}`), app_id: await appId('notion') },
    { ...spend(5, '2026-10-01', 87500, 'SLACK', `ada@${D}`), app_id: await appId('slack') },
  ]
  await db.insertInto('spend_transactions').values(lines).execute()
}

async function findings(t: TestStore) {
  return t.store.db.selectFrom('findings').select(['kind', 'subject_key', 'status', 'evidence', 'severity', 'status_comment', 'last_detected_at']).orderBy('kind').orderBy('subject_key').execute()
}

for (const dialect of DIALECTS) {
  describe(`analyze [${dialect}]`, () => {
    let t: TestStore
    const config = analyzerConfig({ asOf: AS_OF })
    beforeEach(async () => {
      t = await createTestStore(dialect)
      await seed(t)
    })
    afterEach(async () => t?.dispose())

    it('should find each planted case, with evidence', async () => {
      await analyze(t.store.db, config)
      const open = (await findings(t)).filter((f) => f.status === 'open').map((f) => `${f.kind} ${f.subject_key}`)
      expect(open).toEqual([
        'charges-after-termination spend:bob@northwind.example:notion',
        'contractor-past-end person:carl@northwind.example',
        'duplicate-spend app:zoom',
        'inactive-license account:figma:okta:00u-e1@northwind.example',
        'orphaned-access person:bob@northwind.example',
        'outlier-access access:e1@northwind.example:figma',
        'overlapping-tools category:video-meetings',
        'risky-grant grant:google:g-ada@northwind.example:inboxpilot-client',
        'shadow-app app:calendly',
        'shadow-app app:candidate:inboxpilot',
        'shadow-app app:notion',
        'shadow-app app:webex',
        'shadow-app app:zoom',
        'terminated-seat account:slack:okta:00u-bob@northwind.example',
        'unmatched-identity identity:svc-ci@northwind.example',
      ])
      const orphan = (await findings(t)).find((f) => f.kind === 'orphaned-access')!
      const evidence = JSON.parse(orphan.evidence) as { traces: { kind: string; appName: string }[]; person: { endDate: string } }
      expect(evidence.person.endDate).toBe('2026-10-01')
      expect(evidence.traces.map((tr) => `${tr.kind}:${tr.appName}`)).toEqual(['directory account:okta directory', 'account:Slack', 'sign-in after end date:Slack'])
      expect(orphan.severity).toBe('critical')
      const dup = JSON.parse((await findings(t)).find((f) => f.kind === 'duplicate-spend')!.evidence) as { payers: { payer: string; totalMinor: number }[] }
      expect(dup.payers.map((p) => [p.payer, p.totalMinor])).toEqual([[`ada@${D}`, 1500], [`e3@${D}`, 1500]])
    })

    it('should change nothing on a second run', async () => {
      await analyze(t.store.db, config)
      const first = await findings(t)
      const second = await analyze(t.store.db, config, { now: () => new Date('2026-11-28T10:00:00.000Z') })
      expect(await findings(t)).toEqual(first)
      for (const c of Object.values(second.byKind)) expect([c.opened, c.updated, c.reopened, c.resolved]).toEqual([0, 0, 0, 0])
    })

    it('should resolve a cleared finding, never delete it, and keep a person\'s acknowledgement', async () => {
      await analyze(t.store.db, config)
      await t.store.db.updateTable('findings').set({ status: 'acknowledged', status_comment: 'contract being extended' }).where('kind', '=', 'contractor-past-end').execute()
      // Offboard bob's Slack seat and revoke ada's risky grant.
      await t.store.db.updateTable('accounts').set({ gone_at: AS_OF }).where('external_id', '=', `00u-bob@${D}`).execute()
      await t.store.db.updateTable('grants').set({ revoked_at: AS_OF }).where('client_id', '=', 'inboxpilot-client').execute()
      await analyze(t.store.db, config)
      const after = await findings(t)
      expect(after.find((f) => f.kind === 'risky-grant')!.status).toBe('resolved')
      expect(after.find((f) => f.kind === 'terminated-seat')!.status).toBe('resolved')
      expect(after.find((f) => f.kind === 'contractor-past-end')).toMatchObject({ status: 'acknowledged', status_comment: 'contract being extended' })
      // bob still has his Okta identity and a sign-in after his end date: the finding stays, with fewer traces.
      const orphan = after.find((f) => f.kind === 'orphaned-access')!
      expect(orphan.status).toBe('open')
      expect((JSON.parse(orphan.evidence) as { traces: unknown[] }).traces).toHaveLength(2)
    })
  })
}

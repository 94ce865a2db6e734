import { afterEach, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import { loadResolver, normalizerFor } from '../analyzer/resolve/load-resolver.js'
import { addCustomApp, ensureCandidateApp, ensureCatalogApp, listApps, mapIdentifierToApp, setAppOwner, setAppStatus } from './apps.js'
import { verifyAuditChain } from './audit.js'
import type { Database } from './database.js'
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js'
import type { IdentifierKind } from './tables/apps.table.js'
import pg from 'pg'
import { openStore } from './connection.js'
import { createTestStore, DIALECTS, TEST_POSTGRES_URL, type TestStore } from './testing/test-store.js'

const AT = '2026-11-28T10:00:00.000Z'
const ACTOR = 'it@example.com'

async function candidateApp(db: Kysely<Database>, key: string, name: string): Promise<number> {
  const row = await db.insertInto('apps').values({ candidate_key: key, name, status: 'unknown', first_seen_at: AT, updated_at: AT }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

async function norm(db: Kysely<Database>, kind: string) {
  return normalizerFor(await loadResolver(db), kind as IdentifierKind)
}

async function auditActions(db: Kysely<Database>): Promise<string[]> {
  const events = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
  expect(verifyAuditChain(events).ok).toBe(true)
  return events.map((e) => `${e.actor} ${e.action} ${e.subject_type}:${e.subject_id}`)
}

for (const dialect of DIALECTS) {
  describe(`data/apps [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    it('should store a custom catalog entry that loadResolver then resolves domains and merchants to', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      expect(await addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki', category: 'collaboration', domains: ['Acme-Wiki.io'], merchants: ['acme wiki'], actor: 'it@example.com', at: AT })).toBe('created')
      const stored = await db.selectFrom('catalog_custom_entries').selectAll().executeTakeFirstOrThrow()
      expect(stored).toMatchObject({ key: 'acme-wiki', created_by: 'it@example.com', created_at: AT })
      expect(JSON.parse(stored.entry)).toMatchObject({ key: 'acme-wiki', vendor: 'Acme Wiki', domains: ['acme-wiki.io'], merchantPatterns: ['ACME WIKI'] })

      const resolver = await loadResolver(db)
      expect(resolver.resolve({ kind: 'domain', value: 'https://team.acme-wiki.io/page' })).toMatchObject({ app: { key: 'acme-wiki' }, rule: 'subdomain' })
      expect(resolver.resolve({ kind: 'merchant', value: 'ACME WIKI SAN FRANCISCO CA' })).toMatchObject({ app: { key: 'acme-wiki' }, rule: 'merchant-pattern' })

      await expect(addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki 2', category: 'collaboration', actor: ACTOR })).rejects.toThrow(new ConflictError('custom app: acme-wiki exists; replace it explicitly'))
      await expect(addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki 2', category: 'collaboration', actor: ACTOR })).rejects.toBeInstanceOf(ConflictError)
      expect(await addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki', category: 'design', domains: ['acme-wiki.io'], replace: true, actor: ACTOR })).toBe('replaced')
      expect((await loadResolver(db)).resolve({ kind: 'domain', value: 'acme-wiki.io' }).app).toMatchObject({ key: 'acme-wiki', category: 'design' })
    })

    it('should refuse custom entries that are invalid or clash with the shipped catalog', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      await expect(addCustomApp(db, { key: 'slack', name: 'Our Slack', category: 'communication', actor: ACTOR })).rejects.toThrow(/shipped catalog entry/)
      await expect(addCustomApp(db, { key: 'our-chat', name: 'Our Chat', category: 'communication', domains: ['slack.com'], actor: ACTOR })).rejects.toThrow(/domain "slack.com" is claimed/)
      await expect(addCustomApp(db, { key: 'Bad Key', name: 'X', category: 'communication', actor: ACTOR })).rejects.toBeInstanceOf(InvalidInputError)
      await expect(addCustomApp(db, { key: 'x-tool', name: 'X', category: 'nonsense', actor: ACTOR })).rejects.toThrow(/^category nonsense: expected one of/)
      expect(await db.selectFrom('audit_events').selectAll().execute()).toEqual([])
      expect(await db.selectFrom('catalog_custom_entries').selectAll().execute()).toEqual([])
    })

    it('should map a merchant identifier to another app and back to none, moving its spend lines each time', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const candidate = await candidateApp(db, 'acmetools', 'Acme Tools')
      const ident = await db
        .insertInto('identifiers')
        .values({ kind: 'merchant', value: 'ACME TOOLS', example_raw: 'SQ *ACME TOOLS', app_id: candidate, candidate_key: 'acmetools', rule: 'unknown', confidence: 0, first_seen_at: AT, last_seen_at: AT })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const [i, merchant] of ['SQ *ACME TOOLS', 'ACME TOOLS INC SAN FRANCISCO CA', 'FIGMA'].entries()) {
        await db
          .insertInto('spend_transactions')
          .values({
            fingerprint: `fp${i}`, posted_on: '2026-11-0' + (i + 1), amount_minor: 5000, currency: 'USD', merchant_raw: merchant, merchant_normalized: merchant,
            app_id: i < 2 ? candidate : null, identifier_id: i < 2 ? ident.id : null, rule: 'unknown', source_layout: 'generic', source_file: 'c.csv', source_line: i + 2, scan_run_id: 1,
          })
          .execute()
      }

      const toFigma = await mapIdentifierToApp(db, { kind: 'merchant', raw: 'Acme Tools Inc', appKey: 'figma', normalize: await norm(db, 'merchant'), actor: 'it@example.com' })
      expect(toFigma).toMatchObject({ kind: 'merchant', value: 'ACME TOOLS', identifierId: ident.id, previousAppId: candidate, created: false })
      expect(toFigma.moved.spend).toBe(2)
      const figma = await db.selectFrom('apps').select(['id', 'name', 'category']).where('catalog_key', '=', 'figma').executeTakeFirstOrThrow()
      expect(figma).toMatchObject({ id: toFigma.appId, name: 'Figma', category: 'design' })
      const spendApps = async () => (await db.selectFrom('spend_transactions').select('app_id').orderBy('source_line').execute()).map((s) => s.app_id)
      expect(await spendApps()).toEqual([figma.id, figma.id, null])
      // the confirmed mapping is an override for every later resolution
      expect((await loadResolver(db)).resolve({ kind: 'merchant', value: 'SQ *ACME TOOLS' })).toMatchObject({ app: { key: 'figma' }, rule: 'override' })

      await addCustomApp(db, { key: 'acme-tools', name: 'Acme Tools', category: 'engineering', actor: ACTOR })
      const toCustom = await mapIdentifierToApp(db, { kind: 'merchant', raw: 'SQ *ACME TOOLS', appKey: 'acme-tools', normalize: await norm(db, 'merchant'), actor: 'it@example.com' })
      expect(await spendApps()).toEqual([toCustom.appId, toCustom.appId, null])
      expect(toCustom.appId).not.toBe(figma.id)

      const none = await mapIdentifierToApp(db, { kind: 'merchant', raw: 'ACME TOOLS', appKey: null, normalize: await norm(db, 'merchant'), actor: 'it@example.com' })
      expect(none.appId).toBeNull()
      expect(await spendApps()).toEqual([null, null, null])
      expect((await loadResolver(db)).resolve({ kind: 'merchant', value: 'ACME TOOLS' })).toMatchObject({ app: null, rule: 'override', candidate: null })
      const row = await db.selectFrom('identifiers').select(['app_id', 'confirmed', 'confirmed_by']).where('id', '=', ident.id).executeTakeFirstOrThrow()
      expect(row).toEqual({ app_id: null, confirmed: 1, confirmed_by: 'it@example.com' })
    })

    it('should map an OAuth client by name and move grants from one app to another, then detach them', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const candidate = await candidateApp(db, 'acmetools', 'Acme Tools')
      const grant = (user: string, clientId: string, clientName: string | null, appId: number | null) => ({
        source: 'google', identity_external_id: user, app_id: appId, client_id: clientId, client_name: clientName, first_seen_at: AT, last_seen_at: AT,
      })
      await db
        .insertInto('grants')
        .values([
          grant('u1', '111-a.apps.googleusercontent.com', 'Acme Tools', candidate),
          grant('u2', '111-a.apps.googleusercontent.com', 'Acme Tools (SSO)', candidate),
          grant('u3', '222-b.apps.googleusercontent.com', 'Zoom', null),
        ])
        .execute()
      const grantApps = async () => (await db.selectFrom('grants').select('app_id').orderBy('identity_external_id').execute()).map((g) => g.app_id)

      const r = await mapIdentifierToApp(db, { kind: 'oauth_client', raw: 'Acme Tools', appKey: 'figma', normalize: await norm(db, 'oauth_client'), actor: 'admin' })
      expect(r.value).toBe('acme tools')
      expect(r.moved.grants).toBe(2)
      expect(await grantApps()).toEqual([r.appId, r.appId, null])

      await mapIdentifierToApp(db, { kind: 'oauth_client', raw: 'Acme Tools', appKey: null, normalize: await norm(db, 'oauth_client'), actor: 'admin' })
      expect(await grantApps()).toEqual([null, null, null])
      await expect(mapIdentifierToApp(db, { kind: 'oauth_client', raw: 'Acme Tools', appKey: 'no-such-app', normalize: await norm(db, 'oauth_client'), actor: 'admin' })).rejects.toBeInstanceOf(NotFoundError)
      await expect(mapIdentifierToApp(db, { kind: 'browser' as IdentifierKind, raw: 'acme', appKey: 'figma', normalize: (v) => v, actor: 'admin' })).rejects.toBeInstanceOf(InvalidInputError)
    })

    it('should set status and owner, creating the app row of a catalog entry, and list apps with identifier counts', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const candidate = await candidateApp(db, 'acmetools', 'Acme Tools')
      await db
        .insertInto('identifiers')
        .values(['ACME TOOLS', 'ACME TOOLS LLC'].map((value) => ({ kind: 'merchant' as const, value, example_raw: value, app_id: candidate, rule: 'unknown', confidence: 0, first_seen_at: AT, last_seen_at: AT })))
        .execute()
      expect(await setAppStatus(db, { app: { key: 'figma' }, status: 'sanctioned', owner: ' Design-Lead@Example.com ', actor: ACTOR })).toMatchObject({ status: 'sanctioned', owner: 'design-lead@example.com' })
      expect(await setAppStatus(db, { app: { key: 'acmetools' }, status: 'blocked', actor: ACTOR })).toMatchObject({ id: candidate, status: 'blocked', owner: null })
      await expect(setAppStatus(db, { app: { key: 'figma' }, status: 'approved', actor: ACTOR })).rejects.toBeInstanceOf(InvalidInputError)
      await expect(setAppStatus(db, { app: { key: 'nothing-here' }, status: 'blocked', actor: ACTOR })).rejects.toThrow(new NotFoundError('app nothing-here: no app in the inventory or the catalog has this key'))

      const all = (await listApps(db)).rows
      expect(all.map((a) => [a.key, a.status, a.owner, a.identifiers])).toEqual([
        ['acmetools', 'blocked', null, 2],
        ['figma', 'sanctioned', 'design-lead@example.com', 0],
      ])
      expect((await listApps(db, { statuses: ['sanctioned'] })).rows.map((a) => a.key)).toEqual(['figma'])
      const figma = all.find((a) => a.key === 'figma')!
      expect(await setAppOwner(db, { app: { id: figma.id }, owner: null, actor: 'cli:root' })).toEqual({ id: figma.id, owner: null })
      await expect(setAppOwner(db, { app: { id: 999_999 }, owner: null, actor: ACTOR })).rejects.toBeInstanceOf(NotFoundError)
      expect(await auditActions(db)).toEqual([
        `it@example.com app.status.set app:${figma.id}`,
        `it@example.com app.status.set app:${candidate}`,
        `cli:root app.owner.set app:${figma.id}`,
      ])
      const first = await db.selectFrom('audit_events').select('payload').where('seq', '=', 1).executeTakeFirstOrThrow()
      expect(JSON.parse(first.payload)).toEqual({ from: { status: 'unknown', owner: null }, to: { status: 'sanctioned', owner: 'design-lead@example.com' } })
    })

    it('should audit every mapping and custom app in the same transaction, and write no event when the change fails', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      await addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki', category: 'collaboration', domains: ['acme-wiki.io'], actor: ACTOR, at: AT })
      const mapped = await mapIdentifierToApp(db, { kind: 'domain', raw: 'docs.acme-wiki.io', appKey: 'acme-wiki', normalize: await norm(db, 'domain'), actor: 'cli:ops' })
      await expect(mapIdentifierToApp(db, { kind: 'domain', raw: 'x.io', appKey: 'acme-wiki', normalize: () => { throw new Error('normaliser broke') }, actor: ACTOR })).rejects.toThrow('normaliser broke')
      expect(await auditActions(db)).toEqual(['it@example.com catalog.custom.created catalog_entry:acme-wiki', `cli:ops identifier.map identifier:${mapped.identifierId}`])
    })

    it('should filter, sort and page apps in SQL, with users, spend per currency, last use and sources', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const people = await db
        .insertInto('people')
        .values(['a@x.example', 'b@x.example', 'c@x.example'].map((email) => ({ email, status: 'active' as const, sources: '["hr"]', created_at: AT, updated_at: AT })))
        .returning('id')
        .execute()
      const zoom = await ensureCatalogApp(db, { catalogKey: 'zoom', name: 'Zoom', vendor: 'Zoom', category: 'communication' }, AT)
      const webex = await ensureCatalogApp(db, { catalogKey: 'webex', name: 'Webex', vendor: 'Cisco', category: 'communication' }, AT)
      const figma = await ensureCatalogApp(db, { catalogKey: 'figma', name: 'Figma', vendor: 'Figma', category: 'design' }, AT)
      const odd = (await ensureCandidateApp(db, { candidateKey: 'odd_100%', name: 'Odd_100% Tool', category: null }, AT)).id
      let n = 0
      const line = (app: number, amount: number, currency = 'USD') => ({
        fingerprint: `fp${++n}`, posted_on: '2026-10-0' + ((n % 9) + 1), amount_minor: amount, currency, merchant_raw: 'M', merchant_normalized: 'M',
        app_id: app, source_layout: 'brex', source_file: 'f.csv', source_line: n, scan_run_id: 1,
      })
      await db.insertInto('spend_transactions').values([line(zoom, 10_000), line(zoom, 5_000), line(zoom, 9_000, 'EUR'), line(webex, 20_000), line(figma, 1_000)]).execute()
      const account = (app: number, person: number, source: string, gone: string | null = null) => ({ app_id: app, person_id: person, source, external_id: `${source}-${app}-${person}`, first_seen_at: AT, last_seen_at: AT, gone_at: gone })
      await db.insertInto('accounts').values([account(zoom, people[0]!.id, 'okta'), account(zoom, people[1]!.id, 'okta'), account(figma, people[2]!.id, 'google'), account(webex, people[0]!.id, 'okta', AT)]).execute()
      await db.insertInto('signin_daily').values([
        { day: '2026-11-20', source: 'okta', user_key: 'u3', app_key: 'zoom', person_id: people[2]!.id, app_id: zoom, successes: 1, first_at: '2026-11-20T09:00:00.000Z', last_at: '2026-11-20T09:00:00.000Z' },
        { day: '2026-11-25', source: 'google', user_key: 'u1', app_key: 'figma', person_id: people[2]!.id, app_id: figma, successes: 2, first_at: '2026-11-25T09:00:00.000Z', last_at: '2026-11-25T10:00:00.000Z' },
      ]).execute()

      const bySpend = await listApps(db, { sort: 'spend' })
      // Webex 200.00 USD beats Zoom's 150.00 USD: currencies are never added (Zoom's EUR is its own figure).
      expect(bySpend.rows.map((r) => r.key)).toEqual(['webex', 'zoom', 'figma', 'odd_100%'])
      expect(bySpend.total).toBe(4)
      const zoomRow = bySpend.rows[1]!
      expect(zoomRow).toMatchObject({ users: 3, spend: [{ currency: 'EUR', totalMinor: 9000 }, { currency: 'USD', totalMinor: 15000 }], lastUsedAt: '2026-11-20T09:00:00.000Z', sources: ['okta', 'spend'], function: 'video-meetings' })
      expect((await listApps(db, { sort: 'users' })).rows.map((r) => [r.key, r.users])).toEqual([['zoom', 3], ['figma', 1], ['odd_100%', 0], ['webex', 0]])
      expect((await listApps(db, { sort: 'lastUsed' })).rows.map((r) => r.key)).toEqual(['figma', 'zoom', 'odd_100%', 'webex'])
      expect((await listApps(db, { sort: 'lastUsed', direction: 'asc' })).rows.map((r) => r.key)).toEqual(['zoom', 'figma', 'odd_100%', 'webex'])
      expect((await listApps(db, { functions: ['video-meetings'] })).rows.map((r) => r.key)).toEqual(['webex', 'zoom'])
      expect((await listApps(db, { sources: ['google'] })).rows.map((r) => r.key)).toEqual(['figma'])
      expect((await listApps(db, { categories: ['communication'], sources: ['spend'], search: 'CISCO' })).rows.map((r) => r.key)).toEqual(['webex'])
      // % and _ typed into the search box are literal characters
      expect((await listApps(db, { search: '_100%' })).rows.map((r) => r.key)).toEqual(['odd_100%'])
      expect((await listApps(db, { search: '%' })).rows.map((r) => r.key)).toEqual(['odd_100%'])
      const page2 = await listApps(db, { limit: 2, offset: 2 })
      expect([page2.total, page2.rows.map((r) => r.key)]).toEqual([4, ['webex', 'zoom']])
      await expect(listApps(db, { limit: 0 })).rejects.toBeInstanceOf(InvalidInputError)
      await expect(listApps(db, { sort: 'price' as never })).rejects.toBeInstanceOf(InvalidInputError)
    })


  })
}

describe('ensureCatalogApp and ensureCandidateApp under concurrent imports [postgres]', () => {
  let t: TestStore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('should let a second transaction that missed the row on read take the row the first one committed (issue 13 item 9)', async () => {
    t = await createTestStore('postgres')
    const other = await openStore(t.url, { migrate: false })
    try {
      const app = { catalogKey: 'zoom', name: 'Zoom', vendor: 'Zoom', category: 'communication' }
      let releaseFirst!: () => void
      const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve))
      let firstInserted!: () => void
      const firstHasInserted = new Promise<void>((resolve) => (firstInserted = resolve))
      const first = t.store.db.transaction().execute(async (trx) => {
        const id = await ensureCatalogApp(trx, app, AT)
        const candidate = await ensureCandidateApp(trx, { candidateKey: 'acmetools', name: 'Acme Tools', category: null }, AT)
        firstInserted()
        await firstMayCommit
        return [id, candidate.id]
      })
      await firstHasInserted
      // The second import's read cannot see the first one's uncommitted rows, so it inserts and must wait for them.
      const second = other.db.transaction().execute(async (trx) => [await ensureCatalogApp(trx, app, AT), (await ensureCandidateApp(trx, { candidateKey: 'acmetools', name: 'Acme Tools', category: null }, AT)).id])
      await waitUntilBlocked(t.url)
      releaseFirst()
      const [a, b] = await Promise.all([first, second])
      expect(b).toEqual(a)
      expect(await t.store.db.selectFrom('apps').select(['catalog_key', 'candidate_key']).orderBy('id').execute()).toEqual([
        { catalog_key: 'zoom', candidate_key: null },
        { catalog_key: null, candidate_key: 'acmetools' },
      ])
    } finally {
      await other.close()
    }
  })
})

/** Polls pg_stat_activity until a session of the test's schema waits on a lock (the second insert). */
async function waitUntilBlocked(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL })
  await client.connect()
  try {
    const schema = decodeURIComponent(url).match(/search_path=(\S+)/)![1]!
    for (let i = 0; i < 500; i++) {
      const r = await client.query(
        `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "apps"%'`,
      )
      if ((r.rows[0] as { n: number }).n > 0) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`no session of ${schema} ever waited on the apps insert`)
  } finally {
    await client.end()
  }
}

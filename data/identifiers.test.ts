import { afterEach, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { mapIdentifier } from './apps.js'
import { rawValuesMatching, type MappedApp } from './identifiers.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

const AT = '2026-11-28T10:00:00.000Z'
const LATER = '2026-11-29T10:00:00.000Z'
/** Stands in for analyzer/resolve's rules, which data/ may not import. */
const normalize = (raw: string): string => raw.trim().toLowerCase().replace(/\s+/g, ' ')

const OLD: MappedApp = { catalogKey: 'old-tool', name: 'Old Tool', vendor: 'Old Inc', category: 'productivity' }
const NEW: MappedApp = { catalogKey: 'new-tool', name: 'New Tool', vendor: 'New Inc', category: 'design' }

async function app(db: Kysely<Database>, a: MappedApp): Promise<number> {
  const row = await db
    .insertInto('apps')
    .values({ catalog_key: a.catalogKey, name: a.name, category: a.category, status: 'sanctioned', first_seen_at: AT, updated_at: AT })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function identifier(db: Kysely<Database>, kind: 'merchant' | 'oauth_client', value: string, appId: number | null): Promise<number> {
  const row = await db
    .insertInto('identifiers')
    .values({ kind, value, example_raw: value, app_id: appId, candidate_key: null, rule: 'merchant-pattern', confidence: 0.95, first_seen_at: AT, last_seen_at: AT })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

let line = 0
async function spend(db: Kysely<Database>, merchant: string, appId: number | null, identifierId: number | null): Promise<void> {
  line += 1
  await db
    .insertInto('spend_transactions')
    .values({
      fingerprint: `fp-${line}`, posted_on: '2026-11-01', amount_minor: 1200, currency: 'USD', merchant_raw: merchant,
      merchant_normalized: normalize(merchant), app_id: appId, identifier_id: identifierId, rule: 'merchant-pattern',
      source_layout: 'generic', source_file: 'card.csv', source_line: line, scan_run_id: 1,
    })
    .execute()
}

async function grant(db: Kysely<Database>, user: string, clientId: string, clientName: string | null, appId: number | null): Promise<void> {
  await db
    .insertInto('grants')
    .values({ source: 'google', identity_external_id: user, app_id: appId, client_id: clientId, client_name: clientName, first_seen_at: AT, last_seen_at: AT })
    .execute()
}

async function appIds(db: Kysely<Database>, table: 'spend_transactions' | 'grants' | 'telemetry_events' | 'signin_events' | 'source_apps'): Promise<(number | null)[]> {
  const rows = await db.selectFrom(table).select(['id', 'app_id']).orderBy('id').execute()
  return rows.map((r) => r.app_id)
}

for (const dialect of DIALECTS) {
  describe(`mapIdentifier [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    it('should move spend lines of the identifier to the new app, then detach them for none', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const oldId = await app(db, OLD)
      const otherId = await app(db, { ...OLD, catalogKey: 'other', name: 'Other' })
      const acme = await identifier(db, 'merchant', 'acme tools', oldId)
      const other = await identifier(db, 'merchant', 'other co', otherId)
      await spend(db, 'ACME TOOLS', oldId, acme)
      await spend(db, 'ACME  TOOLS ', oldId, acme)
      await spend(db, 'OTHER CO', otherId, other)
      await spend(db, ' acme tools', null, null) // unattributed, but its descriptor normalises to the identifier

      const r = await mapIdentifier(db, { kind: 'merchant', value: 'acme tools', exampleRaw: 'ACME TOOLS', app: NEW, normalize, actor: 'it@example.com', at: LATER })
      const newId = r.appId as number
      expect(r).toMatchObject({ identifierId: acme, created: false, previousAppId: oldId })
      expect(r.moved.spend).toBe(3)
      expect(await appIds(db, 'spend_transactions')).toEqual([newId, newId, otherId, newId])
      const loose = await db.selectFrom('spend_transactions').select(['identifier_id', 'rule']).where('merchant_raw', '=', ' acme tools').executeTakeFirstOrThrow()
      expect(loose).toEqual({ identifier_id: acme, rule: 'override' })
      const row = await db.selectFrom('identifiers').selectAll().where('id', '=', acme).executeTakeFirstOrThrow()
      expect(row).toMatchObject({ app_id: newId, confirmed: 1, confirmed_by: 'it@example.com', confirmed_at: LATER, rule: 'override', confidence: 1 })
      const created = await db.selectFrom('apps').selectAll().where('id', '=', newId).executeTakeFirstOrThrow()
      expect(created).toMatchObject({ catalog_key: 'new-tool', name: 'New Tool', status: 'unknown', category: 'design' })

      const none = await mapIdentifier(db, { kind: 'merchant', value: 'acme tools', exampleRaw: 'ACME TOOLS', app: null, normalize, actor: 'it@example.com', at: LATER })
      expect(none.appId).toBeNull()
      expect(none.previousAppId).toBe(newId)
      expect(await appIds(db, 'spend_transactions')).toEqual([null, null, otherId, null])
      expect((await db.selectFrom('identifiers').select(['app_id', 'confirmed']).where('id', '=', acme).executeTakeFirstOrThrow())).toEqual({ app_id: null, confirmed: 1 })
    })

    it('should move grants whose client id or client name normalises to an OAuth client identifier', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const oldId = await app(db, OLD)
      await grant(db, 'u1', '123-abc.apps.googleusercontent.com', 'Acme Tools', oldId)
      await grant(db, 'u2', '999-zzz.apps.googleusercontent.com', 'ACME  Tools', oldId)
      await grant(db, 'u3', '555-other.apps.googleusercontent.com', 'Other', oldId)
      await grant(db, 'u4', 'acme tools', null, null) // named only by its client id

      const r = await mapIdentifier(db, { kind: 'oauth_client', value: 'acme tools', exampleRaw: 'Acme Tools', app: NEW, normalize, actor: 'admin', at: LATER })
      const newId = r.appId as number
      expect(r.created).toBe(true)
      expect(r.moved.grants).toBe(3)
      expect(await appIds(db, 'grants')).toEqual([newId, newId, oldId, newId])

      const none = await mapIdentifier(db, { kind: 'oauth_client', value: 'acme tools', exampleRaw: 'Acme Tools', app: null, normalize, actor: 'admin', at: LATER })
      expect(none.moved.grants).toBe(3)
      expect(await appIds(db, 'grants')).toEqual([null, null, oldId, null])
      expect(await db.selectFrom('identifiers').select(['kind', 'value', 'example_raw', 'app_id', 'confirmed']).execute()).toEqual([
        { kind: 'oauth_client', value: 'acme tools', example_raw: 'Acme Tools', app_id: null, confirmed: 1 },
      ])
    })

    it('should move SSO source apps, their sign-in events and the daily rollup rows', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const oldId = await app(db, OLD)
      const otherId = await app(db, { ...OLD, catalogKey: 'other', name: 'Other' })
      await db
        .insertInto('source_apps')
        .values([
          { source: 'okta', external_id: '0oa1', app_id: oldId, label: 'Acme SSO', first_seen_at: AT, last_seen_at: AT },
          { source: 'okta', external_id: '0oa2', app_id: otherId, label: 'Other', first_seen_at: AT, last_seen_at: AT },
        ])
        .execute()
      const event = (id: string, ref: string, appId: number | null, day: string) => ({
        source: 'okta', event_id: id, occurred_at: `${day}T09:00:00.000Z`, user_email: 'a@example.com', app_id: appId, app_ref: ref, result: 'success' as const,
      })
      await db
        .insertInto('signin_events')
        .values([
          event('e1', '0oa1', oldId, '2026-11-01'),
          event('e2', '0oa2', otherId, '2026-11-01'),
          event('e3', 'acme sso', null, '2026-11-02'), // a label reference, as Google's activity log gives
        ])
        .execute()
      const daily = (day: string, appKey: string, appId: number | null) => ({ day, source: 'okta', user_key: 'a@example.com', app_key: appKey, app_id: appId, successes: 1, first_at: AT, last_at: AT })
      await db
        .insertInto('signin_daily')
        .values([daily('2026-11-01', String(oldId), oldId), daily('2026-11-01', String(otherId), otherId), daily('2026-11-02', 'acme sso', null)])
        .execute()

      const r = await mapIdentifier(db, { kind: 'sso_app', value: 'acme sso', exampleRaw: 'Acme SSO', app: NEW, normalize, actor: 'admin', at: LATER })
      const newId = r.appId as number
      expect(r.moved).toMatchObject({ sourceApps: 1, signinEvents: 2, signinDaily: 2 })
      expect(await appIds(db, 'source_apps')).toEqual([newId, otherId])
      expect(await appIds(db, 'signin_events')).toEqual([newId, otherId, newId])
      const rollup = await db.selectFrom('signin_daily').select(['day', 'app_key', 'app_id']).orderBy('day').orderBy('app_key').execute()
      expect(rollup.map((d) => d.app_id).sort()).toEqual([newId, newId, otherId].sort())

      await mapIdentifier(db, { kind: 'sso_app', value: 'acme sso', exampleRaw: 'Acme SSO', app: null, normalize, actor: 'admin', at: LATER })
      expect(await appIds(db, 'source_apps')).toEqual([null, otherId])
      expect(await appIds(db, 'signin_events')).toEqual([null, otherId, null])
      const after = await db.selectFrom('signin_daily').select('app_id').execute()
      expect(after.map((d) => d.app_id).filter((a) => a !== null)).toEqual([otherId])
    })

    it('should move telemetry events by domain', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const oldId = await app(db, OLD)
      const ev = (id: string, domain: string) => ({ device_id: 'd1', event_id: id, domain, kind: 'login' as const, occurred_at: AT, received_at: AT, app_id: oldId })
      await db.insertInto('telemetry_events').values([ev('t1', 'acme.io'), ev('t2', 'ACME.io '), ev('t3', 'other.io')]).execute()
      const r = await mapIdentifier(db, { kind: 'domain', value: 'acme.io', exampleRaw: 'acme.io', app: NEW, normalize, actor: 'admin', at: LATER })
      expect(r.moved.telemetry).toBe(2)
      expect(await appIds(db, 'telemetry_events')).toEqual([r.appId, r.appId, oldId])
    })

    it('should leave nothing half-done when a step fails', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const oldId = await app(db, OLD)
      await grant(db, 'u1', 'cid-1', 'Acme Tools', oldId)
      const failing = (raw: string): string => {
        if (raw === 'Acme Tools') throw new Error('normaliser broke')
        return normalize(raw)
      }
      await expect(
        mapIdentifier(db, { kind: 'oauth_client', value: 'acme tools', exampleRaw: 'Acme Tools', app: NEW, normalize: failing, actor: 'admin', at: LATER }),
      ).rejects.toThrow(/normaliser broke/)
      expect(await db.selectFrom('identifiers').selectAll().execute()).toEqual([])
      expect(await db.selectFrom('apps').select('catalog_key').execute()).toEqual([{ catalog_key: 'old-tool' }])
      expect(await appIds(db, 'grants')).toEqual([oldId])
    })
  })
}

describe('rawValuesMatching', () => {
  it('should keep each distinct raw value that normalises to the value, and skip empty ones', () => {
    expect(rawValuesMatching(['Acme', ' acme', 'Acme', null, '', 'Acmex'], 'acme', normalize)).toEqual(['Acme', ' acme'])
  })
})

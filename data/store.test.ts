import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { openStore, parseDatabaseUrl } from './connection.js'
import { LATEST_MIGRATION, migrateTo, migrationStatus } from './migrate.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

describe('parseDatabaseUrl', () => {
  it('should choose SQLite for a plain path and a sqlite: URL', () => {
    expect(parseDatabaseUrl('./data/sightline.db')).toEqual({ dialect: 'sqlite', location: './data/sightline.db' })
    expect(parseDatabaseUrl('sqlite:/var/lib/x.db')).toEqual({ dialect: 'sqlite', location: '/var/lib/x.db' })
    expect(parseDatabaseUrl('sqlite://rel/x.db')).toEqual({ dialect: 'sqlite', location: 'rel/x.db' })
  })
  it('should choose PostgreSQL for postgres:// and postgresql://', () => {
    expect(parseDatabaseUrl('postgres://u@h/db').dialect).toBe('postgres')
    expect(parseDatabaseUrl('postgresql://u@h/db').dialect).toBe('postgres')
  })
  it('should refuse other schemes and empty URLs', () => {
    expect(() => parseDatabaseUrl('mysql://root@localhost/x')).toThrow(/unsupported scheme/)
    expect(() => parseDatabaseUrl('  ')).toThrow(/empty/)
  })
})

for (const dialect of DIALECTS) {
  describe(`inventory store [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    it('should apply every migration on open', async () => {
      t = await createTestStore(dialect)
      const status = await migrationStatus(t.store.db)
      expect(status.every((m) => m.executedAt !== undefined)).toBe(true)
      expect(status.at(-1)?.name).toBe(LATEST_MIGRATION)
    })

    it('should upgrade a database made by the first migration in place, keeping its rows', async () => {
      t = await createTestStore(dialect, { migrate: false })
      await migrateTo(t.store.db, '2026-11-28-001-inventory')
      const now = '2026-11-01T00:00:00.000Z'
      const app = await t.store.db
        .insertInto('apps')
        .values({ name: 'Slack', catalog_key: 'slack', status: 'sanctioned', first_seen_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      await t.store.db
        .insertInto('accounts')
        // `licensed` does not exist yet in the first migration's schema.
        .values({ app_id: app.id, source: 'okta', external_id: '00u1', first_seen_at: now, last_seen_at: now } as never)
        .execute()
      await t.store.close()

      const reopened = await openStore(t.url)
      try {
        const status = await migrationStatus(reopened.db)
        expect(status.map((m) => m.executedAt !== undefined)).toEqual(status.map(() => true))
        const account = await reopened.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow()
        expect(account.external_id).toBe('00u1')
        expect(account.licensed).toBe(0)
        const daily = await reopened.db.selectFrom('signin_daily').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
        expect(Number(daily.n)).toBe(0)
      } finally {
        await reopened.close()
      }
    })

    it('should enforce one person per email and one identifier per kind and value', async () => {
      t = await createTestStore(dialect)
      const now = '2026-11-01T00:00:00.000Z'
      const person = { email: 'ada@northwind.example', status: 'active' as const, created_at: now, updated_at: now }
      // The unique constraint itself must refuse the row (a NOT NULL or type slip would fail with another message).
      const unique = (sqlite: string, postgres: string) => (dialect === 'sqlite' ? `UNIQUE constraint failed: ${sqlite}` : `duplicate key value violates unique constraint "${postgres}"`)
      await t.store.db.insertInto('people').values(person).execute()
      await expect(t.store.db.insertInto('people').values(person).execute()).rejects.toThrow(unique('people.email', 'people_email_key'))
      const identifier = { kind: 'domain' as const, value: 'notion.so', example_raw: 'notion.so', rule: 'exact-domain', confidence: 1, first_seen_at: now, last_seen_at: now }
      await t.store.db.insertInto('identifiers').values(identifier).execute()
      await expect(t.store.db.insertInto('identifiers').values(identifier).execute()).rejects.toThrow(unique('identifiers.kind, identifiers.value', 'identifiers_kind_value'))
      expect(await t.store.db.selectFrom('identifiers').select('value').execute()).toEqual([{ value: 'notion.so' }])
    })

    it('should return counts and sums as numbers', async () => {
      t = await createTestStore(dialect)
      const now = '2026-11-01T00:00:00.000Z'
      const ids = await t.store.db
        .insertInto('people')
        .values(['a@x.example', 'b@x.example'].map((email) => ({ email, status: 'active' as const, created_at: now, updated_at: now })))
        .returning('id')
        .execute()
      const row = await t.store.db
        .selectFrom('people')
        .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(id), 0)`.as('s')])
        .executeTakeFirstOrThrow()
      expect(row).toEqual({ n: 2, s: ids[0]!.id + ids[1]!.id })
    })
  })
}

describe('two PostgreSQL stores in one process', () => {
  it('should migrate each schema on its own', async () => {
    const a = await createTestStore('postgres')
    const b = await createTestStore('postgres')
    try {
      for (const s of [a, b]) {
        const status = await migrationStatus(s.store.db)
        expect(status.every((m) => m.executedAt !== undefined)).toBe(true)
        await s.store.db.selectFrom('people').select('id').execute()
      }
    } finally {
      await a.dispose()
      await b.dispose()
    }
  })
})

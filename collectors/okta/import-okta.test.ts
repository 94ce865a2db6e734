import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { CollectorContext } from '../sdk/contract.js'
import type { ObservedRecord } from '../sdk/records.js'
import { createOktaCollector, OKTA_MANIFEST } from './collector.js'
import { createOktaDirectoryCollector } from './file-collectors.js'
import { importOktaDirectory, importOktaSystemLog } from './import-okta.js'
import { startFakeOkta, type FakeOkta } from './testing/fake-okta.js'
import { catalogResolver, signinCounts } from './testing/helpers.js'
import { expectedSignins, seedOrg } from './testing/seed-org.js'

/** Writes the fake org's data the way the demo lays out `okta/`. */
function writeOktaDir(fake: FakeOkta): string {
  const dir = mkdtempSync(join(tmpdir(), 'okta-dir-'))
  writeFileSync(join(dir, 'users.json'), `[\n${fake.users.map((u) => JSON.stringify(u)).join(',\n')}\n]\n`)
  writeFileSync(join(dir, 'apps.json'), JSON.stringify(fake.apps, null, 2))
  mkdirSync(join(dir, 'app-users'))
  for (const [appId, users] of fake.appUsers) writeFileSync(join(dir, 'app-users', `${appId}.json`), JSON.stringify(users))
  writeFileSync(join(dir, 'system-log.jsonl'), fake.logs.map((e) => JSON.stringify(e)).join('\n') + '\n')
  return dir
}

async function collect(collector: { list: (k: never, r: never, c: never) => Promise<{ items: readonly ObservedRecord[]; next: string | null }> }, ctx: CollectorContext<unknown>) {
  const out: Record<string, ObservedRecord[]> = {}
  for (const kind of OKTA_MANIFEST.kinds) {
    out[kind] = []
    let cursor: string | null = null
    do {
      const page: { items: readonly ObservedRecord[]; next: string | null } = await collector.list(kind as never, { cursor, signal: ctx.signal } as never, ctx as never)
      out[kind]!.push(...page.items)
      cursor = page.next
    } while (cursor !== null)
  }
  return out
}

describe('Okta file mode', () => {
  let fake: FakeOkta
  beforeAll(async () => {
    fake = await startFakeOkta({ apiToken: 'file-mode' })
    seedOrg(fake, { users: 9, signins: 25 })
  })
  afterAll(() => fake.close())

  it('should produce the same records from the okta/ directory as from the live API', async () => {
    const dir = writeOktaDir(fake)
    const ctx = { config: {}, signal: new AbortController().signal, reportItemError: (e: unknown) => { throw new Error(JSON.stringify(e)) } }
    const live = await collect(createOktaCollector({ orgUrl: fake.url, auth: { kind: 'api-token', token: 'file-mode' }, logSince: '2020-01-01T00:00:00.000Z' }) as never, { ...ctx, config: { logSince: '2020-01-01T00:00:00.000Z' } } as never)
    const file = await collect(createOktaDirectoryCollector(dir) as never, ctx as never)
    const byId = (records: ObservedRecord[]) => [...records].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    for (const kind of OKTA_MANIFEST.kinds) expect(byId(file[kind]!)).toEqual(byId(live[kind]!))
    expect(file.person).toHaveLength(9)
    expect(file.signin).toHaveLength(expectedSignins(fake))
  })
})

describe.each(DIALECTS)('Okta importers on %s', (dialect) => {
  let t: TestStore
  let fake: FakeOkta
  const resolver = catalogResolver()
  beforeEach(async () => {
    t = await createTestStore(dialect)
    fake = await startFakeOkta({ apiToken: 'x' })
    seedOrg(fake, { users: 9, signins: 25 })
  })
  afterEach(async () => {
    await fake.close()
    await t.dispose()
  })

  it('should import the okta/ directory, and importing it again adds no sign-in twice', async () => {
    const dir = writeOktaDir(fake)
    const first = await importOktaDirectory(t.store, dir, { resolver })
    expect(first).toMatchObject({ layout: 'okta-dir', status: 'completed', rejected: 0, duplicates: 0 })
    expect(first.counts['signin.imported']).toBe(expectedSignins(fake))
    expect(first.counts['log.membership-add']).toBe(1)
    const accounts = await t.store.db.selectFrom('accounts').select('id').where('source', '=', 'okta').execute()
    expect(accounts).toHaveLength([...fake.appUsers.values()].reduce((n, a) => n + a.length, 0))
    const again = await importOktaSystemLog(t.store, dir, { resolver })
    expect(again.duplicates).toBe(expectedSignins(fake))
    expect(await signinCounts(t.store.db, 'okta')).toEqual({ events: expectedSignins(fake), distinct: expectedSignins(fake), rolledUp: expectedSignins(fake) })
  })

  it('should import a System Log JSON array, naming each malformed record by file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-log-'))
    const path = join(dir, 'export.json')
    const events = fake.logs.slice(0, 6).map((e) => JSON.stringify(e))
    const broken = { ...fake.logs[6]!, published: 'yesterday' }
    const { uuid: _drop, ...noUuid } = fake.logs[7]!
    writeFileSync(path, `[\n${[...events, JSON.stringify(broken), JSON.stringify(noUuid), '{"uuid": "x",'].join(',\n')}\n]`)
    const error = await importOktaSystemLog(t.store, path, { resolver }).catch((e: unknown) => e as Error)
    // The last element is not closed, so the array is truncated: nothing is imported, the error names the line.
    expect((error as Error).message).toMatch(/export\.json: line 10:1: the JSON array is not closed/)
    expect(await t.store.db.selectFrom('signin_events').select('id').execute()).toEqual([])

    writeFileSync(path, `[\n${[...events, JSON.stringify(broken), JSON.stringify(noUuid), '"not an event"'].join(',\n')}\n]`)
    const summary = await importOktaSystemLog(t.store, path, { resolver })
    expect(summary.status).toBe('partial')
    expect(summary.errors).toEqual([
      'okta: export.json: line 8: field published: not a timestamp: yesterday',
      'okta: export.json: line 9: field uuid: missing',
      'okta: export.json: line 10: not a JSON object',
    ])
    expect(summary.imported).toBe(fake.logs.slice(0, 6).filter((e) => e.eventType === 'user.authentication.sso' || e.eventType === 'user.session.start').length)
  })

  it('should count every event of an API-exported System Log (pretty-printed array): OAuth/OIDC and sign-on policy use as access, the rest skipped by type', async () => {
    const path = new URL('./fixtures/system-log-api.json', import.meta.url).pathname
    const summary = await importOktaSystemLog(t.store, path, { resolver })
    // Six sign-ins and the account of the one membership add.
    expect(summary).toMatchObject({ layout: 'okta-system-log', read: 13, imported: 7, rejected: 0, status: 'completed' })
    expect(summary.counts['signin.imported']).toBe(6)
    expect(summary.skippedBy).toEqual({
      'user.authentication.verify': 1,
      'app.oauth2.token.grant.access_token (no user: PublicClientApp)': 1,
      'policy.evaluate_sign_on (outcome CHALLENGE)': 1,
      'user.lifecycle.create': 1,
    })
    expect(summary.counts).toMatchObject({ 'log.events': 13, 'log.membership-add': 1, 'log.assignment-history': 2, 'log.skipped': 4 })
    const rows = await t.store.db.selectFrom('signin_events').select(['app_ref', 'result']).orderBy('occurred_at').execute()
    expect(rows.map((r) => `${r.app_ref}:${r.result}`)).toEqual([
      'okta:failure', 'okta:success', '0oa1sfdc3PqLmN8d0h7:success', '0oa2prtl5ZxCvB6n0h7:success', '0oa2prtl5ZxCvB6n0h7:success', '0oa3slck8HgFdS2a0h7:success',
    ])
  })

  it('should import nothing from a System Log holding only admin events, and say why by type', async () => {
    const path = new URL('./fixtures/system-log-admin-only.json', import.meta.url).pathname
    const summary = await importOktaSystemLog(t.store, path, { resolver })
    expect(summary).toMatchObject({ read: 2, imported: 0, skippedBy: { 'user.authentication.verify': 1, 'user.lifecycle.create': 1 } })
  })

  it('should turn a log-only membership add into an account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-log-'))
    const path = join(dir, 'log.jsonl')
    writeFileSync(path, fake.logs.map((e) => JSON.stringify(e)).join('\n'))
    const summary = await importOktaSystemLog(t.store, path, { resolver })
    expect(summary.status).toBe('completed')
    const accounts = await t.store.db.selectFrom('accounts').innerJoin('apps', 'apps.id', 'accounts.app_id').select(['apps.catalog_key', 'accounts.external_id']).execute()
    expect(accounts).toEqual([{ catalog_key: 'slack', external_id: expect.stringMatching(/^0oaslack000000000001\/00u/) }])
  })
})

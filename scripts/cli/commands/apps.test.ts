import { afterEach, describe, expect, it } from 'vitest'
import { runCli as runTestCli } from '../testing/run-cli.js'
import type { Kysely } from 'kysely'
import type { Database } from '../../../data/database.js'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { loadResolver } from '../resolver.js'
import { UsageError } from '../errors.js'
import { addCustomApp, listApps, mapIdentifierToApp, registerApps, setAppStatus } from './apps.js'
import { checkCatalog, registerCatalog } from './catalog.js'

const AT = '2026-11-28T10:00:00.000Z'

async function candidateApp(db: Kysely<Database>, key: string, name: string): Promise<number> {
  const row = await db.insertInto('apps').values({ candidate_key: key, name, status: 'unknown', first_seen_at: AT, updated_at: AT }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

function runCli(url: string, args: string[]) {
  return runTestCli(url, args, (program) => {
    registerApps(program)
    registerCatalog(program)
  })
}

for (const dialect of DIALECTS) {
  describe(`apps and catalog commands [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    it('should store a custom catalog entry that loadResolver then resolves domains and merchants to', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      expect(await addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki', category: 'collaboration', domains: ['Acme-Wiki.io'], merchants: ['acme wiki'], by: 'it@example.com', at: AT })).toBe('created')
      const stored = await db.selectFrom('catalog_custom_entries').selectAll().executeTakeFirstOrThrow()
      expect(stored).toMatchObject({ key: 'acme-wiki', created_by: 'it@example.com', created_at: AT })
      expect(JSON.parse(stored.entry)).toMatchObject({ key: 'acme-wiki', vendor: 'Acme Wiki', domains: ['acme-wiki.io'], merchantPatterns: ['ACME WIKI'] })

      const resolver = await loadResolver(db)
      expect(resolver.resolve({ kind: 'domain', value: 'https://team.acme-wiki.io/page' })).toMatchObject({ app: { key: 'acme-wiki' }, rule: 'subdomain' })
      expect(resolver.resolve({ kind: 'merchant', value: 'ACME WIKI SAN FRANCISCO CA' })).toMatchObject({ app: { key: 'acme-wiki' }, rule: 'merchant-pattern' })

      await expect(addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki 2', category: 'collaboration' })).rejects.toThrow(/exists; pass --replace/)
      expect(await addCustomApp(db, { key: 'acme-wiki', name: 'Acme Wiki', category: 'design', domains: ['acme-wiki.io'], replace: true })).toBe('replaced')
      expect((await loadResolver(db)).resolve({ kind: 'domain', value: 'acme-wiki.io' }).app).toMatchObject({ key: 'acme-wiki', category: 'design' })
    })

    it('should refuse custom entries that are invalid or clash with the shipped catalog', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      await expect(addCustomApp(db, { key: 'slack', name: 'Our Slack', category: 'communication' })).rejects.toThrow(/shipped catalog entry/)
      await expect(addCustomApp(db, { key: 'our-chat', name: 'Our Chat', category: 'communication', domains: ['slack.com'] })).rejects.toThrow(/domain "slack.com" is claimed/)
      await expect(addCustomApp(db, { key: 'Bad Key', name: 'X', category: 'communication' })).rejects.toThrow(UsageError)
      await expect(addCustomApp(db, { key: 'x-tool', name: 'X', category: 'nonsense' })).rejects.toThrow(/--category nonsense/)
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

      const toFigma = await mapIdentifierToApp(db, { identifier: 'merchant:Acme Tools Inc', app: 'figma', by: 'it@example.com' })
      expect(toFigma).toMatchObject({ kind: 'merchant', value: 'ACME TOOLS', identifierId: ident.id, previousAppId: candidate, created: false })
      expect(toFigma.moved.spend).toBe(2)
      const figma = await db.selectFrom('apps').select(['id', 'name', 'category']).where('catalog_key', '=', 'figma').executeTakeFirstOrThrow()
      expect(figma).toMatchObject({ id: toFigma.appId, name: 'Figma', category: 'design' })
      const spendApps = async () => (await db.selectFrom('spend_transactions').select('app_id').orderBy('source_line').execute()).map((s) => s.app_id)
      expect(await spendApps()).toEqual([figma.id, figma.id, null])
      // the confirmed mapping is an override for every later resolution
      expect((await loadResolver(db)).resolve({ kind: 'merchant', value: 'SQ *ACME TOOLS' })).toMatchObject({ app: { key: 'figma' }, rule: 'override' })

      await addCustomApp(db, { key: 'acme-tools', name: 'Acme Tools', category: 'engineering' })
      const toCustom = await mapIdentifierToApp(db, { identifier: 'merchant:SQ *ACME TOOLS', app: 'acme-tools', by: 'it@example.com' })
      expect(await spendApps()).toEqual([toCustom.appId, toCustom.appId, null])
      expect(toCustom.appId).not.toBe(figma.id)

      const none = await mapIdentifierToApp(db, { identifier: 'merchant:ACME TOOLS', app: 'none', by: 'it@example.com' })
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

      const r = await mapIdentifierToApp(db, { identifier: 'oauth_client:Acme Tools', app: 'figma', by: 'admin' })
      expect(r.value).toBe('acme tools')
      expect(r.moved.grants).toBe(2)
      expect(await grantApps()).toEqual([r.appId, r.appId, null])

      await mapIdentifierToApp(db, { identifier: 'oauth_client:Acme Tools', app: 'none', by: 'admin' })
      expect(await grantApps()).toEqual([null, null, null])
      await expect(mapIdentifierToApp(db, { identifier: 'oauth_client:Acme Tools', app: 'no-such-app', by: 'admin' })).rejects.toThrow(/no catalog entry/)
      await expect(mapIdentifierToApp(db, { identifier: 'browser:acme', app: 'figma', by: 'admin' })).rejects.toThrow(UsageError)
    })

    it('should set status and owner, creating the app row of a catalog entry, and list apps with identifier counts', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const candidate = await candidateApp(db, 'acmetools', 'Acme Tools')
      await db
        .insertInto('identifiers')
        .values(['ACME TOOLS', 'ACME TOOLS LLC'].map((value) => ({ kind: 'merchant' as const, value, example_raw: value, app_id: candidate, rule: 'unknown', confidence: 0, first_seen_at: AT, last_seen_at: AT })))
        .execute()
      expect(await setAppStatus(db, { key: 'figma', status: 'sanctioned', owner: ' Design-Lead@Example.com ' })).toMatchObject({ status: 'sanctioned', owner: 'design-lead@example.com' })
      expect(await setAppStatus(db, { key: 'acmetools', status: 'blocked' })).toMatchObject({ id: candidate, status: 'blocked', owner: null })
      await expect(setAppStatus(db, { key: 'figma', status: 'approved' })).rejects.toThrow(/expected one of/)
      await expect(setAppStatus(db, { key: 'nothing-here', status: 'blocked' })).rejects.toThrow(/no app/)

      const all = await listApps(db)
      expect(all.map((a) => [a.key, a.status, a.owner, a.identifiers])).toEqual([
        ['acmetools', 'blocked', null, 2],
        ['figma', 'sanctioned', 'design-lead@example.com', 0],
      ])
      expect((await listApps(db, ['sanctioned'])).map((a) => a.key)).toEqual(['figma'])
    })

    it('should report every catalog problem, custom entries included, with a non-zero exit', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      expect(await checkCatalog(db)).toEqual([])
      const clean = await runCli(t.url, ['catalog', 'check'])
      expect(clean).toEqual({ stdout: 'catalog check: no problems\n', exitCode: undefined })

      await db
        .insertInto('catalog_custom_entries')
        .values([
          { key: 'broken', entry: '{not json', created_at: AT, updated_at: AT },
          { key: 'my-figma', entry: JSON.stringify({ key: 'my-figma', name: 'My Figma', vendor: 'Me', category: 'design', domains: ['figma.com'] }), created_at: AT, updated_at: AT },
          { key: 'odd', entry: JSON.stringify({ key: 'odd', name: 'Odd', vendor: 'Me', category: 'nope' }), created_at: AT, updated_at: AT },
        ])
        .execute()
      const problems = await checkCatalog(db)
      expect(problems).toHaveLength(3)
      const bad = await runCli(t.url, ['catalog', 'check'])
      expect(bad.exitCode).toBe(1)
      const lines = bad.stdout.trimEnd().split('\n')
      expect(lines).toHaveLength(3)
      expect(lines[0]).toMatch(/^custom broken: not valid JSON/)
      expect(lines.some((l) => /figma.*my-figma|my-figma.*figma/.test(l) && l.includes('domain "figma.com"'))).toBe(true)
      expect(lines.some((l) => l.startsWith('odd: category:'))).toBe(true)
    })

    it('should list, show, map and add through the commands', async () => {
      t = await createTestStore(dialect)
      const added = await runCli(t.url, ['apps', 'add', '--key', 'acme-wiki', '--name', 'Acme Wiki', '--category', 'collaboration', '--domain', 'acme-wiki.io', '--domain', 'acmewiki.com'])
      expect(added.stdout).toBe('custom catalog entry acme-wiki created\n')
      const list = await runCli(t.url, ['catalog', 'list', '--category', 'collaboration', '--format', 'json'])
      const rows = list.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { key: string; source: string; domains: string })
      expect(rows.find((r) => r.key === 'acme-wiki')).toEqual({ key: 'acme-wiki', name: 'Acme Wiki', vendor: 'Acme Wiki', category: 'collaboration', source: 'custom', domains: 'acme-wiki.io acmewiki.com' })
      expect(rows.every((r) => r.key === 'acme-wiki' || r.source === 'shipped')).toBe(true)
      const shown = JSON.parse((await runCli(t.url, ['catalog', 'show', 'figma'])).stdout) as { key: string; source: string }
      expect(shown).toMatchObject({ key: 'figma', source: 'shipped' })

      const mapped = await runCli(t.url, ['apps', 'map', '--identifier', 'domain:https://docs.acme-wiki.io/x', '--app', 'acme-wiki', '--by', 'admin'])
      expect(mapped.stdout).toMatch(/^domain:docs\.acme-wiki\.io → acme-wiki \(new identifier\)\nre-pointed: 0 spend line/)
      const csv = await runCli(t.url, ['apps', 'list', '--format', 'csv'])
      expect(csv.stdout).toBe('key,name,category,status,owner,identifiers\nacme-wiki,Acme Wiki,collaboration,unknown,,1\n')
    })
  })
}

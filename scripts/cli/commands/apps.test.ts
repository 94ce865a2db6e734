import { afterEach, describe, expect, it } from 'vitest'
import { runCli as runTestCli } from '../testing/run-cli.js'
import type { Kysely } from 'kysely'
import type { Database } from '../../../data/database.js'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { registerApps } from './apps.js'
import { checkCatalog } from '../../../data/custom-catalog.js'
import { registerCatalog } from './catalog.js'

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
      const rows = JSON.parse(list.stdout) as { key: string; source: string; domains: string }[]
      expect(rows.find((r) => r.key === 'acme-wiki')).toEqual({ key: 'acme-wiki', name: 'Acme Wiki', vendor: 'Acme Wiki', category: 'collaboration', source: 'custom', domains: 'acme-wiki.io acmewiki.com' })
      expect(rows.every((r) => r.key === 'acme-wiki' || r.source === 'shipped')).toBe(true)
      const shown = JSON.parse((await runCli(t.url, ['catalog', 'show', 'figma'])).stdout) as { key: string; source: string }
      expect(shown).toMatchObject({ key: 'figma', source: 'shipped' })

      const mapped = await runCli(t.url, ['apps', 'map', '--identifier', 'domain:https://docs.acme-wiki.io/x', '--app', 'acme-wiki', '--by', 'admin'])
      expect(mapped.stdout).toMatch(/^domain:docs\.acme-wiki\.io → acme-wiki \(new identifier\)\nre-pointed: 0 spend line/)
      const csv = await runCli(t.url, ['apps', 'list', '--format', 'csv'])
      expect(csv.stdout).toBe('key,name,category,status,owner,identifiers,users,spend,last_used,sources\nacme-wiki,Acme Wiki,collaboration,unknown,,1,0,,,\n')
      const status = await runCli(t.url, ['apps', 'set-status', 'acme-wiki', 'sanctioned', '--owner', 'Wiki@Example.com', '--by', 'cli:ops'])
      expect(status.stdout).toBe('acme-wiki: sanctioned, owner wiki@example.com\n')
      const json = JSON.parse((await runCli(t.url, ['apps', 'list', '--format', 'json', '--status', 'sanctioned'])).stdout) as { key: string; owner: string }[]
      expect(json.map((a) => [a.key, a.owner])).toEqual([['acme-wiki', 'wiki@example.com']])
      const actions = await t.store.db.selectFrom('audit_events').select(['actor', 'action']).orderBy('seq').execute()
      expect(actions.map((a) => `${a.actor} ${a.action}`)).toEqual([expect.stringMatching(/^cli:\S+ catalog\.custom\.created$/), 'admin identifier.map', 'cli:ops app.status.set'])
    })
  })
}

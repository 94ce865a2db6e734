import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../../analyzer/resolve/index.js'
import { importSpendFile } from '../../../collectors/spend-csv/import-spend.js'
import { loadCatalog } from '../../../data/catalog/index.js'
import { inventoryKind, markDemoInventory, sqliteFileKind } from '../../../data/inventory-kind.js'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { runCli } from '../testing/run-cli.js'
import { registerDemo } from './demo.js'

const BREX = join(import.meta.dirname, '../../../collectors/spend-csv/fixtures/brex.csv')
const scratch = mkdtempSync(join(tmpdir(), 'demo-cli-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const resolver = createResolver({ entries: loadCatalog().entries })

for (const dialect of DIALECTS) {
  describe(`case 15: demo data only into an empty or demo inventory [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    it('should refuse to add the demo company to an inventory holding real data, before generating anything', async () => {
      t = await createTestStore(dialect)
      await importSpendFile(t.store, BREX, { resolver, rejectsDir: scratch })
      const out = join(scratch, `out-${dialect}`)
      await expect(runCli(t.url, ['demo', '--people', '40', '--days', '1', '--out', out], registerDemo)).rejects.toThrow(/holds real imported data; the demo company goes only into an empty inventory or a demo one/)
      expect(existsSync(out)).toBe(false)
      expect(await t.store.db.selectFrom('people').select('id').execute()).toEqual([])
      expect(await inventoryKind(t.store.db)).toBe('real')
    })

    it('should tell an empty inventory from a demo one, and record who marked it', async () => {
      t = await createTestStore(dialect)
      expect(await inventoryKind(t.store.db)).toBe('empty')
      await markDemoInventory(t.store.db, 'cli:tester')
      expect(await inventoryKind(t.store.db)).toBe('demo')
      const audit = await t.store.db.selectFrom('audit_events').select(['actor', 'action']).execute()
      expect(audit).toEqual([{ actor: 'cli:tester', action: 'inventory.mark-demo' }])
    })
  })
}

describe('case 15: demo --fresh refuses to replace a file that is not a demo inventory', () => {
  it('should leave a real inventory and a foreign file in place, and name why', async () => {
    const t = await createTestStore('sqlite')
    try {
      await importSpendFile(t.store, BREX, { resolver, rejectsDir: scratch })
      await expect(runCli(t.url, ['demo', '--fresh', '--people', '40', '--days', '1', '--out', join(scratch, 'x')], registerDemo)).rejects.toThrow(/is not a demo inventory \(it holds imported data\); it was left alone/)
      expect(await t.store.db.selectFrom('spend_transactions').select('id').execute()).toHaveLength(5)
    } finally {
      await t.dispose()
    }
    const foreign = join(scratch, 'thesis.db')
    writeFileSync(foreign, 'my thesis, not a database')
    expect(sqliteFileKind(foreign)).toBe('other')
    await expect(runCli(foreign, ['demo', '--fresh', '--people', '40', '--days', '1', '--out', join(scratch, 'y')], registerDemo)).rejects.toThrow(/is not a demo inventory \(it is not a Sightline inventory\)/)
    expect(readFileSync(foreign, 'utf8')).toBe('my thesis, not a database')
    expect(sqliteFileKind(join(scratch, 'none.db'))).toBe('absent')
  })
})

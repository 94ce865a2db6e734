import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { importGoogleActivities } from './import-google.js'
import { buildTenant, writeTenantExports } from './testing/tenant-fixture.js'

const resolver = createResolver({ entries: loadCatalog().entries })

async function grants(t: TestStore) {
  return t.store.db
    .selectFrom('grants')
    .select(['identity_external_id', 'client_id', 'scopes', 'risk', 'first_seen_at', 'revoked_at'])
    .orderBy('identity_external_id')
    .orderBy('client_id')
    .execute()
}

for (const dialect of DIALECTS) {
  describe(`importGoogleActivities, JSON lines streamed [${dialect}]`, () => {
    const stores: TestStore[] = []
    let dir = ''
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.dispose()
      rmSync(dir, { recursive: true, force: true })
    })

    it('should fold token history across the whole file like the whole-file import, and name a bad line', async () => {
      dir = mkdtempSync(join(tmpdir(), 'google-lines-'))
      const tenant = buildTenant(Date.parse('2026-11-27T12:00:00Z'))
      const paths = writeTenantExports(tenant, dir)
      // Oldest last, one activity per line, and a broken line in the middle: folding must still see every event.
      const events = [...tenant.activities.token].sort((a, b) => (b.id?.time ?? '').localeCompare(a.id?.time ?? ''))
      const lines = events.map((e) => JSON.stringify(e))
      lines.splice(2, 0, '{"id": ')
      const jsonl = join(dir, 'activity-token.jsonl')
      writeFileSync(jsonl, `${lines.join('\n')}\n`)

      const whole = await createTestStore(dialect)
      const streamed = await createTestStore(dialect)
      stores.push(whole, streamed)
      const fromWhole = await importGoogleActivities(whole.store, paths.token, { resolver })
      const fromLines = await importGoogleActivities(streamed.store, jsonl, { resolver })

      expect(fromLines).toMatchObject({ layout: 'google', read: events.length, rejected: 1, status: 'partial' })
      expect(fromLines.errors).toEqual([expect.stringMatching(/^activity-token\.jsonl: line 3: not valid JSON/)])
      expect(fromWhole).toMatchObject({ read: events.length, rejected: 0 })
      const expected = await grants(whole)
      expect(expected.length).toBeGreaterThan(0)
      expect(expected.some((g) => g.revoked_at !== null)).toBe(true)
      expect(await grants(streamed)).toEqual(expected)
    })
  })
}

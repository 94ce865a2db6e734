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

    it('should import login, SAML and token activities as SIEM pipelines re-emit them: events one object, numbers as strings, microsecond times', async () => {
      const t = await createTestStore(dialect)
      stores.push(t)
      const path = new URL('./fixtures/siem-activities.jsonl', import.meta.url).pathname
      const summary = await importGoogleActivities(t.store, path, { resolver })
      expect(summary).toMatchObject({ layout: 'google', read: 5, rejected: 1, status: 'partial' })
      expect(summary.errors).toEqual(['siem-activities.jsonl: line 5: field events: missing'])
      expect(summary.counts['signin.imported']).toBe(2)
      const signins = await t.store.db.selectFrom('signin_events').select(['user_email', 'app_ref', 'occurred_at', 'result']).orderBy('occurred_at').execute()
      expect(signins).toEqual([
        { user_email: 'ava.lin@northwind.example', app_ref: 'Google Workspace', occurred_at: '2026-11-03T15:02:11.312Z', result: 'success' },
        { user_email: 'ben.ode@northwind.example', app_ref: 'Salesforce', occurred_at: '2026-11-03T15:03:20.123Z', result: 'success' },
      ])
      expect(await grants(t)).toEqual([
        expect.objectContaining({ identity_external_id: '114889045213561234567', client_id: '1041831412594-example.apps.googleusercontent.com', first_seen_at: '2026-11-03T15:08:20.000Z', revoked_at: null }),
      ])
    })
  })
}

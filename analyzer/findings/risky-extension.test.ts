import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { analyzerConfig } from '../config.js'
import { riskyExtensions } from './risky-extension.js'

const AT = '2026-11-20T10:00:00.000Z'

for (const dialect of DIALECTS) {
  describe(`risky-extension [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    async function app(key: string, status: 'sanctioned' | 'unknown' | 'blocked') {
      const row = await t.store.db.insertInto('apps').values({ catalog_key: null, candidate_key: key, name: key, vendor: null, status, category: null, owner_email: null, notes: null, first_seen_at: AT, updated_at: AT }).returning('id').executeTakeFirstOrThrow()
      return row.id
    }
    async function ext(item: string, permissions: string[], opts: { device?: string; source?: string; appId?: number | null; name?: string; gone?: boolean; email?: string } = {}) {
      await t.store.db.insertInto('device_software').values({
        source: opts.source ?? 'osquery', device_id: opts.device ?? 'd1', user_key: opts.email ?? '', kind: 'chrome_extension', item_id: item, name: opts.name ?? item, version: '1', publisher: null,
        permissions: JSON.stringify(permissions), install_type: null, enabled: 1, person_id: null, user_email: opts.email ?? null, app_id: opts.appId ?? null,
        first_seen_at: AT, last_seen_at: AT, last_scan_run_id: null, gone_at: opts.gone ? AT : null,
      }).execute()
    }

    it('should flag broad or sensitive extensions of unsanctioned publishers, merged across devices and sources, with evidence', async () => {
      t = await createTestStore(dialect)
      const unknown = await app('pagehelper', 'unknown')
      const sanctioned = await app('passvault', 'sanctioned')
      const blocked = await app('couponhawk', 'blocked')
      await ext('a'.repeat(32), ['<all_urls>', 'storage'], { appId: unknown, device: 'd1', email: 'ada@x.example', name: 'Page Helper' })
      await ext('a'.repeat(32), ['cookies'], { appId: unknown, device: 'd2', source: 'browser-extension', email: 'grace@x.example' })
      await ext('a'.repeat(32), [], { appId: unknown, device: 'd3', source: 'google' })
      await ext('b'.repeat(32), ['<all_urls>', 'cookies', 'webRequest'], { appId: sanctioned })
      await ext('c'.repeat(32), ['storage', 'contextMenus'])
      await ext('d'.repeat(32), ['clipboardRead'], { appId: blocked })
      await ext('e'.repeat(32), ['*://*/*'], { gone: true })
      const found = await riskyExtensions.detect(t.store.db, analyzerConfig({ asOf: AT }))
      expect(found.map((f) => [f.subjectKey, f.severity])).toEqual([
        [`extension:chrome_extension:${'a'.repeat(32)}`, 'high'],
        [`extension:chrome_extension:${'d'.repeat(32)}`, 'critical'],
      ])
      expect(found[0]).toMatchObject({
        subjectType: 'app', subjectId: unknown,
        evidence: {
          extensionId: 'a'.repeat(32), name: 'Page Helper', broadHostPermissions: ['<all_urls>'], sensitivePermissions: ['cookies'],
          permissions: ['<all_urls>', 'cookies', 'storage'], devices: ['d1', 'd2', 'd3'], deviceCount: 3, users: ['ada@x.example', 'grace@x.example'],
          sources: ['browser-extension', 'google', 'osquery'], app: { key: 'candidate:pagehelper', status: 'unknown' },
        },
      })
    })
  })
}

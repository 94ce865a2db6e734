import { afterEach, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { attributeCardLines, decideAttribution } from './spend-attribution.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

const AT = '2026-11-28T10:00:00.000Z'

describe('decideAttribution', () => {
  it('should apply admin mapping > catalog match > umbrella attribution > candidate app', () => {
    const umbrella = new Map([[10, 11]])
    // an admin's word wins even over an umbrella target, and "not an app" stays not an app
    expect(decideAttribution({ confirmed: true, appId: 10, rule: 'override' }, umbrella)).toEqual({ appId: 10, rule: 'override' })
    expect(decideAttribution({ confirmed: true, appId: null, rule: 'override' }, umbrella)).toEqual({ appId: null, rule: 'override' })
    expect(decideAttribution({ confirmed: false, appId: 12, rule: 'merchant-pattern' }, umbrella)).toEqual({ appId: 12, rule: 'merchant-pattern' })
    expect(decideAttribution({ confirmed: false, appId: 10, rule: 'merchant-pattern' }, umbrella)).toEqual({ appId: 11, rule: 'umbrella-attribution' })
    expect(decideAttribution({ confirmed: false, appId: 10, rule: 'merchant-pattern' })).toEqual({ appId: 10, rule: 'merchant-pattern' })
    expect(decideAttribution({ confirmed: false, appId: 13, rule: 'unknown' }, umbrella)).toEqual({ appId: 13, rule: 'candidate-app' })
    expect(decideAttribution({ confirmed: false, appId: null, rule: 'unknown' }, umbrella)).toEqual({ appId: null, rule: 'unknown' })
  })
})

for (const dialect of DIALECTS) {
  describe(`attributeCardLines [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    async function app(db: Kysely<Database>, values: { catalog_key?: string; candidate_key?: string; name: string }): Promise<number> {
      return (await db.insertInto('apps').values({ ...values, status: 'unknown', first_seen_at: AT, updated_at: AT }).returning('id').executeTakeFirstOrThrow()).id
    }

    it('should record the app and rule of every line in one idempotent step, and touch only lines that change', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const atlassian = await app(db, { catalog_key: 'atlassian', name: 'Atlassian' })
      const jira = await app(db, { catalog_key: 'jira', name: 'Jira' })
      const zoom = await app(db, { catalog_key: 'zoom', name: 'Zoom' })
      const acme = await app(db, { candidate_key: 'acmetools', name: 'Acme Tools' })
      const ident = async (value: string, appId: number | null, rule: string, confirmed = 0) =>
        (await db.insertInto('identifiers').values({ kind: 'merchant', value, example_raw: value, app_id: appId, rule, confidence: 1, confirmed, first_seen_at: AT, last_seen_at: AT }).returning('id').executeTakeFirstOrThrow()).id
      const ids = {
        atlassian: await ident('ATLASSIAN', atlassian, 'merchant-pattern'),
        mappedAtlassian: await ident('ATLASSIAN PTY', atlassian, 'override', 1),
        zoom: await ident('ZOOM.US', zoom, 'merchant-pattern'),
        acme: await ident('ACME TOOLS', acme, 'unknown'),
        notAnApp: await ident('LUNCH', null, 'override', 1),
        nothing: await ident('MYSTERY', null, 'unknown'),
      }
      let n = 0
      const line = (identifierId: number | null, appId: number | null = null, rule: string | null = null) => ({
        fingerprint: `fp${++n}`, posted_on: '2026-10-01', amount_minor: 100, currency: 'USD', merchant_raw: `M${n}`, merchant_normalized: `M${n}`,
        app_id: appId, identifier_id: identifierId, rule, source_layout: 'brex', source_file: 'f.csv', source_line: n, scan_run_id: 1,
      })
      await db.insertInto('spend_transactions').values([
        line(ids.atlassian, atlassian, 'merchant-pattern'), line(ids.mappedAtlassian), line(ids.zoom), line(ids.acme),
        line(ids.notAnApp, zoom, 'merchant-pattern'), line(ids.nothing), line(null),
      ]).execute()

      const umbrellaTargets = new Map([[atlassian, jira]])
      // every line with an identifier changes (the first moves from the umbrella to its product); the last has none
      expect(await attributeCardLines(db, { umbrellaTargets })).toBe(6)
      expect(await attributeCardLines(db, { umbrellaTargets })).toBe(0)
      const rows = await db.selectFrom('spend_transactions').select(['source_line', 'app_id', 'rule']).orderBy('source_line').execute()
      expect(rows).toEqual([
        { source_line: 1, app_id: jira, rule: 'umbrella-attribution' },
        { source_line: 2, app_id: atlassian, rule: 'override' },
        { source_line: 3, app_id: zoom, rule: 'merchant-pattern' },
        { source_line: 4, app_id: acme, rule: 'candidate-app' },
        { source_line: 5, app_id: null, rule: 'override' },
        { source_line: 6, app_id: null, rule: 'unknown' },
        { source_line: 7, app_id: null, rule: null },
      ])
      // Without the umbrella target (Jira no longer in use) the charge goes back to Atlassian: the step decides from
      // the identifiers each time, it does not stack on what it did before.
      expect(await attributeCardLines(db, { identifierIds: [ids.atlassian] })).toBe(1)
      expect(await db.selectFrom('spend_transactions').select(['app_id', 'rule']).where('source_line', '=', 1).executeTakeFirstOrThrow()).toEqual({ app_id: atlassian, rule: 'merchant-pattern' })
    })
  })
}

import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../testing/test-store.js'
import { inventoryAsOf } from './inventory-as-of.js'
import { parseAsOf } from './inventory-export.js'
import { parsePeriod, readPeriodEvidence } from './period.js'
import { HOSTILE_APP, seedEvidenceStore } from './testing/seed.js'

describe('periods and instants', () => {
  it('should turn quarters, months and years into half-open UTC ranges', () => {
    expect(parsePeriod('2026-q3')).toEqual({ label: '2026-Q3', from: '2026-07-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z', asOf: '2026-09-30T23:59:59.999Z' })
    expect(parsePeriod('2026-12')).toMatchObject({ from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })
    expect(parsePeriod('2026')).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })
    expect(() => parsePeriod('2026-Q5')).toThrow(/expected a quarter/)
    expect(() => parsePeriod('2026-13')).toThrow(/expected a quarter/)
    expect(parseAsOf('2026-09-30')).toBe('2026-09-30T23:59:59.999Z')
    expect(() => parseAsOf('2026-02-30')).toThrow(/not a calendar date/)
    expect(() => parseAsOf('soon')).toThrow(/--as-of soon/)
  })
})

for (const dialect of DIALECTS) {
  describe(`inventory as of a date [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => t?.dispose())

    it('should rebuild apps, access and open findings as they stood at quarter end', async () => {
      t = await createTestStore(dialect)
      const seed = await seedEvidenceStore(t.store.db)
      const inv = await inventoryAsOf(t.store.db, '2026-09-30T23:59:59.999Z')
      expect(inv.apps.map((a) => [a.name, a.status, a.status_source, a.people_with_access])).toEqual([
        [HOSTILE_APP, 'unsanctioned', 'audit', 1],
        ['Slack', 'sanctioned', 'current', 2],
      ])
      expect(inv.access.map((r) => [r.person_email, r.app, r.via, r.person_status, r.last_signin_at])).toEqual([
        ['ada@acme.example', 'Slack', 'okta signins', 'active', '2026-09-29T17:00:00.000Z'],
        ['bob@acme.example', HOSTILE_APP, 'oauth:Hostile Client', 'active', null],
        ['lee@acme.example', 'Slack', 'okta', 'terminated', null],
      ])
      expect(inv.findings.map((f) => [f.kind, f.status, f.status_source])).toEqual([
        ['orphaned-access', 'open', 'current'],
        ['risky-grant', 'open', 'current'],
        ['outlier-access', 'open', 'audit'],
      ])
      expect(inv.sources).toEqual([
        expect.objectContaining({ collector: 'okta', source_key: 'acme.okta.com', completed_runs: 2, identities: 3, accounts: 2, grants: 1, run_finished_at: '2026-09-20T08:05:00.000Z' }),
      ])
      // a month later: Figma arrived, the grant was revoked, the hostile app went back to unknown
      const later = await inventoryAsOf(t.store.db, '2026-10-31T23:59:59.999Z')
      expect(later.apps.map((a) => [a.name, a.status])).toContainEqual(['Figma', 'sanctioned'])
      expect(later.apps.find((a) => a.app_id === seed.apps.hostile)?.status).toBe('unknown')
      expect(later.access.some((r) => r.via.startsWith('oauth:'))).toBe(false)
      expect(later.findings.map((f) => [f.kind, f.status])).toEqual([['orphaned-access', 'open'], ['outlier-access', 'acknowledged']])
    })

    it('should list leavers with what they still held, the runs of the period and its audit segment', async () => {
      t = await createTestStore(dialect)
      await seedEvidenceStore(t.store.db)
      const e = await readPeriodEvidence(t.store.db, parsePeriod('2026-Q3'))
      expect(e.leavers).toEqual([{ person_email: 'lee@acme.example', person_name: 'Lee Leaver', department: 'Engineering', end_date: '2026-08-15', apps_still_held: 1 }])
      expect(e.leaverHoldings.map((h) => [h.person_email, h.app])).toEqual([['lee@acme.example', 'Slack']])
      expect(e.runs.map((r) => r.status)).toEqual(['completed', 'completed', 'failed'])
      expect(e.segment).toMatchObject({ fromSeq: 2, throughSeq: 3, anchorSeq: 1 })
      expect(e.actions).toEqual([{ action: 'app.status.set', events: 1 }, { action: 'scan.okta', events: 1 }])
    })
  })
}

import { afterEach, describe, expect, it } from 'vitest'
import { appPurchaseRunRates, monthsCovered, runRate, statementCoverage } from './run-rate.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

const AT = '2026-11-28T12:00:00.000Z'

/** Card lines as statements hold them: [layout, statement (run id), date, amount, app]. */
type Line = [layout: string, run: number, date: string, amountMinor: number, app: 'google' | 'zoom' | null]

async function seed(t: TestStore, lines: readonly Line[]): Promise<{ google: number; zoom: number }> {
  const apps = await t.store.db
    .insertInto('apps')
    .values([
      { catalog_key: 'google-workspace', name: 'Google Workspace', status: 'sanctioned', first_seen_at: AT, updated_at: AT },
      { catalog_key: 'zoom', name: 'Zoom', status: 'sanctioned', first_seen_at: AT, updated_at: AT },
    ])
    .returning(['id', 'catalog_key'])
    .execute()
  const ids = { google: apps.find((a) => a.catalog_key === 'google-workspace')!.id, zoom: apps.find((a) => a.catalog_key === 'zoom')!.id }
  await t.store.db
    .insertInto('spend_transactions')
    .values(lines.map(([layout, run, date, amount, app], i) => ({
      fingerprint: `fp-${i}`, posted_on: date, amount_minor: amount, currency: 'USD', merchant_raw: `M${i}`, merchant_normalized: `M${i}`,
      app_id: app ? ids[app] : null, source_layout: layout, source_file: `${layout}-${run}.csv`, source_line: i + 2, scan_run_id: run,
    })))
    .execute()
  return ids
}

const monthly = (date: string) => [`2026-09-${date}`, `2026-10-${date}`, `2026-11-${date}`]
const ALL = { from: '2026-01-01', to: '2026-12-31' }

describe('runRate', () => {
  it('should add each statement period its share over the months it covers', () => {
    const coverage = new Map([
      ['chase', { layout: 'chase', first: '2026-09-01', last: '2026-11-27', days: 88, months: 3, statements: 1 }],
      ['amex', { layout: 'amex', first: '2026-08-05', last: '2026-11-14', days: 102, months: 3, statements: 1 }],
    ])
    expect(runRate([{ layout: 'chase', totalMinor: 120_960 }], coverage)).toEqual({ monthlyMinor: 40_320, annualMinor: 483_840 })
    expect(runRate([{ layout: 'chase', totalMinor: 19_788 }, { layout: 'amex', totalMinor: 44_970 }], coverage)).toEqual({ monthlyMinor: 21_586, annualMinor: 259_032 })
    // A refund nets against the charges of its statement; a layout with no period counts as one month.
    expect(runRate([{ layout: 'brex', totalMinor: -4_500 }], coverage)).toEqual({ monthlyMinor: -4_500, annualMinor: -54_000 })
  })

  it('should count whole months, at least one', () => {
    expect([1, 23, 45, 46, 61, 88, 92, 116, 365].map(monthsCovered)).toEqual([1, 1, 1, 2, 2, 3, 3, 4, 12])
  })
})

for (const dialect of DIALECTS) {
  describe(`run-rate per statement [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should read an app billed only on a statement covering 1 Sep–27 Nov at what it is charged, whatever other statements cover', async () => {
      t = await createTestStore(dialect)
      const { google } = await seed(t, [
        ...monthly('01').map((d): Line => ['chase', 1, d, 40_320, 'google']),
        ['chase', 1, '2026-11-27', 8_412, null],
        // Another card program's statement starts in early August: it must not stretch Google's period.
        ['amex', 2, '2026-08-05', 9_600, null],
        ['amex', 2, '2026-11-14', 9_600, null],
      ])
      const coverage = await statementCoverage(t.store.db, ALL)
      expect(coverage.get('chase')).toEqual({ layout: 'chase', first: '2026-09-01', last: '2026-11-27', days: 88, months: 3, statements: 1 })
      expect(coverage.get('amex')).toEqual({ layout: 'amex', first: '2026-08-05', last: '2026-11-14', days: 102, months: 3, statements: 1 })
      const rates = await appPurchaseRunRates(t.store.db, ALL)
      expect(rates.get(`${google}|USD`)).toMatchObject({ monthlyMinor: 40_320, annualMinor: 483_840, periods: [coverage.get('chase')] })
    })

    it('should join monthly statements of one card program into one period instead of adding them up', async () => {
      t = await createTestStore(dialect)
      const { google } = await seed(t, [
        ['chase', 1, '2026-09-01', 40_320, 'google'], ['chase', 1, '2026-09-28', 1_000, null],
        ['chase', 2, '2026-10-01', 40_320, 'google'], ['chase', 2, '2026-10-29', 1_000, null],
        ['chase', 3, '2026-11-01', 40_320, 'google'], ['chase', 3, '2026-11-27', 1_000, null],
      ])
      // 28 + 29 + 27 days with a card line's statement: 84 days, three months.
      expect((await statementCoverage(t.store.db, ALL)).get('chase')).toEqual({ layout: 'chase', first: '2026-09-01', last: '2026-11-27', days: 84, months: 3, statements: 3 })
      expect((await appPurchaseRunRates(t.store.db, ALL)).get(`${google}|USD`)?.monthlyMinor).toBe(40_320)
    })

    it('should count the days of overlapping statements of one program once', async () => {
      t = await createTestStore(dialect)
      await seed(t, [
        ['chase', 1, '2026-09-01', 100, null], ['chase', 1, '2026-10-31', 100, null],
        // A later download overlapping the first: only its new lines were stored, from 15 Oct.
        ['chase', 2, '2026-10-15', 100, null], ['chase', 2, '2026-11-27', 100, null],
      ])
      expect((await statementCoverage(t.store.db, ALL)).get('chase')).toMatchObject({ first: '2026-09-01', last: '2026-11-27', days: 88, months: 3, statements: 2 })
    })

    it('should add the shares of an app paid through two card programs', async () => {
      t = await createTestStore(dialect)
      const { zoom } = await seed(t, [
        ...monthly('01').map((d): Line => ['chase', 1, d, 6_596, 'zoom']),
        ['chase', 1, '2026-11-27', 8_412, null],
        ['amex', 2, '2026-09-10', 1_000, null],
        ...monthly('15').map((d): Line => ['amex', 2, d, 14_990, 'zoom']),
        ['amex', 2, '2026-11-30', 1_000, null],
        // A refund is left out of a purchase run-rate.
        ['amex', 2, '2026-10-20', -14_990, 'zoom'],
      ])
      const rates = await appPurchaseRunRates(t.store.db, ALL)
      // Chase: 197.88 over 3 months; Amex 09-10..11-30 (82 days, 3 months): 449.70 over 3 months.
      expect(rates.get(`${zoom}|USD`)?.monthlyMinor).toBe(6_596 + 14_990)
      expect(rates.get(`${zoom}|USD`)?.periods.map((p) => p.layout)).toEqual(['amex', 'chase'])
    })

    it('should measure only the lines inside the bounds', async () => {
      t = await createTestStore(dialect)
      const { google } = await seed(t, [
        ['chase', 1, '2026-03-01', 40_320, 'google'],
        ...monthly('01').map((d): Line => ['chase', 1, d, 40_320, 'google']),
        ['chase', 1, '2026-11-27', 8_412, null],
        ['chase', 1, '2026-12-15', 8_412, null],
      ])
      const bounds = { from: '2026-09-01', to: '2026-11-30' }
      expect((await statementCoverage(t.store.db, bounds)).get('chase')).toMatchObject({ first: '2026-09-01', last: '2026-11-27', days: 88, months: 3 })
      expect((await appPurchaseRunRates(t.store.db, bounds)).get(`${google}|USD`)?.monthlyMinor).toBe(40_320)
      expect(await statementCoverage(t.store.db, { from: '2027-01-01', to: '2027-12-31' })).toEqual(new Map())
    })
  })
}

import { afterEach, describe, expect, it } from 'vitest'
import { InvalidInputError } from './errors.js'
import { summarizeSpend } from './spend-report.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

const AT = '2026-11-28T12:00:00.000Z'

async function seed(t: TestStore): Promise<{ notion: number; zoom: number }> {
  const db = t.store.db
  const apps = await db
    .insertInto('apps')
    .values([
      { catalog_key: 'notion', name: 'Notion', status: 'sanctioned', first_seen_at: AT, updated_at: AT },
      { catalog_key: 'zoom', name: 'Zoom', status: 'sanctioned', first_seen_at: AT, updated_at: AT },
    ])
    .returning(['id', 'name'])
    .execute()
  const notion = apps.find((a) => a.name === 'Notion')!.id
  const zoom = apps.find((a) => a.name === 'Zoom')!.id
  let line = 1
  const row = (posted_on: string, amount_minor: number, app_id: number | null, extra: { currency?: string; department?: string; cardholder?: string; category?: string } = {}) => ({
    fingerprint: `fp-${line}`,
    posted_on,
    amount_minor,
    currency: extra.currency ?? 'USD',
    merchant_raw: `M${line}`,
    merchant_normalized: `M${line}`,
    cardholder: extra.cardholder ?? null,
    department: extra.department ?? null,
    category: extra.category ?? null,
    app_id,
    source_layout: 'brex',
    source_file: 'test.csv',
    source_line: ++line,
    scan_run_id: 1,
  })
  await db
    .insertInto('spend_transactions')
    .values([
      row('2026-01-05', 10000, notion, { department: 'Engineering', cardholder: 'Dana', category: 'Software' }),
      row('2026-01-20', -2000, notion, { department: 'Engineering', cardholder: 'Dana', category: 'Software' }),
      row('2026-03-05', 10000, notion, { department: 'Sales', cardholder: 'Priya', category: 'Software' }),
      row('2026-02-11', 5000, notion, { currency: 'EUR', department: 'Sales', cardholder: 'Priya' }),
      row('2026-02-01', 14990, zoom, { department: 'Sales', cardholder: 'Priya', category: 'Software' }),
      row('2026-02-02', 450, null, { department: 'Engineering', cardholder: 'Dana', category: 'Meals' }),
      row('2026-04-30', 550, null, { category: 'Meals' }),
    ])
    .execute()
  return { notion, zoom }
}

for (const dialect of DIALECTS) {
  describe(`summarizeSpend [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should total per app and currency with the run-rate over the months the statement covers', async () => {
      t = await createTestStore(dialect)
      const { notion, zoom } = await seed(t)
      const rows = await summarizeSpend(t.store.db, { by: 'app' })
      // The one statement covers 2026-01-05..04-30: 116 days, 4 months for every row. Notion USD: 180.00 / 4 = 45.00 a month.
      expect(rows.map((r) => [r.group, r.appId, r.currency, r.totalMinor, r.transactions, r.months, r.monthlyRunRateMinor, r.annualRunRateMinor, r.firstDate, r.lastDate])).toEqual([
        ['Notion', notion, 'EUR', 5000, 1, 1, 1250, 15000, '2026-02-11', '2026-02-11'],
        ['Notion', notion, 'USD', 18000, 3, 2, 4500, 54000, '2026-01-05', '2026-03-05'],
        ['Zoom', zoom, 'USD', 14990, 1, 1, 3748, 44976, '2026-02-01', '2026-02-01'],
        ['(unresolved)', null, 'USD', 1000, 2, 2, 250, 3000, '2026-02-02', '2026-04-30'],
      ])
      for (const r of rows) expect(r.coverage).toEqual([{ layout: 'brex', first: '2026-01-05', last: '2026-04-30', days: 116, months: 4, statements: 1 }])
    })

    it('should count the covered days inside a date range, and at least one billing cycle', async () => {
      t = await createTestStore(dialect)
      await seed(t)
      // 2026-01-20..2026-02-28 holds lines from 01-20 to 02-11: 23 days, so one month counts.
      const rows = await summarizeSpend(t.store.db, { by: 'app', from: '2026-01-20', to: '2026-02-28' })
      expect(rows.map((r) => [r.group, r.currency, r.coverage.map((p) => [p.days, p.months]), r.monthlyRunRateMinor])).toEqual([
        ['Notion', 'EUR', [[23, 1]], 5000],
        ['Zoom', 'USD', [[23, 1]], 14990],
        ['(unresolved)', 'USD', [[23, 1]], 450],
        ['Notion', 'USD', [[23, 1]], -2000],
      ])
    })

    it('should keep only the transactions inside an inclusive date range', async () => {
      t = await createTestStore(dialect)
      await seed(t)
      const rows = await summarizeSpend(t.store.db, { by: 'app', from: '2026-01-20', to: '2026-02-28' })
      expect(rows.map((r) => [r.group, r.currency, r.totalMinor, r.transactions, r.months])).toEqual([
        ['Notion', 'EUR', 5000, 1, 1],
        ['Zoom', 'USD', 14990, 1, 1],
        ['(unresolved)', 'USD', 450, 1, 1],
        ['Notion', 'USD', -2000, 1, 1],
      ])
    })

    it('should group by department, cardholder and category with a (none) group', async () => {
      t = await createTestStore(dialect)
      await seed(t)
      const brief = (rows: Awaited<ReturnType<typeof summarizeSpend>>) => rows.map((r) => [r.group, r.currency, r.totalMinor, r.transactions])
      expect(brief(await summarizeSpend(t.store.db, { by: 'department' }))).toEqual([
        ['Sales', 'EUR', 5000, 1],
        ['Sales', 'USD', 24990, 2],
        ['Engineering', 'USD', 8450, 3],
        ['(none)', 'USD', 550, 1],
      ])
      expect(brief(await summarizeSpend(t.store.db, { by: 'cardholder' }))).toEqual([
        ['Priya', 'EUR', 5000, 1],
        ['Priya', 'USD', 24990, 2],
        ['Dana', 'USD', 8450, 3],
        ['(none)', 'USD', 550, 1],
      ])
      expect(brief(await summarizeSpend(t.store.db, { by: 'category' }))).toEqual([
        ['(none)', 'EUR', 5000, 1],
        ['Software', 'USD', 32990, 4],
        ['Meals', 'USD', 1000, 2],
      ])
    })

    it('should refuse a malformed date bound', async () => {
      t = await createTestStore(dialect)
      const error = await summarizeSpend(t.store.db, { from: '01/02/2026' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidInputError)
      expect((error as Error).message).toBe('spend report: date range: 01/02/2026 is not YYYY-MM-DD')
    })
  })
}

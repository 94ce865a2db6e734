import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { CollectorError } from '../sdk/errors.js'
import { importSpendFile, type SpendImportOptions } from './import-spend.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const scratch = mkdtempSync(join(tmpdir(), 'spend-import-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const resolver = createResolver({ entries: loadCatalog().entries })
const options: SpendImportOptions = { resolver, rejectsDir: scratch, now: () => new Date('2026-11-28T12:00:00.000Z') }

const BREX_HEADER =
  'Swipe Date (UTC),Posted Date,Type,Amount,Outstanding Balance,User,Department,Location,Transaction Source,Statement Descriptor,Merchant Name,Brex Category,Integration Category,Last 4,Memo,Id'
function brexLine(day: number, amount: string, descriptor: string): string {
  const date = `2026-10-${String(day).padStart(2, '0')}`
  return `${date},${date},Transaction,${amount},0.00,Dana Whitfield,Engineering,SF,Card,${descriptor},,Software,,4417,,id_${day}_${descriptor.length}`
}
function writeFile(name: string, lines: readonly string[]): string {
  const path = join(scratch, name)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

for (const dialect of DIALECTS) {
  describe(`importSpendFile [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    const spendRows = () =>
      t.store.db
        .selectFrom('spend_transactions')
        .select(['source_line', 'posted_on', 'amount_minor', 'currency', 'merchant_raw', 'app_id', 'identifier_id', 'rule', 'person_id', 'source_layout', 'source_file'])
        .orderBy('source_file')
        .orderBy('source_line')
        .execute()

    it('should store every amount to the cent with the file, line and layout', async () => {
      t = await createTestStore(dialect)
      const brex = await importSpendFile(t.store, join(FIXTURES, 'brex.csv'), options)
      const ramp = await importSpendFile(t.store, join(FIXTURES, 'ramp.csv'), options)
      // Six data rows: five purchases and the card payment, read and skipped as a payment.
      expect(brex).toMatchObject({ layout: 'brex', read: 6, imported: 5, duplicates: 0, rejected: 0, skipped: 1, skippedBy: { payment: 1 }, status: 'completed', errors: [] })
      expect(ramp).toMatchObject({ layout: 'ramp', read: 4, imported: 4 })
      const rows = await spendRows()
      expect(rows.map((r) => [r.source_file, r.source_line, r.posted_on, r.amount_minor, r.currency, r.source_layout])).toEqual([
        ['brex.csv', 2, '2026-10-01', 12000, 'USD', 'brex'],
        ['brex.csv', 3, '2026-10-03', 149990, 'USD', 'brex'],
        ['brex.csv', 4, '2026-10-03', 149990, 'USD', 'brex'],
        ['brex.csv', 5, '2026-10-05', -4500, 'USD', 'brex'],
        ['brex.csv', 7, '2026-10-08', 2900, 'USD', 'brex'],
        ['ramp.csv', 2, '2026-10-02', 8750, 'USD', 'ramp'],
        ['ramp.csv', 3, '2026-10-02', 80000, 'USD', 'ramp'],
        ['ramp.csv', 4, '2026-10-04', 123456, 'EUR', 'ramp'],
        ['ramp.csv', 5, '2026-10-09', -1225, 'USD', 'ramp'],
      ])
      const run = await t.store.db.selectFrom('scan_runs').select(['collector', 'status', 'file_sha256']).where('id', '=', brex.runId).executeTakeFirstOrThrow()
      expect(run).toMatchObject({ collector: 'spend', status: 'completed' })
      expect(run.file_sha256).toBe(createHash('sha256').update(readFileSync(join(FIXTURES, 'brex.csv'))).digest('hex'))
    })

    it('should import nothing the second time the same file is imported', async () => {
      t = await createTestStore(dialect)
      await importSpendFile(t.store, join(FIXTURES, 'brex.csv'), options)
      const again = await importSpendFile(t.store, join(FIXTURES, 'brex.csv'), options)
      expect(again).toMatchObject({ read: 6, imported: 0, duplicates: 5, skipped: 1, status: 'completed' })
      expect(await spendRows()).toHaveLength(5)
    })

    it('should not double-count the days two overlapping statements share', async () => {
      t = await createTestStore(dialect)
      const september = writeFile('overlap-a.csv', [BREX_HEADER, brexLine(1, '10.00', 'SLACK T01ABC'), brexLine(2, '20.00', 'FIGMA'), brexLine(2, '20.00', 'FIGMA'), brexLine(3, '30.00', 'LOOM INC')])
      const october = writeFile('overlap-b.csv', [BREX_HEADER, brexLine(2, '20.00', 'FIGMA'), brexLine(2, '20.00', 'FIGMA'), brexLine(3, '30.00', 'LOOM INC'), brexLine(4, '40.00', 'MIRO.COM')])
      expect(await importSpendFile(t.store, september, options)).toMatchObject({ imported: 4, duplicates: 0 })
      expect(await importSpendFile(t.store, october, options)).toMatchObject({ imported: 1, duplicates: 3 })
      const total = await t.store.db.selectFrom('spend_transactions').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_minor').as('sum')]).executeTakeFirstOrThrow()
      expect([Number(total.n), Number(total.sum)]).toEqual([5, 12000])
    })

    it('should carry every value intact from the reader thread, on pages of many rows, empty fields and odd characters too', async () => {
      t = await createTestStore(dialect)
      // 1,200 rows cross several pages; one memo holds the character pages use between fields, one is empty.
      const lines = [BREX_HEADER]
      for (let i = 1; i <= 1200; i++) {
        const memo = i === 700 ? 'split\uE000here, "quoted"' : i % 2 === 0 ? '' : `memo ${i} é 漢`
        lines.push(`2026-10-01,2026-10-01,Transaction,${i}.25,0.00,Dana Whitfield,Engineering,SF,Card,FIGMA,,Software,,4417,"${memo.replace(/"/g, '""')}",id_${i}`)
      }
      const summary = await importSpendFile(t.store, writeFile('many.csv', lines), options)
      expect(summary).toMatchObject({ read: 1200, imported: 1200, rejected: 0 })
      const rows = await t.store.db.selectFrom('spend_transactions').select(['source_line', 'amount_minor', 'memo', 'external_id', 'cardholder', 'card_last4']).orderBy('source_line').execute()
      expect(rows).toHaveLength(1200)
      expect(rows[0]).toEqual({ source_line: 2, amount_minor: 125, memo: 'memo 1 é 漢', external_id: 'id_1', cardholder: 'Dana Whitfield', card_last4: '4417' })
      expect(rows[1]).toMatchObject({ source_line: 3, amount_minor: 225, memo: null })
      expect(rows[699]).toMatchObject({ source_line: 701, amount_minor: 70025, memo: 'split\uE000here, "quoted"', external_id: 'id_700' })
      expect(rows[1199]).toMatchObject({ source_line: 1201, amount_minor: 120025, external_id: 'id_1200' })
    })

    it('should import nothing from a file whose rejected share exceeds the threshold and record the run failed', async () => {
      t = await createTestStore(dialect)
      const error = await importSpendFile(t.store, join(FIXTURES, 'bad-rows.csv'), options).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CollectorError)
      expect((error as Error).message).toMatch(/bad-rows\.csv: 4 of 7 rows rejected \(57\.1%\), more than the reject threshold of 5\.0%; nothing was imported/)
      expect(await spendRows()).toEqual([])
      expect(await t.store.db.selectFrom('identifiers').select('id').execute()).toEqual([])
      const run = await t.store.db.selectFrom('scan_runs').select(['status', 'error']).executeTakeFirstOrThrow()
      expect(run.status).toBe('failed')
      expect(run.error).toContain('reject threshold')
    })

    it('should import the good rows of a file with a few bad ones and report each bad one by line', async () => {
      t = await createTestStore(dialect)
      const summary = await importSpendFile(t.store, join(FIXTURES, 'bad-rows.csv'), { ...options, rejectThreshold: 0.6 })
      expect(summary).toMatchObject({ layout: 'chase', read: 7, imported: 3, rejected: 4, status: 'partial' })
      expect(summary.errors).toEqual([
        'bad-rows.csv: line 3: field date: not a MM/DD/YYYY date',
        'bad-rows.csv: line 4: field amount: no digits',
        'bad-rows.csv: line 5: field merchant: missing merchant',
        'bad-rows.csv: line 8: field amount: no digits',
      ])
      expect((await spendRows()).map((r) => [r.source_line, r.merchant_raw, r.amount_minor])).toEqual([
        [2, 'LOOM INC', 1500],
        [6, 'GRAMMARLY\nINC', 1200],
        [9, 'RETOOL', 100],
      ])
      expect(summary.rejectsReport).toBe(join(scratch, 'bad-rows.csv.rejects.csv'))
      const report = readFileSync(summary.rejectsReport!, 'utf8').trim().split('\n')
      expect(report[0]).toBe('file,line,field,reason,raw')
      expect(report.slice(1).map((l) => l.split(',').slice(1, 3).join(','))).toEqual(['3,date', '4,amount', '5,merchant', '8,amount'])
    })

    it('should resolve merchant descriptors to apps and keep the identifier and rule, unresolved ones too', async () => {
      t = await createTestStore(dialect)
      const path = writeFile('resolve.csv', [BREX_HEADER, brexLine(1, '120.00', 'SQ *NOTION LABS INC 415-5551234 CA'), brexLine(2, '4.50', 'BLUE SPRUCE BAKERY 42'), brexLine(3, '120.00', 'SQ *NOTION LABS INC 415-5551234 CA')])
      await importSpendFile(t.store, path, options)
      const rows = await t.store.db
        .selectFrom('spend_transactions')
        .leftJoin('apps', 'apps.id', 'spend_transactions.app_id')
        .innerJoin('identifiers', 'identifiers.id', 'spend_transactions.identifier_id')
        .select(['spend_transactions.merchant_raw', 'spend_transactions.rule', 'apps.catalog_key', 'identifiers.value', 'identifiers.seen_count'])
        .orderBy('spend_transactions.source_line')
        .execute()
      expect(rows).toEqual([
        { merchant_raw: 'SQ *NOTION LABS INC 415-5551234 CA', rule: 'merchant-pattern', catalog_key: 'notion', value: 'NOTION LABS', seen_count: 2 },
        { merchant_raw: 'BLUE SPRUCE BAKERY 42', rule: 'unknown', catalog_key: null, value: expect.any(String), seen_count: 1 },
        { merchant_raw: 'SQ *NOTION LABS INC 415-5551234 CA', rule: 'merchant-pattern', catalog_key: 'notion', value: 'NOTION LABS', seen_count: 2 },
      ])
    })

    it('should link cardholders to people by email, else by name case-insensitively', async () => {
      t = await createTestStore(dialect)
      const at = '2026-11-28T12:00:00.000Z'
      const people = await t.store.db
        .insertInto('people')
        .values([
          { email: 'dana.whitfield@northwind.example', name: 'Dana Whitfield', status: 'active', created_at: at, updated_at: at },
          { email: 'priya.raman@northwind.example', name: 'Priya Raman', status: 'active', created_at: at, updated_at: at },
        ])
        .returning(['id', 'email'])
        .execute()
      const id = (email: string) => people.find((p) => p.email === email)!.id
      await importSpendFile(t.store, join(FIXTURES, 'ramp.csv'), options)
      await importSpendFile(t.store, join(FIXTURES, 'amex.csv'), options)
      const rows = await t.store.db.selectFrom('spend_transactions').select(['source_file', 'source_line', 'cardholder_email', 'person_id']).orderBy('source_file').orderBy('source_line').execute()
      expect(rows.map((r) => [r.source_file, r.source_line, r.cardholder_email, r.person_id])).toEqual([
        ['amex.csv', 2, null, id('priya.raman@northwind.example')],
        ['amex.csv', 3, null, id('dana.whitfield@northwind.example')],
        ['amex.csv', 4, null, id('dana.whitfield@northwind.example')],
        ['amex.csv', 6, null, id('priya.raman@northwind.example')],
        ['ramp.csv', 2, 'dana.whitfield@northwind.example', id('dana.whitfield@northwind.example')],
        ['ramp.csv', 3, 'priya.raman@northwind.example', id('priya.raman@northwind.example')],
        ['ramp.csv', 4, 'lena.vogel@northwind.example', null],
        ['ramp.csv', 5, 'dana.whitfield@northwind.example', id('dana.whitfield@northwind.example')],
      ])
    })

    it('should refuse a file of unknown layout, naming the headers found, and import nothing', async () => {
      t = await createTestStore(dialect)
      const error = await importSpendFile(t.store, join(FIXTURES, 'unknown-layout.csv'), options).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CollectorError)
      expect((error as Error).message).toMatch(/no known layout matches the header row; headers found: .*known layouts: brex/)
      expect((error as Error).message).toContain('--mapping')
      expect(await spendRows()).toEqual([])
      const run = await t.store.db.selectFrom('scan_runs').select(['status']).executeTakeFirstOrThrow()
      expect(run.status).toBe('failed')
      expect(existsSync(join(scratch, 'unknown-layout.csv.rejects.csv'))).toBe(false)
    })
  })
}

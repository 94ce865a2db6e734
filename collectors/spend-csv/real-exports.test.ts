// The commonest bank, card, Plaid and PayPal exports, written from the vendors' documentation: each imports with
// no mapping, its counts reconcile (read = imported + duplicates + rejected + skipped), or it is refused in one line.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { inferLayout } from './detect-layout.js'
import { importSpendFile, type SpendImportOptions, type SpendImportSummary } from './import-spend.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const scratch = mkdtempSync(join(tmpdir(), 'spend-real-exports-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const options: SpendImportOptions = { resolver: createResolver({ entries: loadCatalog().entries }), rejectsDir: scratch }

function reconciles(s: SpendImportSummary): void {
  expect(s.read).toBe(s.imported + s.duplicates + s.rejected + s.skipped)
}

describe('inferLayout', () => {
  it('should name date, description and amount columns in several languages', () => {
    expect(inferLayout(['Date', 'Description', 'Amount'])).toMatchObject({ columns: { date: 'Date', merchant: 'Description', amount: 'Amount' } })
    expect(inferLayout(['Buchungstag', 'Verwendungszweck', 'Betrag (EUR)'])).toMatchObject({ columns: { date: 'Buchungstag', merchant: 'Verwendungszweck', amount: 'Betrag (EUR)' }, layout: { defaultCurrency: 'EUR' } })
    expect(inferLayout(['Date opération', 'Libellé', 'Débit', 'Crédit', 'Devise'])).toMatchObject({ columns: { date: 'Date opération', merchant: 'Libellé', debit: 'Débit', credit: 'Crédit', currency: 'Devise' } })
    expect(inferLayout(['Fecha', 'Concepto', 'Importe', 'Titular'])).toMatchObject({ columns: { date: 'Fecha', merchant: 'Concepto', amount: 'Importe', cardholder: 'Titular' } })
  })

  it('should refuse a header where two columns could be the amount', () => {
    expect(inferLayout(['Date', 'Description', 'Amount', 'Amount (EUR)'])).toEqual({ refusal: expect.stringMatching(/^columns "Amount" and "Amount \(EUR\)" could each be the amount; name it with --mapping/) })
    expect(inferLayout(['Date', 'Description', 'Amount', 'Debit', 'Credit'])).toEqual({ refusal: expect.stringMatching(/could each be the amount/) })
  })

  it('should not take a summary block or a data row for a header', () => {
    expect(inferLayout(['Description', '', 'Summary Amt.'])).toBeNull()
    expect(inferLayout(['10/02/2026', 'SQ *NOTION LABS INC', '96.00', 'USD'])).toBeNull()
  })
})

for (const dialect of DIALECTS) {
  describe(`real spend exports [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())
    const amounts = () => t.store.db.selectFrom('spend_transactions').select(['posted_on', 'merchant_raw', 'amount_minor', 'currency']).orderBy('posted_on').orderBy('merchant_raw').execute()

    it('should count every data row of a Chase file: the card payment is read and skipped as a payment', async () => {
      t = await createTestStore(dialect)
      const s = await importSpendFile(t.store, join(FIXTURES, 'chase.csv'), options)
      expect(s).toMatchObject({ layout: 'chase', read: 5, imported: 4, skipped: 1, skippedBy: { payment: 1 } })
      reconciles(s)
    })

    it('should import a plain Date,Description,Amount bank export through the inferred layout, money out negative', async () => {
      t = await createTestStore(dialect)
      const s = await importSpendFile(t.store, join(FIXTURES, 'bank-plain.csv'), options)
      expect(s).toMatchObject({ layout: 'inferred', read: 4, imported: 4, columns: { date: 'Date', merchant: 'Description', amount: 'Amount' }, sign: 'purchase-negative' })
      expect((await amounts()).map((r) => r.amount_minor)).toEqual([14990, 9600, -520000, 26250])
    })

    it('should import Date,Check#,Transaction Type,Description,Debits(-),Credits(+) with $ signs, skipping the transfer', async () => {
      t = await createTestStore(dialect)
      const s = await importSpendFile(t.store, join(FIXTURES, 'bank-checks.csv'), options)
      expect(s).toMatchObject({ layout: 'inferred', read: 5, imported: 4, skippedBy: { transfer: 1 }, columns: { debit: 'Debits(-)', credit: 'Credits(+)' } })
      reconciles(s)
      expect((await amounts()).map((r) => [r.merchant_raw, r.amount_minor])).toEqual([
        ['FIGMA INC SAN FRANCISCO CA', 4500], ['CHECK 1042', 125000], ['FIGMA INC REFUND', -1500], ['GITHUB INC', 2100],
      ])
    })

    it('should find the header of a bank statement after its summary block and skip the beginning-balance row', async () => {
      t = await createTestStore(dialect)
      const s = await importSpendFile(t.store, join(FIXTURES, 'bank-summary-block.csv'), options)
      expect(s).toMatchObject({ layout: 'inferred', read: 4, imported: 3, rejected: 0, skippedBy: { balance: 1 } })
      expect((await amounts()).map((r) => r.amount_minor)).toEqual([1999, 48841, -520000])
    })

    it('should import a Plaid export with Plaid\'s sign (positive = money out), skipping pending rows, transfers and card payments', async () => {
      t = await createTestStore(dialect)
      const s = await importSpendFile(t.store, join(FIXTURES, 'plaid.csv'), options)
      expect(s).toMatchObject({ layout: 'plaid', read: 6, imported: 3, skippedBy: { pending: 1, transfer: 1, payment: 1 } })
      reconciles(s)
      expect((await amounts()).map((r) => [r.posted_on, r.merchant_raw, r.amount_minor])).toEqual([
        ['2026-10-04', 'Touchstone', 7850], ['2026-10-06', 'SparkFun', 8940], ['2026-10-07', 'United Airlines', -50000],
      ])
    })

    it('should import completed PayPal payments only (Name = merchant, Gross = amount), skipping conversions, transfers and pending ones', async () => {
      t = await createTestStore(dialect)
      const s = await importSpendFile(t.store, join(FIXTURES, 'paypal-activity.csv'), options)
      expect(s).toMatchObject({ layout: 'paypal', read: 7, imported: 2, skippedBy: { 'not completed': 1, 'currency conversion': 2, transfer: 2 } })
      reconciles(s)
      expect((await amounts()).map((r) => [r.merchant_raw, r.amount_minor, r.currency])).toEqual([['Canva Pty Ltd', 11999, 'USD'], ['Loom, Inc.', 1500, 'EUR']])
    })

    it('should import a German semicolon export by its column names, currency from the amount header', async () => {
      t = await createTestStore(dialect)
      const s = await importSpendFile(t.store, join(FIXTURES, 'inferred-german.csv'), options)
      expect(s).toMatchObject({ layout: 'inferred', read: 3, imported: 3 })
      expect((await amounts()).map((r) => [r.posted_on, r.amount_minor, r.currency])).toEqual([['2026-10-01', 48841, 'EUR'], ['2026-10-02', 125000, 'EUR'], ['2026-10-15', -1200, 'EUR']])
    })

    it('should refuse two possible amount columns, and a headerless file showing its first row', async () => {
      t = await createTestStore(dialect)
      await expect(importSpendFile(t.store, join(FIXTURES, 'inferred-two-amounts.csv'), options)).rejects.toThrow(/inferred-two-amounts\.csv.*could each be the amount/)
      await expect(importSpendFile(t.store, join(FIXTURES, 'generic-headerless.csv'), options)).rejects.toThrow(
        /the file has no header row \(first row: "10\/02\/2026", "SQ \*NOTION LABS INC", "96\.00", "USD"\); name the columns by position/,
      )
      expect(await amounts()).toEqual([])
    })
  })
}

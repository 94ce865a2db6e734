import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../data/testing/test-store.js'
import { DEFAULT_ANALYZER_CONFIG } from './config.js'
import { attributeCardLines } from '../data/spend-attribution.js'
import { promoteRecurringMerchants } from './promote-recurring-merchants.js'

const NOW = '2026-11-28T00:00:00.000Z'

for (const dialect of DIALECTS) {
  describe(`promoteRecurringMerchants [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    async function charges(merchant: string, key: string, category: string, amount: number, months: number) {
      const identifier = await t.store.db
        .insertInto('identifiers')
        .values({ kind: 'merchant', value: merchant.toUpperCase(), example_raw: merchant, candidate_key: key, rule: 'unknown', confidence: 0, first_seen_at: NOW, last_seen_at: NOW, seen_count: months })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (let m = 0; m < months; m++) {
        await t.store.db
          .insertInto('spend_transactions')
          .values({
            fingerprint: `${key}-${m}`, posted_on: `2026-${String(m + 3).padStart(2, '0')}-05`, amount_minor: amount, currency: 'USD', merchant_raw: merchant,
            merchant_normalized: merchant.toUpperCase(), category, identifier_id: identifier.id, source_layout: 'expensify', source_file: 'e.csv', source_line: m + 2, scan_run_id: 1,
          })
          .execute()
      }
    }

    it('should make recurring or software-filed merchants apps, and leave a monthly lunch place alone', async () => {
      t = await createTestStore(dialect)
      await charges('Tallyfox', 'tallyfox', 'Software', 2400, 5)
      await charges('Loom', 'loom', 'Software', 1500, 5)
      await charges('CHIPOTLE 1234', 'chipotle', 'Restaurants', 1250, 5)
      await charges('Blue Widget Co', 'bluewidgetco', 'Office Supplies', 999, 1)
      await charges('CLIPCADE LONDON GB', 'clipcade', 'SaaS / Software', 1200, 1)
      const promoted = await promoteRecurringMerchants(t.store.db, { now: NOW, nonSoftware: DEFAULT_ANALYZER_CONFIG.nonSoftwareSpendCategories, software: DEFAULT_ANALYZER_CONFIG.softwareSpendCategories })
      expect(promoted).toBe(2)
      // Promotion points identifiers at apps; the lines follow in the one attribution step.
      // every line gets its rule recorded (the fixtures leave it empty); 11 of the 17 also get an app
      expect(await attributeCardLines(t.store.db)).toBe(17)
      expect(await attributeCardLines(t.store.db)).toBe(0)
      const rows = await t.store.db
        .selectFrom('spend_transactions')
        .leftJoin('apps', 'apps.id', 'spend_transactions.app_id')
        .select(['spend_transactions.merchant_raw', 'apps.catalog_key', 'apps.candidate_key', 'spend_transactions.rule'])
        .groupBy(['spend_transactions.merchant_raw', 'apps.catalog_key', 'apps.candidate_key', 'spend_transactions.rule'])
        .orderBy('spend_transactions.merchant_raw')
        .execute()
      expect(rows).toEqual([
        { merchant_raw: 'Blue Widget Co', catalog_key: null, candidate_key: null, rule: 'unknown' },
        { merchant_raw: 'CHIPOTLE 1234', catalog_key: null, candidate_key: null, rule: 'unknown' },
        // One charge, but filed under software by the card: a SaaS candidate at once.
        { merchant_raw: 'CLIPCADE LONDON GB', catalog_key: null, candidate_key: 'clipcade', rule: 'candidate-app' },
        // "Loom" alone is too common a word for a card line, but it bills monthly and is exactly Loom's name.
        { merchant_raw: 'Loom', catalog_key: 'loom', candidate_key: null, rule: 'candidate-app' },
        { merchant_raw: 'Tallyfox', catalog_key: null, candidate_key: 'tallyfox', rule: 'candidate-app' },
      ])
    })
  })
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LAYOUTS, detectLayout } from './index.js'

const layoutsDoc = readFileSync(join(import.meta.dirname, 'LAYOUTS.md'), 'utf8')

describe('detectLayout', () => {
  it.each(LAYOUTS.map((l) => [l.id, l] as const))('recognises the %s header row it documents', (_id, layout) => {
    expect(detectLayout(layout.headers)?.id).toBe(layout.id)
  })

  it.each(LAYOUTS.map((l) => [l.id, l] as const))('documents the %s header row verbatim in LAYOUTS.md', (id, layout) => {
    expect(layoutsDoc).toContain(`## ${id} `)
    expect(layoutsDoc).toContain(`\n${layout.headers.join(',')}\n`)
  })

  it('matches headers case-insensitively, with stray spaces, a BOM and extra columns', () => {
    expect(detectLayout(['\uFEFFtransaction date', ' POST DATE ', 'Description', 'Category', 'Type', 'Amount', 'Memo', 'Extra'])?.id).toBe('chase')
  })

  it('tells the Amex variants, Chase and Capital One apart', () => {
    expect(detectLayout(['Date', 'Description', 'Card Member', 'Account #', 'Amount'])?.id).toBe('amex')
    expect(detectLayout(['Date', 'Description', 'Amount', 'Extended Details', 'Appears On Your Statement As', 'Address', 'City/State', 'Zip Code', 'Country', 'Reference', 'Category'])?.id).toBe('amex')
    expect(detectLayout(['Card', 'Transaction Date', 'Post Date', 'Description', 'Category', 'Type', 'Amount', 'Memo'])?.id).toBe('chase')
    expect(detectLayout(['Transaction Date', 'Posted Date', 'Card No.', 'Description', 'Category', 'Debit', 'Credit'])?.id).toBe('capital-one')
    expect(detectLayout(['Timestamp', 'Merchant', 'Amount', 'MCC', 'Category', 'Tag', 'Comment', 'Reimbursable', 'Original Currency', 'Original Amount', 'Receipt'])?.id).toBe('expensify')
  })

  it('returns undefined for headers no layout knows', () => {
    expect(detectLayout(['Date', 'Payee', 'Amount'])).toBeUndefined()
    expect(detectLayout([])).toBeUndefined()
  })
})

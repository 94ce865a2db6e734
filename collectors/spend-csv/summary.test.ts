import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { summarizeSpendFile } from './index.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')

describe('summarizeSpendFile', () => {
  it('counts rows, errors and skipped lines, totals per currency and the date range', async () => {
    const summary = await summarizeSpendFile(join(FIXTURES, 'ramp.csv'))
    expect(summary).toMatchObject({
      layout: 'ramp',
      encoding: 'utf8',
      delimiter: ',',
      headerLine: 1,
      rows: 4,
      errors: 0,
      skipped: 0,
      firstDate: '2026-10-02',
      lastDate: '2026-10-09',
      totalsByCurrency: { USD: 8750 + 80000 - 1225, EUR: 123456 },
      sampleErrors: [],
    })
  })

  it('keeps a sample of row errors', async () => {
    const summary = await summarizeSpendFile(join(FIXTURES, 'bad-rows.csv'), {}, 2)
    expect(summary.errors).toBe(4)
    expect(summary.sampleErrors.map((e) => [e.line, e.field])).toEqual([
      [3, 'date'],
      [4, 'amount'],
    ])
    expect(summary.totalsByCurrency).toEqual({ USD: 1500 + 1200 + 100 })
  })
})

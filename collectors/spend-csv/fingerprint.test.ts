import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createOccurrenceCounter, isSpendRowError, normaliseMerchant, readSpendFile, rowFingerprint, type SpendRow } from './index.js'

const base = { postedOn: '2026-10-03', amountMinor: 149990, currency: 'USD', merchantRaw: 'ZOOM.US 888-799-9666 CA', cardLast4: '2291' }

describe('rowFingerprint', () => {
  it('is a 132-bit sha256 prefix in base64url, stable for the same fields and occurrence', () => {
    const fp = rowFingerprint(base, 1)
    expect(fp).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(rowFingerprint({ ...base }, 1)).toBe(fp)
  })

  it('ignores merchant case and spacing but not date, amount, currency, card or occurrence', () => {
    const fp = rowFingerprint(base, 1)
    expect(rowFingerprint({ ...base, merchantRaw: '  zoom.us   888-799-9666 ca ' }, 1)).toBe(fp)
    expect(rowFingerprint({ ...base, postedOn: '2026-10-04' }, 1)).not.toBe(fp)
    expect(rowFingerprint({ ...base, amountMinor: -149990 }, 1)).not.toBe(fp)
    expect(rowFingerprint({ ...base, currency: 'CAD' }, 1)).not.toBe(fp)
    expect(rowFingerprint({ ...base, cardLast4: undefined }, 1)).not.toBe(fp)
    expect(rowFingerprint(base, 2)).not.toBe(fp)
  })

  it('normalises merchants', () => {
    expect(normaliseMerchant(' sq *notion\tlabs  inc ')).toBe('SQ *NOTION LABS INC')
  })
})

describe('createOccurrenceCounter', () => {
  it('numbers genuine same-day duplicates in a file and gives each its own fingerprint', async () => {
    const rows: SpendRow[] = []
    for await (const item of readSpendFile(join(import.meta.dirname, 'fixtures', 'brex.csv'))) if (!isSpendRowError(item)) rows.push(item)
    const counter = createOccurrenceCounter()
    const occurrences = rows.map((r) => counter.next(r))
    expect(occurrences).toEqual([1, 1, 2, 1, 1])
    const again = createOccurrenceCounter()
    const fingerprints = rows.map((r) => again.fingerprint(r))
    expect(new Set(fingerprints).size).toBe(5)
    expect(fingerprints[2]).toBe(rowFingerprint(rows[2]!, 2))
    expect(fingerprints[1]).toBe(rowFingerprint(rows[1]!, 1))
    expect(again.distinctKeys).toBe(4)
  })

  it('keeps exact counts past many distinct keys (its table grows)', () => {
    const counter = createOccurrenceCounter()
    for (let i = 0; i < 50_000; i++) expect(counter.next({ ...base, amountMinor: i })).toBe(1)
    for (let i = 0; i < 50_000; i += 997) expect(counter.next({ ...base, amountMinor: i })).toBe(2)
    expect(counter.distinctKeys).toBe(50_000)
  })
})

import { describe, expect, it } from 'vitest'
import { dateOrderEvidence, dateOrderFromFormat, parseDate } from './date.js'

describe('parseDate', () => {
  it('reads the layout order for slashed, dashed and dotted dates', () => {
    expect(parseDate('10/03/2026', 'MDY')).toBe('2026-10-03')
    expect(parseDate('10/03/2026', 'DMY')).toBe('2026-03-10')
    expect(parseDate('10-13-2026', 'MDY')).toBe('2026-10-13')
    expect(parseDate('13.10.2026', 'DMY')).toBe('2026-10-13')
    expect(parseDate('1/5/26', 'MDY')).toBe('2026-01-05')
  })

  it('always accepts ISO dates and ignores a time part', () => {
    expect(parseDate('2026-10-03', 'DMY')).toBe('2026-10-03')
    expect(parseDate('2026-10-03T23:59:59.000Z', 'MDY')).toBe('2026-10-03')
    expect(parseDate('2026-10-03 14:22:10', 'MDY')).toBe('2026-10-03')
    expect(parseDate('2026/10/03', 'DMY')).toBe('2026-10-03')
  })

  it('reads month names', () => {
    expect(parseDate('03 Oct 2026', 'MDY')).toBe('2026-10-03')
    expect(parseDate('Oct 3, 2026', 'DMY')).toBe('2026-10-03')
    expect(parseDate('03-OCT-26', 'MDY')).toBe('2026-10-03')
  })

  it('rejects impossible dates and non-dates', () => {
    expect(parseDate('13/45/2026', 'MDY')).toBeUndefined()
    expect(parseDate('02/30/2026', 'MDY')).toBeUndefined()
    expect(parseDate('02/29/2027', 'MDY')).toBeUndefined()
    expect(parseDate('02/29/2028', 'MDY')).toBe('2028-02-29')
    expect(parseDate('Total', 'MDY')).toBeUndefined()
    expect(parseDate('', 'MDY')).toBeUndefined()
    expect(parseDate('46298', 'MDY')).toBeUndefined()
  })
})

describe('dateOrderEvidence', () => {
  it('tells which order a date proves', () => {
    expect(dateOrderEvidence('13/10/2026')).toBe('DMY')
    expect(dateOrderEvidence('10/13/2026')).toBe('MDY')
    expect(dateOrderEvidence('10/11/2026')).toBe('either')
    expect(dateOrderEvidence('2026-10-11')).toBe('ISO')
    expect(dateOrderEvidence('n/a')).toBeUndefined()
  })
})

describe('dateOrderFromFormat', () => {
  it('reads common format strings', () => {
    expect(dateOrderFromFormat('DD/MM/YYYY')).toBe('DMY')
    expect(dateOrderFromFormat('MM-DD-YY')).toBe('MDY')
    expect(dateOrderFromFormat('YYYY-MM-DD')).toBe('YMD')
    expect(dateOrderFromFormat('dd.mm.yyyy')).toBe('DMY')
    expect(dateOrderFromFormat('DMY')).toBe('DMY')
    expect(dateOrderFromFormat('nonsense')).toBeUndefined()
  })
})

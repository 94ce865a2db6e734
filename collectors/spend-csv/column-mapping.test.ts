import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMappingProfile, parseColumnMapping, parseMappingProfile, readSpendFile, isSpendRowError, type SpendRow } from './index.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')

describe('parseColumnMapping', () => {
  it('reads header names and 1-based positions', () => {
    expect(parseColumnMapping('date=Posted On, amount=Amount ,merchant=Payee,currency=Ccy')).toEqual({
      date: 'Posted On',
      amount: 'Amount',
      merchant: 'Payee',
      currency: 'Ccy',
    })
    expect(parseColumnMapping('date=1,merchant=2,amount=4')).toEqual({ date: 1, merchant: 2, amount: 4 })
  })

  it('accepts quoted header names with commas, field aliases and JSON', () => {
    expect(parseColumnMapping('date="Date, posted",merchant=Payee,debit=Out,credit=In,email=Who')).toEqual({
      date: 'Date, posted',
      merchant: 'Payee',
      debit: 'Out',
      credit: 'In',
      cardholderEmail: 'Who',
    })
    expect(parseColumnMapping('{"date": 1, "merchant": "Payee", "amount": 3}')).toEqual({ date: 1, merchant: 'Payee', amount: 3 })
  })

  it('says what is missing or wrong', () => {
    expect(() => parseColumnMapping('date=Date,merchant=Payee')).toThrow('spend-csv: read mapping: missing amount (or debit and credit)')
    expect(() => parseColumnMapping('date=Date,debit=Out,merchant=Payee')).toThrow('missing amount (or debit and credit)')
    expect(() => parseColumnMapping('date=Date,amount=Amt,shop=Payee')).toThrow('unknown field "shop"')
    expect(() => parseColumnMapping('date,amount=Amt')).toThrow('"date" is not field=column')
    expect(() => parseColumnMapping('{"date": 0, "merchant": "M", "amount": "A"}')).toThrow('spend-csv: read mapping: date')
  })
})

describe('mapping profiles', () => {
  it('loads a saved profile and reads the file with it', async () => {
    const profile = await loadMappingProfile(join(FIXTURES, 'profile-acme-bank.json'))
    expect(profile).toMatchObject({ name: 'acme-bank', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', sign: 'purchase-negative' })
    const rows: SpendRow[] = []
    const { name: _name, ...opts } = profile
    for await (const item of readSpendFile(join(FIXTURES, 'generic-semicolon.csv'), opts)) if (!isSpendRowError(item)) rows.push(item)
    expect(rows.map((r) => [r.postedOn, r.amountMinor, r.currency])).toEqual([
      ['2026-10-01', 10590, 'EUR'],
      ['2026-10-13', 123456, 'EUR'],
      ['2026-10-14', 45000, 'EUR'],
      ['2026-10-15', -2159, 'EUR'],
    ])
  })

  it('rejects profiles with unknown keys or bad values', () => {
    expect(() => parseMappingProfile({ name: 'x', mapping: { date: 'D', merchant: 'M', amount: 'A' }, dateformat: 'DD/MM/YYYY' })).toThrow(/spend-csv: read profile: .*dateformat/)
    expect(() => parseMappingProfile({ name: 'x', mapping: { date: 'D', merchant: 'M', amount: 'A' }, sign: 'negative' })).toThrow(/sign/)
    expect(() => parseMappingProfile({ name: 'x', mapping: { date: 'D' } })).toThrow('missing merchant, amount (or debit and credit)')
  })

  it('names the file when a profile cannot be read', async () => {
    await expect(loadMappingProfile(join(FIXTURES, 'missing-profile.json'))).rejects.toThrow(/spend-csv: read profile: .*missing-profile\.json: ENOENT/)
    await expect(loadMappingProfile(join(FIXTURES, 'brex.csv'))).rejects.toThrow(/brex\.csv: not valid JSON/)
  })
})

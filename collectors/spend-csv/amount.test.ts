import { describe, expect, it } from 'vitest'
import { parseAmountMinor } from './amount.js'

describe('parseAmountMinor', () => {
  it.each([
    ['$-25.00', -2500],
    ['- $21.59', -2159],
    ['(21.59)', -2159],
    ['2,222.22', 222222],
    ['450', 45000],
    ['-105,90', -10590],
    ['1.234,56', 123456],
    ['-1.234,56', -123456],
    ['€42.00', 4200],
    ['$1,499.90', 149990],
    ['25.00 CR', -2500],
    ['USD 12.5', 1250],
    ['1 234,56', 123456],
    ["1'234.56", 123456],
    ['+7.10', 710],
    ['−3.00', -300],
    ['0.00', 0],
    ['-0.00', 0],
    ['21.59-', -2159],
  ])('reads %s as %i minor units of a 2-decimal currency', (text, minor) => {
    expect(parseAmountMinor(text, 2)).toBe(minor)
  })

  it('reads a lone comma followed by three digits as a thousands separator unless told otherwise', () => {
    expect(parseAmountMinor('1,234', 2)).toBe(123400)
    expect(parseAmountMinor('1,234', 2, ',')).toMatch(/more decimals/)
    expect(parseAmountMinor('1,5', 2, ',')).toBe(150)
    expect(parseAmountMinor('1,234', 3, ',')).toBe(1234)
  })

  it('uses the decimal separator option to read dots as thousands', () => {
    expect(parseAmountMinor('1.234', 2, ',')).toBe(123400)
    expect(parseAmountMinor('1.234.567,8', 2, ',')).toBe(123456780)
  })

  it('handles zero- and three-decimal currencies', () => {
    expect(parseAmountMinor('1200', 0)).toBe(1200)
    expect(parseAmountMinor('1,200', 0)).toBe(1200)
    expect(parseAmountMinor('1200.00', 0)).toBe(1200)
    expect(parseAmountMinor('12.345', 3)).toBe(12345)
    expect(parseAmountMinor('12.5', 3)).toBe(12500)
  })

  it('refuses digits beyond the currency precision rather than rounding', () => {
    expect(parseAmountMinor('1200.50', 0)).toMatch(/more decimals/)
    expect(parseAmountMinor('1.005', 2)).toMatch(/more decimals/)
  })

  it('explains what is wrong with text that is not an amount', () => {
    expect(parseAmountMinor('', 2)).toBe('empty amount')
    expect(parseAmountMinor('abc', 2)).toBe('no digits')
    expect(parseAmountMinor('(21.59', 2)).toBe('unbalanced parentheses')
    expect(parseAmountMinor('12#4', 2)).toMatch(/unexpected character "#"/)
    expect(parseAmountMinor('1.2.3', 2)).toBe('misplaced thousands separator')
    expect(parseAmountMinor('12,34', 2)).toBe(1234)
    expect(parseAmountMinor('1234,567.00', 2)).toBe('misplaced thousands separator')
    expect(parseAmountMinor('12,34,567.00', 2)).toBe(123456700)
    expect(parseAmountMinor('99999999999999999', 2)).toBe('amount too large')
  })

  it.each(['-2E+04', '-1.5e2', '0x10', '1e5', '12 A', 'USD 12 EUR', '12.00 C'])('case 2: refuses %s (letters inside or around the number that are not one currency code or CR/DR)', (text) => {
    expect(typeof parseAmountMinor(text, 2)).toBe('string')
  })
})

// Money text → signed integer minor units, in one pass over the characters (no regex: it runs once per row).

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000]

const Ch = {
  Space: 32,
  Quote: 39,
  OpenParen: 40,
  CloseParen: 41,
  Plus: 43,
  Comma: 44,
  Minus: 45,
  Dot: 46,
  Zero: 48,
  Nine: 57,
} as const
/** Letters C and R packed as the loop packs them: a trailing "CR" marks a credit. */
const CR_CODE = 3 * 32 + 18

/**
 * Parses an amount such as `$-25.00`, `- $21.59`, `(21.59)`, `2,222.22`, `-105,90`, `1.234,56`, `450`, `25.00 CR`.
 * Returns the signed amount in minor units of a currency with `exponent` decimals, or a reason string when the
 * text is not an amount. `decimalSeparator` settles `1,234` / `1.234`; without it a lone comma followed by
 * exactly three digits is read as a thousands separator and a lone dot as the decimal point.
 */
export function parseAmountMinor(text: string, exponent: number, decimalSeparator?: '.' | ','): number | string {
  let value = 0
  let digits = 0
  let negative = false
  let openParen = false
  let closeParen = false
  let dots = 0
  let commas = 0
  let digitsAtLastDot = -1
  let digitsAtLastComma = -1
  let letters = 0
  let letterCode = 0
  // Letters are a currency code or a CR/DR marker: one run before the first digit or after the last one.
  // A letter between digits (`-2E+04`, `1.5e2`, `0x10`) or a second run is not an amount in any notation we read.
  let letterRuns = 0
  let digitsAtLetter = -1
  let previousWasLetter = false
  // Thousands grouping check: digits before the first separator, and whether every later gap is 2–3 digits
  // (2 allows Indian lakh grouping, 12,34,567.00).
  let firstGroup = -1
  let lastSepDigits = -1
  let gapsOk = true
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c >= Ch.Zero && c <= Ch.Nine) {
      if (digitsAtLetter > 0) return `letter inside the number`
      previousWasLetter = false
      value = value * 10 + (c - Ch.Zero)
      digits++
      continue
    }
    const inLetterRun = previousWasLetter
    previousWasLetter = false
    switch (c) {
      case Ch.Dot:
      case Ch.Comma:
        if (c === Ch.Dot) {
          dots++
          digitsAtLastDot = digits
        } else {
          commas++
          digitsAtLastComma = digits
        }
        if (firstGroup === -1) firstGroup = digits
        else if (digits - lastSepDigits < 2 || digits - lastSepDigits > 3) gapsOk = false
        lastSepDigits = digits
        break
      case Ch.Minus:
      case 0x2212: // Unicode minus sign, as some spreadsheets write it
        negative = true
        break
      case Ch.OpenParen:
        openParen = true
        break
      case Ch.CloseParen:
        closeParen = true
        break
      case Ch.Plus:
      case Ch.Space:
      case Ch.Quote: // Swiss thousands separator, and spreadsheet text markers
      case 0x09:
      case 0xa0: // no-break space, a common thousands separator
      case 0x202f:
      case 0x24: // $
      case 0x20ac: // €
      case 0xa3: // £
      case 0xa5: // ¥
      case 0x20b9: // ₹
        break
      default: {
        const upper = c & ~0x20
        if (upper >= 65 && upper <= 90) {
          // A currency code (USD) or a CR/DR marker; CR means credit.
          if (!inLetterRun) {
            letterRuns++
            digitsAtLetter = digits
          }
          previousWasLetter = true
          letters++
          letterCode = letterCode * 32 + (upper - 64)
          continue
        }
        return `unexpected character "${text[i]}"`
      }
    }
  }
  if (digits === 0) return text.trim() === '' ? 'empty amount' : 'no digits'
  if (letters > 3 || letterRuns > 1 || letters === 1) return 'not an amount'
  if (!Number.isSafeInteger(value)) return 'amount too large'
  const crSuffix = letters === 2 && letterCode === CR_CODE
  if (openParen !== closeParen) return 'unbalanced parentheses'

  // Decide which separator, if any, is the decimal point.
  let fractionDigits = 0
  if (dots > 0 || commas > 0) {
    let decimal: '.' | ',' | undefined
    if (decimalSeparator) {
      decimal = decimalSeparator
      const count = decimal === '.' ? dots : commas
      if (count === 0) decimal = undefined
      else if (count > 1) return `more than one "${decimal}" decimal separator`
    } else if (dots > 0 && commas > 0) {
      decimal = digitsAtLastDot > digitsAtLastComma ? '.' : ','
      if ((decimal === '.' ? dots : commas) > 1) return 'mixed separators'
    } else if (dots === 1) {
      decimal = '.'
    } else if (commas === 1) {
      decimal = digits - digitsAtLastComma === 3 ? undefined : ','
    }
    if (decimal !== undefined) fractionDigits = digits - (decimal === '.' ? digitsAtLastDot : digitsAtLastComma)
    const thousands = dots + commas - (decimal === undefined ? 0 : 1)
    if (thousands > 0) {
      const lastGroup = decimal === undefined ? digits - lastSepDigits : 3
      if (firstGroup < 1 || firstGroup > 3 || !gapsOk || lastGroup !== 3) return 'misplaced thousands separator'
    }
  }

  let minor: number
  if (fractionDigits <= exponent) {
    minor = value * (POW10[exponent - fractionDigits] ?? 10 ** (exponent - fractionDigits))
  } else {
    const extra = POW10[fractionDigits - exponent] ?? 10 ** (fractionDigits - exponent)
    if (value % extra !== 0) return `more decimals than the currency allows (${exponent})`
    minor = value / extra
  }
  if (!Number.isSafeInteger(minor)) return 'amount too large'
  if (minor === 0) return 0
  return negative || openParen || crSuffix ? -minor : minor
}

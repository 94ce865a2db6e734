// Currency codes as statements spell them; the exponents live with the money formatting in data/money.ts.
export { currencyExponent } from '../../data/money.js'

/** Three upper-case ASCII letters; values are upper-cased and trimmed first. */
export function normaliseCurrency(raw: string): string | undefined {
  const code = raw.trim().toUpperCase()
  if (code.length !== 3) return undefined
  for (let i = 0; i < 3; i++) {
    const c = code.charCodeAt(i)
    if (c < 65 || c > 90) return undefined
  }
  return code
}

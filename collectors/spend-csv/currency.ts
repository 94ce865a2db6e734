// ISO 4217 minor-unit exponents; everything not listed has two decimals.

const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
  VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
}

/** Number of decimals in the currency's minor unit (JPY 0, USD 2, KWD 3). */
export function currencyExponent(code: string): number {
  return EXPONENTS[code] ?? 2
}

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

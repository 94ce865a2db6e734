// Money is integer minor units plus an ISO 4217 code; these are the only places it turns into text.

/** ISO 4217 minor-unit exponents; everything not listed has two decimals. */
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

/**
 * Minor units as a plain decimal string in the currency's exponent, for CSV and JSON: `-1234.50`, JPY `1200`.
 * Exact for every safe integer (no floating point).
 */
export function formatMinor(minor: number, currency: string): string {
  const exp = currencyExponent(currency)
  const sign = minor < 0 ? '-' : ''
  const digits = String(Math.abs(Math.trunc(minor))).padStart(exp + 1, '0')
  return exp === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`
}

/**
 * Minor units for people to read, with thousands separators and the code after the figure: `1,234.50 USD`,
 * `120,000 JPY`. A null currency is shown as USD (the demo's and most card exports' default).
 */
export function formatMoney(minor: number, currency: string | null): string {
  const c = currency ?? 'USD'
  const plain = formatMinor(minor, c)
  const negative = plain.startsWith('-')
  const [whole, fraction] = (negative ? plain.slice(1) : plain).split('.') as [string, string | undefined]
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`} ${c}`
}

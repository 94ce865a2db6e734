// Turns one CSV record into a SpendRow, a SpendRowError, or nothing (blank, summary or not-spend rows).
import { parseAmountMinor } from './amount.js'
import { currencyExponent, normaliseCurrency } from './currency.js'
import { impossibleDateReason, parseDate } from './date.js'
import type { DateOrder, MappedField, SignConvention, SpendItem, SpendRowError, SpendRowField } from './types.js'

export type ColumnIndexes = Partial<Record<MappedField, readonly number[]>>

export interface RowMapperConfig {
  columns: ColumnIndexes
  dateOrder: DateOrder
  defaultCurrency: string
  decimalSeparator?: '.' | ','
  sign: SignConvention
  /** Lower-case values of the direction column that make the row a credit. */
  creditValues: ReadonlySet<string>
  skip: readonly { index: number; values: ReadonlySet<string> }[]
  /** The header row, so a repeated header (concatenated exports) is skipped rather than reported. */
  header?: readonly string[]
  delimiter: string
}

export type RowMapper = (record: readonly string[], line: number) => SpendItem | null

const DEBIT_VALUES: ReadonlySet<string> = new Set(['debit', 'dr', 'd', 'purchase', 'sale', 'charge'])
const SUMMARY_PREFIXES = ['total', 'subtotal', 'grand total', 'balance', 'ending balance', 'opening balance', 'closing balance', 'end of']
/** Parsed dates are cached: a file has few distinct dates and many rows. */
const DATE_CACHE_LIMIT = 4096

function isRepeatedHeader(record: readonly string[], header: readonly string[] | undefined): boolean {
  if (!header || record.length !== header.length) return false
  for (let i = 0; i < record.length; i++) if (record[i]!.trim() !== header[i]!.trim()) return false
  return true
}

function isBlank(record: readonly string[]): boolean {
  for (const field of record) if (field.trim() !== '') return false
  return true
}

/** A trailing "Total …" line, a balance line, or a one-cell note: summary text, not a transaction. */
export function isSummaryRecord(record: readonly string[]): boolean {
  let nonEmpty = 0
  for (const field of record) {
    const t = field.trim()
    if (t === '') continue
    nonEmpty++
    const lower = t.toLowerCase()
    for (const prefix of SUMMARY_PREFIXES) if (lower.startsWith(prefix)) return true
  }
  return nonEmpty <= 1
}

/** The last four digits in a card cell (`-71004` → `1004`, `XXXX-1234` → `1234`); other text kept trimmed. */
export function cardLast4(cell: string): string | undefined {
  const t = cell.trim()
  if (t === '') return undefined
  let end = t.length - 1
  while (end >= 0 && (t.charCodeAt(end) < 48 || t.charCodeAt(end) > 57)) end--
  if (end < 0) return t
  let start = end
  while (start > 0 && end - start < 3 && t.charCodeAt(start - 1) >= 48 && t.charCodeAt(start - 1) <= 57) start--
  return end - start === 3 ? t.slice(start, end + 1) : t
}

export function compileRowMapper(cfg: RowMapperConfig): RowMapper {
  const idx = (field: MappedField): readonly number[] => cfg.columns[field] ?? []
  const dateCols = [...idx('date'), ...idx('postedDate')]
  const amountCol = idx('amount')[0]
  const debitCol = idx('debit')[0]
  const creditCol = idx('credit')[0]
  const merchantCols = idx('merchant')
  const currencyCol = idx('currency')[0]
  const cardholderCol = idx('cardholder')[0]
  const emailCol = idx('cardholderEmail')[0]
  const cardCol = idx('card')[0]
  const departmentCol = idx('department')[0]
  const categoryCol = idx('category')[0]
  const memoCol = idx('memo')[0]
  const externalIdCol = idx('externalId')[0]
  const directionCol = idx('direction')[0]
  const flip = cfg.sign === 'purchase-negative'
  const { dateOrder, decimalSeparator, skip, creditValues, delimiter } = cfg
  const defaultExponent = currencyExponent(cfg.defaultCurrency)
  const dates = new Map<string, string | undefined>()
  let lastCurrencyRaw = ''
  let lastCurrency: string | undefined

  const optional = (record: readonly string[], col: number | undefined): string | undefined => {
    if (col === undefined) return undefined
    const v = record[col]
    if (v === undefined || v === '') return undefined
    const t = v.trim()
    return t === '' ? undefined : t
  }

  const fail = (record: readonly string[], line: number, field: SpendRowField, reason: string, cell: string | undefined): SpendRowError => ({
    line,
    field,
    reason,
    raw: cell !== undefined && cell.trim() !== '' ? cell : record.join(delimiter),
    error: true,
  })

  return function mapRecord(record, line) {
    for (const rule of skip) {
      const v = record[rule.index]
      if (v !== undefined && v !== '' && rule.values.has(v.trim().toLowerCase())) return null
    }

    // Date: the transaction date, else the posting date.
    let rawDate: string | undefined
    for (const col of dateCols) {
      const v = record[col]
      if (v !== undefined && v.trim() !== '') {
        rawDate = v
        break
      }
    }
    let postedOn: string | undefined
    if (rawDate !== undefined) {
      if (dates.has(rawDate)) postedOn = dates.get(rawDate)
      else {
        postedOn = parseDate(rawDate, dateOrder)
        if (dates.size >= DATE_CACHE_LIMIT) dates.clear()
        dates.set(rawDate, postedOn)
      }
    }
    if (postedOn === undefined) {
      if (isBlank(record) || isSummaryRecord(record) || isRepeatedHeader(record, cfg.header)) return null
      const reason = rawDate === undefined ? 'missing date' : (impossibleDateReason(rawDate) ?? `not a ${dateOrder === 'DMY' ? 'DD/MM/YYYY' : dateOrder === 'MDY' ? 'MM/DD/YYYY' : 'YYYY-MM-DD'} date`)
      return fail(record, line, 'date', reason, rawDate)
    }

    // Currency before amount: it decides how many decimals the amount has.
    let currency = cfg.defaultCurrency
    let exponent = defaultExponent
    if (currencyCol !== undefined) {
      const raw = record[currencyCol]
      if (raw !== undefined && raw !== '') {
        if (raw !== lastCurrencyRaw) {
          lastCurrencyRaw = raw
          lastCurrency = raw.trim() === '' ? cfg.defaultCurrency : normaliseCurrency(raw)
        }
        if (lastCurrency === undefined) return fail(record, line, 'currency', 'not an ISO 4217 currency code', raw)
        currency = lastCurrency
        exponent = currencyExponent(currency)
      }
    }

    let amountMinor: number
    if (amountCol !== undefined) {
      const raw = record[amountCol] ?? ''
      const parsed = parseAmountMinor(raw, exponent, decimalSeparator)
      if (typeof parsed === 'string') {
        if (raw.trim() === '' && isSummaryRecord(record)) return null
        return fail(record, line, 'amount', parsed, raw)
      }
      amountMinor = flip ? -parsed : parsed
    } else {
      const rawDebit = debitCol === undefined ? '' : (record[debitCol] ?? '')
      const rawCredit = creditCol === undefined ? '' : (record[creditCol] ?? '')
      const hasDebit = rawDebit.trim() !== ''
      const hasCredit = rawCredit.trim() !== ''
      if (!hasDebit && !hasCredit) return fail(record, line, 'amount', 'empty debit and credit', undefined)
      amountMinor = 0
      if (hasDebit) {
        const d = parseAmountMinor(rawDebit, exponent, decimalSeparator)
        if (typeof d === 'string') return fail(record, line, 'amount', `debit: ${d}`, rawDebit)
        amountMinor += Math.abs(d)
      }
      if (hasCredit) {
        const c = parseAmountMinor(rawCredit, exponent, decimalSeparator)
        if (typeof c === 'string') return fail(record, line, 'amount', `credit: ${c}`, rawCredit)
        amountMinor -= Math.abs(c)
      }
    }
    if (directionCol !== undefined) {
      const flag = record[directionCol]
      if (flag !== undefined && flag !== '') {
        const key = flag.trim().toLowerCase()
        if (creditValues.has(key)) amountMinor = -Math.abs(amountMinor)
        else if (DEBIT_VALUES.has(key)) amountMinor = Math.abs(amountMinor)
      }
    }
    if (amountMinor === 0) amountMinor = 0 // no negative zero

    let merchantRaw: string | undefined
    for (const col of merchantCols) {
      merchantRaw = optional(record, col)
      if (merchantRaw !== undefined) break
    }
    if (merchantRaw === undefined) return fail(record, line, 'merchant', 'missing merchant', undefined)

    const card = optional(record, cardCol)
    const email = optional(record, emailCol)
    let externalId = optional(record, externalIdCol)
    // Spreadsheets mark text cells with a leading apostrophe; Amex wraps its Reference in a pair of them.
    if (externalId !== undefined && externalId.charCodeAt(0) === 39) {
      externalId = externalId.slice(1, externalId.endsWith("'") && externalId.length > 1 ? -1 : undefined) || undefined
    }
    let memo = optional(record, memoCol)
    if (memo !== undefined && memo.includes('\r')) memo = memo.split('\r\n').join('\n')
    return {
      line,
      postedOn,
      amountMinor,
      currency,
      merchantRaw,
      cardholder: optional(record, cardholderCol),
      cardholderEmail: email === undefined ? undefined : email.toLowerCase(),
      cardLast4: card === undefined ? undefined : cardLast4(card),
      department: optional(record, departmentCol),
      category: optional(record, categoryCol),
      memo,
      externalId,
    }
  }
}

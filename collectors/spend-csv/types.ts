// The shapes the spend-file parser produces and is configured with.

/** One validated card/expense transaction. A purchase is positive, a refund or credit negative. */
export interface SpendRow {
  /** Physical (1-based) line of the file where the row starts. */
  line: number
  postedOn: string
  amountMinor: number
  currency: string
  merchantRaw: string
  cardholder?: string
  cardholderEmail?: string
  cardLast4?: string
  department?: string
  category?: string
  memo?: string
  externalId?: string
}

/** `row` when the record as a whole is at fault (cut short, a NUL byte, undecodable bytes, an oversized field). */
export type SpendRowField = 'date' | 'amount' | 'currency' | 'merchant' | 'row'

/** A data row that could not become a SpendRow; the read continues. */
export interface SpendRowError {
  line: number
  field: SpendRowField
  reason: string
  /** The offending cell, or the whole row joined by the delimiter when no single cell is at fault. */
  raw: string
  /** Discriminant: always true, so `'error' in item` separates errors from rows. */
  error: true
}

export type SpendItem = SpendRow | SpendRowError

export function isSpendRowError(item: SpendItem): item is SpendRowError {
  return (item as SpendRowError).error === true
}

/** Day/month/year order of a date written with separators. */
export type DateOrder = 'YMD' | 'MDY' | 'DMY'

/** How a file writes purchases: as positive numbers or as negative ones. */
export type SignConvention = 'purchase-positive' | 'purchase-negative'

export type MappedField =
  | 'date'
  | 'postedDate'
  | 'amount'
  | 'debit'
  | 'credit'
  | 'merchant'
  | 'currency'
  | 'cardholder'
  | 'cardholderEmail'
  | 'card'
  | 'department'
  | 'category'
  | 'memo'
  | 'externalId'
  | 'direction'

/** A column reference: a header name, or a 1-based position in a headerless file. */
export type ColumnRef = string | number

/** Generic column mapping (`--mapping` or a saved profile). */
export type ColumnMapping = Partial<Record<MappedField, ColumnRef>>

/** Rows to leave out because they are not spend (card bill payments, failed transfers). */
export interface SkipRule {
  columns: readonly string[]
  /** Lower-case cell values that mark the row as skipped. */
  values: readonly string[]
}

/** A vendor export layout, declared as data. */
export interface SpendLayout {
  id: string
  name: string
  /** The header row the vendor writes (documentation, fixtures, the demo generator). */
  headers: readonly string[]
  /** The layout matches when every header of any one signature is present. */
  signatures: readonly (readonly string[])[]
  /** Header aliases per field, in order of preference. */
  columns: Partial<Record<MappedField, readonly string[]>>
  dateOrder: DateOrder
  sign: SignConvention
  /** Currency when the file has no currency column and the caller gave none. */
  defaultCurrency?: string
  skip?: readonly SkipRule[]
  /** Values of the `direction` column that make the row a credit (negative). */
  creditValues?: readonly string[]
  /** The merchant is typed or picked by a person (expense tools), not printed by the card network: read it as a name too, typos included. */
  typedMerchant?: boolean
}

export interface SpendReadOptions {
  /** Force a layout id instead of detecting it from the header row. */
  layout?: string
  /** Column mapping for the generic layout; implies `layout: 'generic'`. */
  mapping?: ColumnMapping
  /** Date format, e.g. `DD/MM/YYYY`; required for an ambiguous generic file. */
  dateFormat?: string
  /** Default ISO currency when the file has no currency column. */
  currency?: string
  decimalSeparator?: '.' | ','
  delimiter?: ',' | ';' | '\t'
  /** Overrides the layout's sign convention (generic files). */
  sign?: SignConvention
  /** Values of the `direction` column meaning credit (generic files). */
  creditValues?: readonly string[]
  /** Whether the file has a header row; defaults to false only when every mapped column is a number. */
  hasHeader?: boolean
  /** Force an encoding (`utf8`, `utf16le`, `utf16be`, `windows-1252`) instead of detecting it. */
  encoding?: string
  /** Read size in bytes (tests use small chunks to cross boundaries). */
  chunkBytes?: number
  /** Filled in while reading: counts of what was read and skipped. */
  stats?: SpendReadStats
}

export interface SpendReadStats {
  layout: string
  encoding: string
  delimiter: string
  headerLine: number
  rows: number
  errors: number
  /** Blank, summary and not-spend rows left out. */
  skipped: number
  /** The last row had no line ending and too few fields: the download looks cut. */
  truncated?: boolean
  /** Rows whose bytes were not valid UTF-8 in a file otherwise valid UTF-8 (rejected, never re-read as Windows-1252). */
  invalidUtf8Rows?: number
  /** Dates far outside the file's own range (kept, but worth a look), as `line N: date D`. */
  dateOutliers?: string[]
}

/** A saved generic-mapping profile (JSON). */
export interface MappingProfile {
  name: string
  mapping: ColumnMapping
  dateFormat?: string
  currency?: string
  decimalSeparator?: '.' | ','
  delimiter?: ',' | ';' | '\t'
  sign?: SignConvention
  creditValues?: string[]
  hasHeader?: boolean
}

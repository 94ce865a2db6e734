// Public face of the spend-file parser: card/expense statement files → validated spend rows. No database here.
export { readSpendFile, readSpendBatches } from './read-spend-file.js'
export { detectLayout } from './detect-layout.js'
export { LAYOUTS, findLayout } from './layouts/index.js'
export { summarizeSpendFile, createSpendSummary } from './summary.js'
export type { SpendFileSummary, SpendSummaryBuilder } from './summary.js'
export { rowFingerprint, createOccurrenceCounter, normaliseMerchant, fingerprintKey } from './fingerprint.js'
export type { OccurrenceCounter } from './fingerprint.js'
export { parseColumnMapping, validateMapping, parseMappingProfile, loadMappingProfile, MAPPED_FIELDS } from './column-mapping.js'
export { parseAmountMinor } from './amount.js'
export { parseDate, dateOrderFromFormat } from './date.js'
export { currencyExponent } from './currency.js'
export { SpendFileError } from './errors.js'
export { isSpendRowError } from './types.js'
export type {
  SpendRow,
  SpendRowError,
  SpendRowField,
  SpendItem,
  SpendReadOptions,
  SpendReadStats,
  SpendLayout,
  ColumnMapping,
  ColumnRef,
  MappedField,
  MappingProfile,
  DateOrder,
  SignConvention,
  SkipRule,
} from './types.js'

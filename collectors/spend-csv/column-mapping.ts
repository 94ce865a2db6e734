// The generic layout: a column mapping given on the command line or saved as a named JSON profile.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import type { ColumnMapping, MappedField, MappingProfile, SpendLayout } from './types.js'

export const MAPPED_FIELDS: readonly MappedField[] = [
  'date', 'postedDate', 'amount', 'debit', 'credit', 'merchant', 'currency', 'cardholder', 'cardholderEmail', 'card',
  'department', 'category', 'memo', 'externalId', 'direction',
]

const FIELD_ALIASES: Readonly<Record<string, MappedField>> = {
  email: 'cardholderEmail',
  id: 'externalId',
  last4: 'card',
  cardlast4: 'card',
  posted: 'postedDate',
  type: 'direction',
}

/** Default values of a `direction` column that mark a credit. */
export const DEFAULT_CREDIT_VALUES: readonly string[] = ['credit', 'cr', 'c', 'refund', 'return']

function fieldName(raw: string): MappedField | undefined {
  const key = raw.trim()
  const exact = MAPPED_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase())
  return exact ?? FIELD_ALIASES[key.toLowerCase().replace(/[^a-z0-9]/g, '')]
}

function mappingError(detail: string): Error {
  return new Error(`spend-csv: read mapping: ${detail}`)
}

/** Splits on commas outside double quotes. */
function splitPairs(text: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (const c of text) {
    if (c === '"') quoted = !quoted
    else if (c === ',' && !quoted) {
      parts.push(current)
      current = ''
    } else current += c
  }
  parts.push(current)
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/**
 * Parses `--mapping "date=Posted On,amount=Amount,merchant=Payee"` (header names) or `"date=1,merchant=2,amount=4"`
 * (1-based positions, for headerless files), or the same as a JSON object.
 */
export function parseColumnMapping(text: string): ColumnMapping {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch (cause) {
      throw new Error(`spend-csv: read mapping: not valid JSON: ${(cause as Error).message}`, { cause })
    }
    return validateMapping(parsed)
  }
  const mapping: ColumnMapping = {}
  for (const pair of splitPairs(trimmed)) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw mappingError(`"${pair}" is not field=column`)
    const field = fieldName(pair.slice(0, eq))
    if (!field) throw mappingError(`unknown field "${pair.slice(0, eq).trim()}"; fields are ${MAPPED_FIELDS.join(', ')}`)
    const ref = pair.slice(eq + 1).trim()
    if (ref === '') throw mappingError(`field ${field} has no column`)
    mapping[field] = /^\d+$/.test(ref) ? Number(ref) : ref
  }
  return validateMapping(mapping)
}

const columnRef = z.union([z.string().min(1), z.number().int().min(1)])
const mappingSchema = z
  .object(Object.fromEntries(MAPPED_FIELDS.map((f) => [f, columnRef.optional()])) as Record<MappedField, z.ZodOptional<typeof columnRef>>)
  .strict()

/** Checks that a mapping names a date, a merchant, and an amount or a debit+credit pair. */
export function validateMapping(input: unknown): ColumnMapping {
  const result = mappingSchema.safeParse(input)
  if (!result.success) throw mappingError(result.error.issues.map((i) => `${i.path.join('.') || 'mapping'}: ${i.message}`).join('; '))
  const mapping = result.data as ColumnMapping
  const missing: string[] = []
  if (mapping.date === undefined) missing.push('date')
  if (mapping.merchant === undefined) missing.push('merchant')
  if (mapping.amount === undefined && (mapping.debit === undefined || mapping.credit === undefined)) missing.push('amount (or debit and credit)')
  if (missing.length > 0) throw mappingError(`missing ${missing.join(', ')}`)
  return mapping
}

const profileSchema = z
  .object({
    name: z.string().min(1),
    mapping: z.unknown(),
    dateFormat: z.string().optional(),
    currency: z.string().length(3).optional(),
    decimalSeparator: z.enum(['.', ',']).optional(),
    delimiter: z.enum([',', ';', '\t']).optional(),
    sign: z.enum(['purchase-positive', 'purchase-negative']).optional(),
    creditValues: z.array(z.string()).optional(),
    hasHeader: z.boolean().optional(),
  })
  .strict()

/** Validates a saved mapping profile (already parsed JSON). */
export function parseMappingProfile(input: unknown): MappingProfile {
  const result = profileSchema.safeParse(input)
  if (!result.success) {
    throw new Error(`spend-csv: read profile: ${result.error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`).join('; ')}`)
  }
  const { mapping, ...rest } = result.data
  const profile: MappingProfile = { ...rest, mapping: validateMapping(mapping) }
  if (profile.currency) profile.currency = profile.currency.toUpperCase()
  return profile
}

/** Reads and validates a mapping profile JSON file. */
export async function loadMappingProfile(path: string): Promise<MappingProfile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new Error(`spend-csv: read profile: ${path}: ${(cause as Error).message}`, { cause })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new Error(`spend-csv: read profile: ${path}: not valid JSON: ${(cause as Error).message}`, { cause })
  }
  return parseMappingProfile(parsed)
}

/** Whether every mapped column is a position (so the file is read as headerless by default). */
export function isPositionalMapping(mapping: ColumnMapping): boolean {
  return Object.values(mapping).every((ref) => typeof ref === 'number')
}

/** The generic layout for a mapping; header-name references become single aliases. */
export function genericLayout(mapping: ColumnMapping): SpendLayout {
  const columns: SpendLayout['columns'] = {}
  for (const field of MAPPED_FIELDS) {
    const ref = mapping[field]
    if (typeof ref === 'string') columns[field] = [ref]
  }
  return {
    id: 'generic',
    name: 'Generic (column mapping)',
    headers: [],
    signatures: [],
    columns,
    dateOrder: 'MDY',
    sign: 'purchase-positive',
    creditValues: DEFAULT_CREDIT_VALUES,
  }
}

import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import Papa from 'papaparse'
import { normalizeEmail } from '../../data/normalize.js'
import type { EmploymentType, PersonStatus } from '../../data/tables/people.table.js'
import { classifyHrWord, KNOWN_WORDS_HINT, strongerStatus } from './hr-vocabulary.js'
import { decodeText, lineIndex, type TextEncoding } from '../sdk/decode-text.js'
import type { PersonRecord } from '../sdk/records.js'
import { FIELD_ALIASES, normalizeHeader, ROSTER_FIELDS, ROSTER_LAYOUTS, type RosterField } from './layouts.js'

export type DateOrder = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'DD/MM/YYYY'

export interface RosterOptions {
  /** Field → header name, overriding detection (`--map email="Work Email"`). */
  mapping?: Partial<Record<RosterField, string>>
  /** How to read slashed dates; ISO dates are always accepted. Default MM/DD/YYYY, as US HR tools write. */
  dateFormat?: DateOrder
  /** "Today", for deriving status from an end date; defaults to now. */
  today?: string
  /** Refuse the whole roster when more than this share of its rows is rejected (default ROSTER_REJECT_THRESHOLD). */
  rejectThreshold?: number
}

/**
 * Share of rejected rows (no usable email) above which a roster is refused whole, as the spend import does. Looser
 * than spend's 5 %: rosters legitimately hold a few people without a work email yet (pre-hires).
 */
export const ROSTER_REJECT_THRESHOLD = 0.2

export interface RosterRowError {
  line: number
  field: string
  reason: string
}

export interface RosterRow {
  line: number
  /** Position among the file's data records (0-based), for progress in records read. */
  ordinal: number
  record: PersonRecord
}

export interface ParsedRoster {
  file: string
  layout: string
  encoding: TextEncoding
  delimiter: string
  columns: Partial<Record<RosterField, string>>
  read: number
  rows: RosterRow[]
  rejected: RosterRowError[]
  duplicates: RosterRowError[]
  /** Rows kept with one field left empty because its value could not be read. */
  warnings: RosterRowError[]
}

/** A roster that cannot be imported at all; nothing from it is written. */
export class RosterFileError extends Error {
  override readonly name = 'RosterFileError'
}

function parseDate(value: string, order: DateOrder): string | null {
  const v = value.trim()
  let y: number, m: number, d: number
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(v)
  if (match) {
    ;[y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  } else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v))) {
    const a = Number(match[1])
    const b = Number(match[2])
    y = Number(match[3])
    ;[m, d] = order === 'DD/MM/YYYY' ? [b, a] : [a, b]
  } else {
    return null
  }
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null
  return date.toISOString().slice(0, 10)
}

function detectColumns(headers: readonly string[], mapping: Partial<Record<RosterField, string>>, file: string): Partial<Record<RosterField, string>> {
  const byNormal = new Map(headers.map((h) => [normalizeHeader(h), h]))
  const columns: Partial<Record<RosterField, string>> = {}
  for (const [field, header] of Object.entries(mapping) as [RosterField, string][]) {
    const found = byNormal.get(normalizeHeader(header))
    if (!found) throw new RosterFileError(`${file}: line 1: mapping ${field}="${header}": no such column (columns: ${headers.join(', ')})`)
    columns[field] = found
  }
  const taken = new Set(Object.values(columns))
  for (const field of ROSTER_FIELDS) {
    if (columns[field]) continue
    for (const alias of FIELD_ALIASES[field]) {
      const found = byNormal.get(alias)
      if (found && !taken.has(found)) {
        columns[field] = found
        taken.add(found)
        break
      }
    }
  }
  return columns
}

function detectLayout(headers: readonly string[]): string {
  const present = new Set(headers.map(normalizeHeader))
  const layout = ROSTER_LAYOUTS.find((l) => l.signature.every((h) => present.has(normalizeHeader(h))))
  return layout?.id ?? 'generic'
}

/** Reads and validates a whole roster; throws RosterFileError for a file that cannot be imported at all. */
export async function parseRosterFile(path: string, options: RosterOptions = {}): Promise<ParsedRoster> {
  const file = basename(path)
  let buffer: Buffer
  try {
    buffer = await readFile(path)
  } catch (cause) {
    throw new RosterFileError(`${path}: cannot read the file: ${(cause as Error).message}`, { cause })
  }
  return parseRosterText(buffer, file, options)
}

export function parseRosterText(buffer: Buffer, file: string, options: RosterOptions = {}): ParsedRoster {
  const { text, encoding } = decodeText(buffer)
  if (text.trim() === '') throw new RosterFileError(`${file}: the file is empty`)
  const lineOf = lineIndex(text)
  const records: { data: string[]; line: number }[] = []
  let delimiter = ','
  let previousEnd = 0
  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: 'greedy',
    step: (result) => {
      delimiter = result.meta.delimiter
      // A row starts at the first character after the previous row's end that is not a blank line.
      let start = previousEnd
      while (start < text.length && /[\r\n \t]/.test(text[start]!)) start++
      records.push({ data: result.data, line: lineOf(start) })
      previousEnd = result.meta.cursor
    },
  })
  const headerRecord = records.shift()
  if (!headerRecord) throw new RosterFileError(`${file}: no header row`)
  const headers = headerRecord.data.map((h) => h.trim())
  const columns = detectColumns(headers, options.mapping ?? {}, file)
  if (!columns.email) {
    throw new RosterFileError(
      `${file}: line ${headerRecord.line}: field email: no email column (columns: ${headers.join(', ')}); ` +
        `name it with --map email="<column>"`,
    )
  }
  const index = new Map(headers.map((h, i) => [h, i]))
  const order = options.dateFormat ?? 'MM/DD/YYYY'
  const today = options.today ?? new Date().toISOString().slice(0, 10)
  const rows: RosterRow[] = []
  const rejected: RosterRowError[] = []
  const duplicates: RosterRowError[] = []
  const warnings: RosterRowError[] = []
  const seen = new Map<string, number>()
  // A column the user mapped by hand must hold words we know: otherwise the mapping is wrong, and the file is refused.
  const strict = new Set(Object.keys(options.mapping ?? {}))
  const unknownInMapped = new Map<string, Set<string>>()
  let ordinal = -1
  let blank = 0
  for (const { data, line } of records) {
    ordinal++
    if (data.every((cell) => cell.trim() === '')) {
      blank++
      continue
    }
    const get = (field: RosterField): string | null => {
      const column = columns[field]
      if (!column) return null
      const value = data[index.get(column)!]?.trim()
      return value ? value : null
    }
    const rawEmail = get('email')
    const email = normalizeEmail(rawEmail)
    if (!email) {
      rejected.push({ line, field: columns.email, reason: rawEmail ? `not an email address: "${rawEmail}"` : 'missing email' })
      continue
    }
    const firstLine = seen.get(email)
    if (firstLine !== undefined) {
      duplicates.push({ line, field: columns.email, reason: `duplicate email ${email} (first on line ${firstLine}); row skipped` })
      continue
    }
    // A secondary field that cannot be read is left empty with a warning; the person is never dropped for it.
    const date = (field: 'startDate' | 'endDate'): string | null => {
      const raw = get(field)
      if (!raw) return null
      const parsed = parseDate(raw, order)
      if (!parsed) warnings.push({ line, field: columns[field]!, reason: `invalid date "${raw}" (expected YYYY-MM-DD or ${order}); row kept without it` })
      return parsed
    }
    const startDate = date('startDate')
    const endDate = date('endDate')
    let status: PersonStatus | undefined
    let employmentType: EmploymentType | undefined
    const rawWords: string[] = []
    for (const field of ['status', 'employmentType'] as const) {
      const raw = get(field)
      if (!raw) continue
      rawWords.push(raw)
      const word = classifyHrWord(raw)
      if (!word) {
        if (strict.has(field)) {
          const set = unknownInMapped.get(field) ?? new Set<string>()
          set.add(raw)
          unknownInMapped.set(field, set)
        } else {
          warnings.push({ line, field: columns[field]!, reason: `unknown ${field === 'status' ? 'status' : 'employment type'} "${raw}" (expected ${KNOWN_WORDS_HINT}); row kept, field ignored` })
        }
        continue
      }
      status = strongerStatus(status, word.status)
      if (word.employmentType) employmentType = word.employmentType
    }
    // A past termination date outranks a stale "Active" (HR tools keep the flag until payroll closes). A
    // contractor's end date is the contract's: HR says whether it ended, the analyzer flags the gap.
    if (endDate && endDate <= today && status !== 'suspended' && employmentType !== 'contractor') status = 'terminated'
    if (!status) status = 'active'
    const rawStatus = rawWords.length > 0 ? rawWords.join(' / ') : null
    const managerRaw = get('managerEmail')
    const firstName = get('firstName')
    const lastName = get('lastName')
    seen.set(email, line)
    rows.push({
      line,
      ordinal,
      record: {
        type: 'person',
        externalId: get('employeeNumber') ?? email,
        email,
        name: get('name') ?? ([firstName, lastName].filter(Boolean).join(' ') || null),
        givenName: firstName,
        familyName: lastName,
        employeeNumber: get('employeeNumber'),
        department: get('department'),
        title: get('title'),
        managerEmail: normalizeEmail(managerRaw),
        location: get('location'),
        employmentType: employmentType ?? null,
        status,
        startDate,
        endDate,
        sourceStatus: rawStatus,
        authoritative: true,
      },
    })
  }
  for (const [field, values] of unknownInMapped) {
    const list = [...values].slice(0, 6).map((v) => `"${v}"`).join(', ')
    throw new RosterFileError(
      `${file}: --map ${field}="${columns[field as RosterField]}": ${values.size} value(s) this column holds are not ${field === 'status' ? 'statuses' : 'employment types'} Sightline knows: ${list}` +
        ` (expected ${KNOWN_WORDS_HINT}); map another column or leave ${field} unmapped; nothing was imported`,
    )
  }
  const threshold = options.rejectThreshold ?? ROSTER_REJECT_THRESHOLD
  const read = records.length - blank
  if (read > 0 && rejected.length / read > threshold) {
    const first = rejected.slice(0, 3).map((e) => `line ${e.line}: ${e.reason}`).join('; ')
    throw new RosterFileError(
      `${file}: ${rejected.length} of ${read} rows rejected (${((rejected.length / read) * 100).toFixed(1)}%), more than the reject threshold of ` +
        `${(threshold * 100).toFixed(1)}%; nothing was imported (${first})`,
    )
  }
  return { file, layout: detectLayout(headers), encoding, delimiter, columns, read, rows, rejected, duplicates, warnings }
}

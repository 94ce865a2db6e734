import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import Papa from 'papaparse'
import { normalizeEmail } from '../../data/normalize.js'
import type { EmploymentType, PersonStatus } from '../../data/tables/people.table.js'
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
}

export interface RosterRowError {
  line: number
  field: string
  reason: string
}

export interface RosterRow {
  line: number
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
}

/** A roster that cannot be imported at all; nothing from it is written. */
export class RosterFileError extends Error {
  override readonly name = 'RosterFileError'
}

const EMPLOYMENT_TYPES: ReadonlyArray<[RegExp, EmploymentType]> = [
  [/^(contractor|contract|consultant|freelance(r)?|temp(orary)?|vendor|contingent( worker)?|1099|external|agency)$/, 'contractor'],
  [/^(employee|full[- ]?time|part[- ]?time|permanent|regular|intern(ship)?|salaried|hourly|fte|w-?2|seasonal employee)$/, 'employee'],
]

const STATUSES: ReadonlyArray<[RegExp, PersonStatus]> = [
  [/^(active|employed|current|hired|enabled)$/, 'active'],
  [/^(terminated|inactive|former|separated|deactivated|offboarded|disabled|left)$/, 'terminated'],
  [/^(suspended|on leave|leave|leave of absence|loa|paused)$/, 'suspended'],
]

function classify<T>(value: string, table: ReadonlyArray<[RegExp, T]>): T | undefined {
  const v = value.trim().toLowerCase()
  return table.find(([re]) => re.test(v))?.[1]
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
  const seen = new Map<string, number>()

  for (const { data, line } of records) {
    if (data.every((cell) => cell.trim() === '')) continue
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
    const problems: RosterRowError[] = []
    const date = (field: 'startDate' | 'endDate'): string | null => {
      const raw = get(field)
      if (!raw) return null
      const parsed = parseDate(raw, order)
      if (!parsed) problems.push({ line, field: columns[field]!, reason: `invalid date "${raw}" (expected YYYY-MM-DD or ${order})` })
      return parsed
    }
    const startDate = date('startDate')
    const endDate = date('endDate')
    const rawType = get('employmentType')
    const employmentType = rawType ? classify(rawType, EMPLOYMENT_TYPES) : null
    if (rawType && !employmentType) {
      problems.push({ line, field: columns.employmentType!, reason: `unknown employment type "${rawType}" (expected employee, full-time, part-time, intern, contractor, consultant, temp …)` })
    }
    const rawStatus = get('status')
    let status = rawStatus ? classify(rawStatus, STATUSES) : undefined
    if (rawStatus && !status) {
      problems.push({ line, field: columns.status!, reason: `unknown status "${rawStatus}" (expected active, terminated/inactive, suspended/on leave)` })
    }
    if (problems.length > 0) {
      rejected.push(...problems)
      continue
    }
    // An employee's past termination date outranks a stale "Active" (HR tools keep the flag until payroll
    // closes). A contractor's end date is the contract's: HR says whether it ended, the analyzer flags the gap.
    if (endDate && endDate <= today && status !== 'suspended' && employmentType !== 'contractor') status = 'terminated'
    if (!status) status = 'active'
    const managerRaw = get('managerEmail')
    const firstName = get('firstName')
    const lastName = get('lastName')
    seen.set(email, line)
    rows.push({
      line,
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
  return { file, layout: detectLayout(headers), encoding, delimiter, columns, read: records.length, rows, rejected, duplicates }
}

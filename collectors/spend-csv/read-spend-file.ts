// The public read loop: file → encoding → records → header → layout → validated rows, streamed in batches.
import { open } from 'node:fs/promises'
import { DEFAULT_CREDIT_VALUES, genericLayout, isPositionalMapping, validateMapping } from './column-mapping.js'
import { readRecords, type Delimiter, type RecordBatch } from './csv-records.js'
import { dateOrderEvidence, dateOrderFromFormat } from './date.js'
import { detectLayout, headerKey } from './detect-layout.js'
import { detectEncoding, normaliseEncodingName, type SpendEncoding } from './encoding.js'
import { SpendFileError } from './errors.js'
import { LAYOUTS, findLayout } from './layouts/index.js'
import { normaliseCurrency } from './currency.js'
import { compileRowMapper, type ColumnIndexes, type RowMapper } from './row-mapper.js'
import type { DateOrder, MappedField, SpendItem, SpendLayout, SpendReadOptions, SpendReadStats, SpendRowError } from './types.js'
import { abbreviate } from '../sdk/limits.js'
import { REPLACEMENT_CHAR } from '../sdk/text-encoding.js'

/** Longest field a spend row may hold (a merchant, a memo): longer is a broken or hostile file, not a statement. */
export const MAX_SPEND_FIELD_CHARS = 10_000

// Small chunks keep each batch short-lived (collected young); 128 KiB measured fastest with the lowest heap.
const DEFAULT_CHUNK_BYTES = 128 * 1024
const PRESCAN_CHUNK_BYTES = 1024 * 1024
/** How many non-blank records may precede the header (account summaries, titles) before we give up. */
const HEADER_SEARCH_RECORDS = 50
/** Year-first dates in this many rows settle a generic file as ISO. */
const ISO_EVIDENCE_ROWS = 1000

const MAPPING_HELP =
  'pass a column mapping, e.g. --mapping "date=<date header>,amount=<amount header>,merchant=<merchant header>" ' +
  '(or 1-based positions for a headerless file), or --profile <file.json>; see collectors/spend-csv/LAYOUTS.md'

function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ')
}

interface Setup {
  layout: SpendLayout
  forced: boolean
  /** Generic mapping with positions or names. */
  mapping: SpendReadOptions['mapping']
  hasHeader: boolean
  dateOrder: DateOrder | undefined
}

function planRead(path: string, opts: SpendReadOptions): Setup {
  const dateOrder = opts.dateFormat === undefined ? undefined : dateOrderFromFormat(opts.dateFormat)
  if (opts.dateFormat !== undefined && !dateOrder) {
    throw new SpendFileError('read options', `dateFormat "${opts.dateFormat}" is not a date format like DD/MM/YYYY or MM/DD/YYYY`, { file: path, field: 'date' })
  }
  if (opts.mapping || opts.layout === 'generic') {
    if (!opts.mapping) throw new SpendFileError('choose layout', `the generic layout needs a column mapping; ${MAPPING_HELP}`, { file: path })
    let mapping: NonNullable<SpendReadOptions['mapping']>
    try {
      mapping = validateMapping(opts.mapping)
    } catch (cause) {
      throw new SpendFileError('read options', (cause as Error).message, { file: path }, { cause })
    }
    return { layout: genericLayout(mapping), forced: true, mapping, hasHeader: opts.hasHeader ?? !isPositionalMapping(mapping), dateOrder }
  }
  if (opts.layout !== undefined) {
    const layout = findLayout(opts.layout)
    if (!layout) {
      throw new SpendFileError('choose layout', `unknown layout "${opts.layout}"; known layouts: ${[...LAYOUTS.map((l) => l.id), 'generic'].join(', ')}`, { file: path })
    }
    return { layout, forced: true, mapping: undefined, hasHeader: true, dateOrder }
  }
  return { layout: LAYOUTS[0]!, forced: false, mapping: undefined, hasHeader: true, dateOrder }
}

/** Column indexes for each field of `layout` in `header`; fields with no matching header are left out. */
function resolveColumns(layout: SpendLayout, header: readonly string[]): ColumnIndexes {
  const positions = new Map<string, number>()
  header.forEach((h, i) => {
    const key = headerKey(h)
    if (!positions.has(key)) positions.set(key, i)
  })
  const columns: ColumnIndexes = {}
  for (const [field, aliases] of Object.entries(layout.columns) as [MappedField, readonly string[]][]) {
    const found: number[] = []
    for (const alias of aliases) {
      const i = positions.get(headerKey(alias))
      if (i !== undefined && !found.includes(i)) found.push(i)
    }
    if (found.length > 0) columns[field] = found
  }
  return columns
}

function positionalColumns(mapping: NonNullable<SpendReadOptions['mapping']>, header: readonly string[] | undefined): ColumnIndexes {
  const columns: ColumnIndexes = {}
  for (const [field, ref] of Object.entries(mapping) as [MappedField, string | number | undefined][]) {
    if (typeof ref === 'number') columns[field] = [ref - 1]
    else if (typeof ref === 'string' && header) {
      const i = header.findIndex((h) => headerKey(h) === headerKey(ref))
      if (i !== -1) columns[field] = [i]
    }
  }
  return columns
}

/** Fields the row mapper cannot work without, missing from `columns`. */
function missingRequired(columns: ColumnIndexes): string[] {
  const missing: string[] = []
  if (!columns.date && !columns.postedDate) missing.push('date')
  if (!columns.merchant) missing.push('merchant')
  if (!columns.amount && !(columns.debit && columns.credit)) missing.push('amount')
  return missing
}

function skipRules(layout: SpendLayout, header: readonly string[]): { index: number; values: ReadonlySet<string> }[] {
  const rules: { index: number; values: ReadonlySet<string> }[] = []
  for (const rule of layout.skip ?? []) {
    for (const column of rule.columns) {
      const index = header.findIndex((h) => headerKey(h) === headerKey(column))
      if (index !== -1) {
        rules.push({ index, values: new Set(rule.values) })
        break
      }
    }
  }
  return rules
}

/** The first date column with a value, for date-order evidence. */
function firstDate(record: readonly string[], columns: ColumnIndexes): string | undefined {
  for (const col of [...(columns.date ?? []), ...(columns.postedDate ?? [])]) {
    const v = record[col]
    if (v !== undefined && v.trim() !== '') return v
  }
  return undefined
}

/**
 * Reads the data rows after the header until a date settles day/month order. Refuses (throws) when no date
 * can: guessing would silently swap days and months.
 */
async function inferDateOrder(
  path: string,
  encoding: SpendEncoding,
  delimiter: Delimiter,
  chunkBytes: number,
  afterLine: number,
  columns: ColumnIndexes,
): Promise<DateOrder> {
  let isoRows = 0
  let ambiguousLine: number | undefined
  let ambiguousValue = ''
  for await (const batch of readRecords(path, { encoding, chunkBytes, delimiter })) {
    for (let i = 0; i < batch.records.length; i++) {
      const line = batch.lines[i]!
      if (line <= afterLine) continue
      const value = firstDate(batch.records[i]!, columns)
      if (value === undefined) continue
      const evidence = dateOrderEvidence(value)
      if (evidence === 'MDY' || evidence === 'DMY') return evidence
      if (evidence === 'ISO') {
        if (ambiguousLine === undefined && ++isoRows >= ISO_EVIDENCE_ROWS) return 'YMD'
      } else if (evidence === 'either' && ambiguousLine === undefined) {
        ambiguousLine = line
        ambiguousValue = value
      }
    }
  }
  if (ambiguousLine === undefined) return 'YMD'
  throw new SpendFileError(
    'read dates',
    `day/month order is ambiguous: no date in the file has a day above 12 (first: "${ambiguousValue.trim()}"); ` +
      `pass the dateFormat option, e.g. dateFormat: "DD/MM/YYYY" or "MM/DD/YYYY"`,
    { file: path, line: ambiguousLine, field: 'date' },
  )
}

const NOT_UTF8 = 'bytes that are not valid UTF-8'

function columnName(header: readonly string[] | undefined, index: number): string {
  const name = header?.[index]?.trim()
  return name ? `column ${index + 1} (${abbreviate(name, 60)})` : `column ${index + 1}`
}

/** A record no field of which can be trusted: a NUL byte, an oversized field, or bytes that were not UTF-8. */
function recordProblem(record: readonly string[], line: number, header: readonly string[] | undefined, checkUtf8: boolean): SpendRowError | undefined {
  for (let c = 0; c < record.length; c++) {
    const field = record[c]!
    if (field.length > MAX_SPEND_FIELD_CHARS) {
      return { line, field: 'row', reason: `${columnName(header, c)} is ${field.length} characters long, more than the ${MAX_SPEND_FIELD_CHARS} allowed`, raw: abbreviate(field), error: true }
    }
    if (field.includes('\0')) return { line, field: 'row', reason: `${columnName(header, c)} holds a NUL byte`, raw: abbreviate(field.replaceAll('\0', '\\0')), error: true }
    if (checkUtf8 && field.includes(REPLACEMENT_CHAR)) {
      return { line, field: 'row', reason: `${NOT_UTF8} in ${columnName(header, c)} (the rest of the file is UTF-8)`, raw: abbreviate(field), error: true }
    }
  }
  return undefined
}

function truncatedRow(record: readonly string[], line: number, width: number): SpendRowError {
  return {
    line,
    field: 'row',
    reason: `the last row has ${record.length} of ${width} fields and no line ending: the file looks cut off (download it again)`,
    raw: abbreviate(record.join(',')),
    error: true,
  }
}

/** A date this far outside the range most of the file's rows fall in is flagged (kept, but named in the summary). */
const OUTLIER_DAYS = 400
const MAX_OUTLIERS_LISTED = 20

/** The posted dates seen, by day, to flag the few far from the rest (a `2062` typed for `2026`). */
class DateRange {
  private byDay = new Map<string, { count: number; line: number }>()
  private total = 0

  add(day: string, line: number): void {
    const seen = this.byDay.get(day)
    if (seen) seen.count++
    else this.byDay.set(day, { count: 1, line })
    this.total++
  }

  /** Days more than OUTLIER_DAYS before the 2nd or after the 98th percentile day, as `line N: date D`. */
  outliers(): string[] {
    if (this.total < 2) return []
    const days = [...this.byDay.keys()].sort()
    const percentile = (p: number): string => {
      let seen = 0
      const target = Math.max(1, Math.floor(this.total * p))
      for (const day of days) {
        seen += this.byDay.get(day)!.count
        if (seen >= target) return day
      }
      return days[days.length - 1]!
    }
    const low = Date.parse(percentile(0.02)) - OUTLIER_DAYS * 86_400_000
    const high = Date.parse(percentile(0.98)) + OUTLIER_DAYS * 86_400_000
    const flagged: string[] = []
    for (const day of days) {
      const t = Date.parse(day)
      if (t >= low && t <= high) continue
      const { count, line } = this.byDay.get(day)!
      if (flagged.length < MAX_OUTLIERS_LISTED) flagged.push(`line ${line}: date ${day}${count > 1 ? ` (and ${count - 1} more rows)` : ''} is far outside the file's other dates`)
    }
    return flagged
  }
}

export function newSpendStats(): SpendReadStats {
  return { layout: '', encoding: '', delimiter: '', headerLine: 0, rows: 0, errors: 0, skipped: 0 }
}

/**
 * Streams a spend file as batches of validated rows and row errors (one batch per read chunk). Throws a
 * SpendFileError for an unreadable file, an unknown layout or ambiguous dates, before yielding any row.
 */
export async function* readSpendBatches(path: string, opts: SpendReadOptions = {}): AsyncGenerator<SpendItem[]> {
  const setup = planRead(path, opts)
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES
  const stats = opts.stats ?? newSpendStats()
  Object.assign(stats, newSpendStats())

  let forcedEncoding: SpendEncoding | undefined
  if (opts.encoding !== undefined) {
    forcedEncoding = normaliseEncodingName(opts.encoding)
    if (!forcedEncoding) throw new SpendFileError('read options', `unsupported encoding "${opts.encoding}"`, { file: path })
  }
  let defaultCurrency: string | undefined
  if (opts.currency !== undefined) {
    defaultCurrency = normaliseCurrency(opts.currency)
    if (!defaultCurrency) throw new SpendFileError('read options', `currency "${opts.currency}" is not an ISO 4217 code`, { file: path, field: 'currency' })
  }

  let encoding: SpendEncoding
  let invalidUtf8Bytes = 0
  let handle
  try {
    handle = await open(path, 'r')
    ;({ encoding, invalidUtf8Bytes } = await detectEncoding(path, handle, forcedEncoding, PRESCAN_CHUNK_BYTES))
  } catch (cause) {
    throw new SpendFileError('open file', (cause as Error).message, { file: path }, { cause })
  } finally {
    await handle?.close()
  }
  stats.encoding = encoding

  let delimiter: Delimiter = opts.delimiter ?? ','
  let mapper: RowMapper | undefined
  let header: readonly string[] | undefined
  let rowWidth = 0
  let headerCandidate: { record: string[]; line: number } | undefined
  let searched = 0

  const buildMapper = async (header: readonly string[] | undefined, headerLine: number, layout: SpendLayout): Promise<RowMapper> => {
    const columns = setup.mapping ? positionalColumns(setup.mapping, header) : resolveColumns(layout, header ?? [])
    let order = setup.dateOrder ?? layout.dateOrder
    if (setup.mapping && setup.dateOrder === undefined) {
      order = await inferDateOrder(path, encoding, delimiter, chunkBytes, headerLine, columns)
    }
    stats.layout = layout.id
    stats.headerLine = headerLine
    return compileRowMapper({
      columns,
      dateOrder: order,
      defaultCurrency: defaultCurrency ?? layout.defaultCurrency ?? 'USD',
      decimalSeparator: opts.decimalSeparator ?? (delimiter === ';' ? ',' : undefined),
      sign: opts.sign ?? layout.sign,
      creditValues: new Set((opts.creditValues ?? layout.creditValues ?? DEFAULT_CREDIT_VALUES).map((v) => v.trim().toLowerCase())),
      skip: header ? skipRules(layout, header) : [],
      header,
      delimiter,
    })
  }

  /** Looks for the header among the leading records; returns the index of the first data record, or -1. */
  const findHeader = async (batch: RecordBatch): Promise<number> => {
    for (let i = 0; i < batch.records.length; i++) {
      const record = batch.records[i]!
      const line = batch.lines[i]!
      if (!setup.hasHeader) {
        mapper = await buildMapper(undefined, 0, setup.layout)
        return i
      }
      if (record.every((f) => f.trim() === '')) {
        stats.skipped++
        continue
      }
      if (!headerCandidate || record.length > headerCandidate.record.length) headerCandidate = { record, line }
      let layout: SpendLayout | undefined
      if (setup.forced) {
        const columns = setup.mapping ? positionalColumns(setup.mapping, record) : resolveColumns(setup.layout, record)
        if (missingRequired(columns).length === 0) layout = setup.layout
      } else {
        layout = detectLayout(record)
      }
      if (layout) {
        header = record
        mapper = await buildMapper(record, line, layout)
        return i + 1
      }
      stats.skipped++
      if (++searched >= HEADER_SEARCH_RECORDS) throw headerError()
    }
    return -1
  }

  const headerError = (): SpendFileError => {
    if (!headerCandidate) return new SpendFileError('detect layout', 'the file has no rows', { file: path })
    const found = quoteList(headerCandidate.record.map((h) => h.trim()).filter((h) => h !== ''))
    if (setup.forced) {
      const columns = setup.mapping
        ? positionalColumns(setup.mapping, headerCandidate.record)
        : resolveColumns(setup.layout, headerCandidate.record)
      const missing = missingRequired(columns)
      const wanted = missing.map((field) => {
        if (setup.mapping) {
          const refs = field === 'amount' && setup.mapping.amount === undefined ? [setup.mapping.debit, setup.mapping.credit] : [setup.mapping[field as MappedField]]
          return `${field} (mapped to ${refs.map((r) => JSON.stringify(r)).join(' and ')})`
        }
        const aliases = field === 'amount' && !setup.layout.columns.amount ? [...(setup.layout.columns.debit ?? []), ...(setup.layout.columns.credit ?? [])] : (setup.layout.columns[field as MappedField] ?? [])
        return `${field} (one of ${quoteList(aliases)})`
      })
      return new SpendFileError(
        'map columns',
        `no header row has the ${setup.layout.id} columns for ${wanted.join('; ')}; headers found: ${found}`,
        { file: path, line: headerCandidate.line, field: missing[0] },
      )
    }
    return new SpendFileError(
      'detect layout',
      `no known layout matches the header row; headers found: ${found}; known layouts: ` +
        `${LAYOUTS.map((l) => l.id).join(', ')}; for another layout ${MAPPING_HELP}`,
      { file: path, line: headerCandidate.line },
    )
  }

  const recordBatches = readRecords(path, {
    encoding,
    chunkBytes,
    delimiter: opts.delimiter,
    onDialect: (d) => {
      delimiter = d.delimiter
      stats.delimiter = d.delimiter
    },
  })
  let lastLine = 0
  const dates = new DateRange()
  try {
    for (;;) {
      let next: IteratorResult<RecordBatch>
      try {
        next = await recordBatches.next()
      } catch (cause) {
        // A read failing halfway (disk error, file truncated under us) must not look like the end of the file.
        throw new SpendFileError('read file', (cause as Error).message, { file: path, line: lastLine + 1 }, { cause })
      }
      if (next.done) break
      const batch = next.value
      lastLine = batch.lines[batch.lines.length - 1] ?? lastLine
      let start = 0
      if (!mapper) {
        start = await findHeader(batch)
        if (start === -1) continue
      }
      const map = mapper!
      const items: SpendItem[] = []
      const { records, lines } = batch
      for (let i = start; i < records.length; i++) {
        const record = records[i]!
        if (rowWidth === 0) rowWidth = header?.length ?? record.length
        const cutShort = batch.unterminated === true && i === records.length - 1 && record.length < rowWidth
        const problem = cutShort ? truncatedRow(record, lines[i]!, rowWidth) : recordProblem(record, lines[i]!, header, invalidUtf8Bytes > 0)
        if (problem) {
          if (cutShort) stats.truncated = true
          if (problem.reason.startsWith(NOT_UTF8)) stats.invalidUtf8Rows = (stats.invalidUtf8Rows ?? 0) + 1
          stats.errors++
          items.push(problem)
          continue
        }
        const item = map(record, lines[i]!)
        if (item === null) stats.skipped++
        else {
          if ('error' in item) stats.errors++
          else {
            stats.rows++
            dates.add(item.postedOn, item.line)
          }
          items.push(item)
        }
      }
      if (items.length > 0) yield items
    }
  } finally {
    // Closes the file when the caller stops early.
    await recordBatches.return(undefined)
  }
  if (!mapper) throw headerError()
  const outliers = dates.outliers()
  if (outliers.length > 0) stats.dateOutliers = outliers
}

/** Streams a spend file row by row; see readSpendBatches. */
export async function* readSpendFile(path: string, opts: SpendReadOptions = {}): AsyncGenerator<SpendItem> {
  for await (const batch of readSpendBatches(path, opts)) yield* batch
}

// Imports one spend file into spend_transactions: all or nothing, deduplicated by fingerprint, merchants resolved.
import { linkCardLines } from '../../data/cardholders.js'
import { setRunFileHash } from '../../data/runs.js'
import { findLayout } from './layouts/index.js'
import { basename } from 'node:path'
import { sql, type Kysely } from 'kysely'
import type { Store } from '../../data/connection.js'
import type { Database } from '../../data/database.js'
import { normalizeEmail } from '../../data/normalize.js'
import { addIdentifierSightings } from '../../data/identifiers.js'
import { decideAttribution } from '../../data/spend-attribution.js'
import { AppResolution, type SignalResolver } from '../sdk/app-resolution.js'
import type { Counts, PageWriter, RunInfo } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { recordFileHash, type FileImportSummary } from '../sdk/import-file.js'
import { runCollector, type ProgressEvent } from '../sdk/runner.js'
import { createSpendCollector, REJECTS_SUFFIX, type SpendCollectorConfig, type SpendRecord } from './collector.js'
import { reportPathFor } from '../sdk/private-report.js'
import type { MappedField, SignConvention, SpendReadOptions, SpendReadStats } from './types.js'

export interface SpendImportOptions {
  resolver: SignalResolver
  readOptions?: SpendReadOptions
  /** Largest share of data rows that may be rejected before the whole file is refused (default 0.05). */
  rejectThreshold?: number
  /** Directory for `<file>.rejects.csv` (default: next to the file). */
  rejectsDir?: string
  onProgress?: (event: ProgressEvent) => void
  now?: () => Date
}

export type SpendImportSummary = FileImportSummary & {
  /** The CSV of rejected rows (file, line, field, reason, raw), when any row was rejected. */
  rejectsReport?: string
  /** Data rows that are not spend (card payments, transfers, currency conversions…): `read` = imported + duplicates + rejected + skipped. */
  skipped: number
  skippedBy: Record<string, number>
  /** For `layout: "inferred"`: which header was read as which field, and the sign convention taken from the amounts. */
  columns?: Partial<Record<MappedField, string>>
  sign?: SignConvention
  /** What deserves a look although nothing was refused: a file that looks cut off, dates far from the rest. */
  warnings: string[]
}

/** The read's findings about the file as a whole, worded for the summary. */
export function fileWarnings(file: string, stats: SpendImportReadStats): string[] {
  const warnings: string[] = []
  if (stats.truncated) warnings.push(`${file}: the file looks cut off: its last row has no line ending and too few fields (rejected); download it again`)
  if (stats.invalidUtf8Rows) warnings.push(`${file}: read as UTF-8; ${stats.invalidUtf8Rows} rows held bytes that are not UTF-8 and were rejected`)
  for (const outlier of stats.dateOutliers ?? []) warnings.push(`${file}: ${outlier}`)
  return warnings
}
type SpendImportReadStats = Pick<SpendReadStats, 'truncated' | 'invalidUtf8Rows' | 'dateOutliers'>

export const DEFAULT_REJECT_THRESHOLD = 0.05

/** The columns that vary per row, in the order `pushRowValues` writes them. */
const ROW_COLUMNS = [
  'fingerprint', 'posted_on', 'amount_minor', 'currency', 'merchant_raw', 'merchant_normalized', 'cardholder',
  'cardholder_email', 'person_id', 'card_last4', 'department', 'category', 'memo', 'external_id', 'app_id',
  'identifier_id', 'rule', 'source_line',
] as const
/** The same for every row of a file: staged once, not per row. */
const FILE_COLUMNS = ['source_layout', 'source_file', 'scan_run_id'] as const
const COLUMNS = [...ROW_COLUMNS, ...FILE_COLUMNS] as const

/** Rows per multi-row insert: 21 columns × 500 stays well under both dialects' parameter limits. */
const INSERT_BATCH = 500
/** Rows per raw SQLite statement: fewer calls into the native binding, same transaction. */
const SQLITE_ROWS_PER_STATEMENT = 25
/** Page cache (KiB) while merging staged rows: fewer sorter runs, bounded memory (peak RSS stays under 300 MB). */
const MERGE_CACHE_KIB = 16 * 1024

interface MerchantInfo {
  normalized: string
  appId: number | null
  identifierId: number | null
  rule: string
  /** Its row in the staged merchants table (SQLite), once a transaction of it was staged. */
  stageId: number | null
}

/**
 * SQLite stages each row without the columns its merchant decides (raw and normal descriptor, app, identifier,
 * rule): those are staged once per merchant and joined back when merging. A third of the bytes staged and sorted.
 */
const STAGE_COLUMNS = [
  'fingerprint', 'posted_on', 'amount_minor', 'currency', 'merchant_id', 'cardholder', 'cardholder_email', 'person_id',
  'card_last4', 'department', 'category', 'memo', 'external_id', 'source_line',
] as const
/** ROW_COLUMNS as the merge selects them from the staged row (s) and its merchant (m). */
const MERGE_SELECT = ROW_COLUMNS.map((c) =>
  c === 'merchant_raw' || c === 'merchant_normalized' || c === 'app_id' || c === 'identifier_id' || c === 'rule' ? `m.${c}` : `s.${c}`,
).join(', ')

const STAGE = 'sightline_spend_stage'
const STAGE_MERCHANTS = 'sightline_spend_merchants'
const CACHE_LIMIT = 20_000

function stageSql(rows: number): string {
  const one = `(${STAGE_COLUMNS.map(() => '?').join(',')})`
  return `insert into temp.${STAGE} (${STAGE_COLUMNS.join(',')}) values ${Array.from({ length: rows }, () => one).join(',')}`
}

function nameKey(name: string): string {
  return name.trim().toLowerCase().split(/\s+/).join(' ')
}

/** Writes pages of spend records; one instance per file import. */
class SpendWriter {
  private readonly merchants = new Map<string, MerchantInfo>()
  private readonly identifierIds = new Map<string, number | null>()
  private readonly cardholders = new Map<string, number | null>()
  /** Transactions per identifier beyond the one AppResolution counted for each distinct descriptor. */
  private readonly extraSeen = new Map<number, number>()
  private readonly resolution: AppResolution
  private people: { byEmail: Map<string, number>; byName: Map<string, number | null> } | null = null

  constructor(
    private readonly store: Store,
    private readonly resolver: SignalResolver,
    private readonly layout: () => string,
    private readonly sourceFile: string,
    private readonly now: () => string,
  ) {
    this.resolution = new AppResolution(resolver, now)
  }

  readonly write: PageWriter<SpendRecord, 'spend'> = async (tx, _kind, items, run): Promise<Counts> => {
    if (items.length === 0) return {}
    if (!this.people) this.people = await this.loadPeople(tx)
    // Bounded memory on files of unique descriptors; AppResolution still resolves each identifier once.
    if (this.merchants.size > CACHE_LIMIT) this.merchants.clear()
    if (this.cardholders.size > CACHE_LIMIT) this.cardholders.clear()
    for (const item of items) {
      if (!this.merchants.has(item.merchantRaw)) this.merchants.set(item.merchantRaw, await this.resolveMerchant(tx, item.merchantRaw))
    }
    if (this.store.sqlite) {
      this.stageSqlite(items, run)
      return { 'spend.read': items.length }
    }
    const inserted = await this.insertPostgres(tx, items, run)
    return { 'spend.read': items.length, 'spend.inserted': inserted, 'spend.duplicates': items.length - inserted }
  }

  /** Records when and how often each identifier was seen in this file. */
  async flush(tx: Kysely<Database>): Promise<void> {
    await this.resolution.flush(tx)
    const extra = [...this.extraSeen].filter(([, n]) => n !== 0)
    this.extraSeen.clear()
    await addIdentifierSightings(tx, extra, this.now())
  }

  private async loadPeople(tx: Kysely<Database>): Promise<{ byEmail: Map<string, number>; byName: Map<string, number | null> }> {
    const people = await tx.selectFrom('people').select(['id', 'email', 'name']).execute()
    const byEmail = new Map<string, number>()
    const byName = new Map<string, number | null>()
    for (const p of people) {
      byEmail.set(p.email, p.id)
      if (!p.name) continue
      const key = nameKey(p.name)
      // Two people with one name: a cardholder name cannot tell them apart, so it matches neither.
      byName.set(key, byName.has(key) ? null : p.id)
    }
    return { byEmail, byName }
  }

  private async resolveMerchant(tx: Kysely<Database>, raw: string): Promise<MerchantInfo> {
    const signal = { kind: 'merchant' as const, value: raw }
    const resolution = this.resolver.resolve(signal)
    // An expense-report merchant was typed by a person: when it is no card descriptor, read it as a name.
    const typed = findLayout(this.layout())?.typedMerchant === true
    const resolved = await this.resolution.resolve(tx, typed ? [signal, { kind: 'name', value: raw }] : [signal], false)
    // AppResolution counted this descriptor once already; toRow counts every transaction, so take that one back.
    const counted = (id: number | null) => {
      if (id !== null) this.extraSeen.set(id, (this.extraSeen.get(id) ?? 0) - 1)
    }
    counted(resolved?.identifierId ?? null)
    if (resolved) {
      // The same rule order analysis applies (data/spend-attribution.ts); umbrella products are decided there.
      const attribution = decideAttribution({ confirmed: resolved.rule === 'override', appId: resolved.appId, rule: resolved.rule })
      return { normalized: resolution.normalized, appId: attribution.appId, identifierId: resolved.identifierId, rule: attribution.rule, stageId: null }
    }
    // Unresolved descriptors keep their identifier, so an admin mapping it later can re-link the spend.
    let identifierId = this.identifierIds.get(resolution.normalized)
    if (identifierId === undefined) {
      const row = await tx
        .selectFrom('identifiers')
        .select('id')
        .where('kind', '=', 'merchant')
        .where('value', '=', resolution.normalized)
        .executeTakeFirst()
      identifierId = row?.id ?? null
      this.identifierIds.set(resolution.normalized, identifierId)
    }
    counted(identifierId)
    return { normalized: resolution.normalized, appId: null, identifierId, rule: resolution.rule, stageId: null }
  }

  /** The person a row's cardholder email or name belongs to. */
  private personOf(item: SpendRecord, email: string | null): number | null {
    const people = this.people!
    if (email) return people.byEmail.get(email) ?? null
    if (!item.cardholder) return null
    // Statements repeat a few hundred cardholder spellings; normalise each once.
    let id = this.cardholders.get(item.cardholder)
    if (id === undefined) {
      id = people.byName.get(nameKey(item.cardholder)) ?? null
      this.cardholders.set(item.cardholder, id)
    }
    return id
  }

  /** The row's resolved merchant; the row counts towards its identifier's seen count. */
  private countedMerchant(item: SpendRecord): MerchantInfo {
    const merchant = this.merchants.get(item.merchantRaw)!
    if (merchant.identifierId !== null) this.extraSeen.set(merchant.identifierId, (this.extraSeen.get(merchant.identifierId) ?? 0) + 1)
    return merchant
  }

  /** Appends the ROW_COLUMNS values of one record to `out` (no per-row array: a 1M-row file made 1M of them). */
  private pushRowValues(item: SpendRecord, out: unknown[]): void {
    const merchant = this.countedMerchant(item)
    const email = item.cardholderEmail ? normalizeEmail(item.cardholderEmail) : null
    out.push(
      item.fingerprint, item.postedOn, item.amountMinor, item.currency, item.merchantRaw, merchant.normalized,
      item.cardholder ?? null, email, this.personOf(item, email), item.cardLast4 ?? null, item.department ?? null, item.category ?? null,
      item.memo ?? null, item.externalId ?? null, merchant.appId, merchant.identifierId, merchant.rule, item.line,
    )
  }

  /** The same for STAGE_COLUMNS, staging the row's merchant the first time it is seen. */
  private pushStageValues(item: SpendRecord, out: unknown[]): void {
    const merchant = this.countedMerchant(item)
    if (merchant.stageId === null) {
      merchant.stageId = ++this.stagedMerchants
      this.stageMerchant!.run(merchant.stageId, item.merchantRaw, merchant.normalized, merchant.appId, merchant.identifierId, merchant.rule)
    }
    const email = item.cardholderEmail ? normalizeEmail(item.cardholderEmail) : null
    out.push(
      item.fingerprint, item.postedOn, item.amountMinor, item.currency, merchant.stageId, item.cardholder ?? null, email,
      this.personOf(item, email), item.cardLast4 ?? null, item.department ?? null, item.category ?? null, item.memo ?? null,
      item.externalId ?? null, item.line,
    )
  }

  private sqliteSingle: { run(...params: unknown[]): { changes: number } } | null = null
  private sqliteMulti: { run(...params: unknown[]): { changes: number } } | null = null
  private stageMerchant: { run(...params: unknown[]): unknown } | null = null
  private stagedMerchants = 0
  private fileValues: unknown[] = []

  /**
   * SQLite: rows go to an unindexed temporary table with raw prepared statements (~10x cheaper than Kysely
   * per row) on the connection Kysely's transaction holds open; `mergeSqlite` moves them in fingerprint order.
   */
  private stageSqlite(items: readonly SpendRecord[], run: RunInfo): void {
    const sqlite = this.store.sqlite!
    // Outside a transaction each statement would commit on its own and a failed file would leave rows behind.
    if (!sqlite.inTransaction) throw new Error('spend-csv: insert transactions: the SQLite bulk path needs an open transaction')
    if (!this.sqliteSingle) {
      sqlite.exec(`drop table if exists temp.${STAGE}`)
      sqlite.exec(`drop table if exists temp.${STAGE_MERCHANTS}`)
      sqlite.exec(
        `create temp table ${STAGE} (fingerprint text, posted_on text, amount_minor integer, currency text, merchant_id integer, cardholder text, ` +
          'cardholder_email text, person_id integer, card_last4 text, department text, category text, memo text, external_id text, source_line integer)',
      )
      sqlite.exec(`create temp table ${STAGE_MERCHANTS} (id integer primary key, merchant_raw text, merchant_normalized text, app_id integer, identifier_id integer, rule text)`)
      this.stageMerchant = sqlite.prepare(`insert into temp.${STAGE_MERCHANTS} (id, merchant_raw, merchant_normalized, app_id, identifier_id, rule) values (?, ?, ?, ?, ?, ?)`)
      // Merchants resolved before this file's first staged row have no staged row yet.
      for (const m of this.merchants.values()) m.stageId = null
      this.sqliteSingle = sqlite.prepare(stageSql(1))
      this.sqliteMulti = sqlite.prepare(stageSql(SQLITE_ROWS_PER_STATEMENT))
      this.fileValues = [this.layout(), this.sourceFile, run.runId]
    }
    const params: unknown[] = []
    let i = 0
    for (; i + SQLITE_ROWS_PER_STATEMENT <= items.length; i += SQLITE_ROWS_PER_STATEMENT) {
      params.length = 0
      for (let j = i; j < i + SQLITE_ROWS_PER_STATEMENT; j++) this.pushStageValues(items[j]!, params)
      this.sqliteMulti!.run(params)
    }
    for (; i < items.length; i++) {
      params.length = 0
      this.pushStageValues(items[i]!, params)
      this.sqliteSingle.run(params)
    }
  }

  /**
   * Moves the staged rows into spend_transactions sorted by fingerprint: the unique index then grows in key
   * order instead of at a random leaf per row, which kept a 1M-row file waiting on page I/O. Returns rows inserted.
   */
  mergeSqlite(): number {
    if (!this.sqliteSingle) return 0
    const sqlite = this.store.sqlite!
    const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number
    // The sorter keeps cache_size of memory per run before spilling; 2 MB made a 1M-row sort merge ~125 runs.
    sqlite.pragma(`cache_size = -${MERGE_CACHE_KIB}`)
    try {
      // "where true" keeps SQLite from reading ON CONFLICT as part of the join syntax of INSERT … SELECT.
      const { changes } = sqlite
        .prepare(
          `insert into main.spend_transactions (${COLUMNS.join(',')}) select ${MERGE_SELECT}, ${FILE_COLUMNS.map(() => '?').join(',')} ` +
            `from temp.${STAGE} s join temp.${STAGE_MERCHANTS} m on m.id = s.merchant_id where true order by s.fingerprint on conflict (fingerprint) do nothing`,
        )
        .run(this.fileValues)
      sqlite.exec(`drop table temp.${STAGE}`)
      sqlite.exec(`drop table temp.${STAGE_MERCHANTS}`)
      return changes
    } finally {
      sqlite.pragma(`cache_size = ${cacheSize}`)
      this.sqliteSingle = null
      this.sqliteMulti = null
      this.stageMerchant = null
    }
  }

  private async insertPostgres(tx: Kysely<Database>, items: readonly SpendRecord[], run: RunInfo): Promise<number> {
    let inserted = 0
    const values: unknown[] = []
    for (let i = 0; i < items.length; i += INSERT_BATCH) {
      const rows = items.slice(i, i + INSERT_BATCH).map((item) => {
        values.length = 0
        this.pushRowValues(item, values)
        values.push(this.layout(), this.sourceFile, run.runId)
        return Object.fromEntries(COLUMNS.map((c, k) => [c, values[k]])) as never
      })
      const result = await tx
        .insertInto('spend_transactions')
        .values(rows)
        .onConflict((oc) => oc.column('fingerprint').doNothing())
        .executeTakeFirst()
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n)
    }
    return inserted
  }
}

/**
 * Imports one card/expense statement as one scan run in one transaction. Rows already stored (same fingerprint)
 * count as duplicates; bad rows are reported with their line and written to `<file>.rejects.csv`. Throws, and
 * imports nothing, when the file cannot be read, its layout is unknown, its dates are ambiguous, or more than
 * `rejectThreshold` of its rows are rejected.
 */
export async function importSpendFile(store: Store, path: string, options: SpendImportOptions): Promise<SpendImportSummary> {
  const threshold = options.rejectThreshold ?? DEFAULT_REJECT_THRESHOLD
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`spend-csv: import: reject threshold ${threshold} is not between 0 and 1`)
  const file = basename(path)
  const config: SpendCollectorConfig = {
    path,
    readOptions: options.readOptions,
    rejectsPath: reportPathFor(path, REJECTS_SUFFIX, options.rejectsDir),
  }
  const collector = createSpendCollector(config, file)
  const clock = options.now ?? (() => new Date())
  const writer = new SpendWriter(store, options.resolver, () => collector.stats.layout, file, () => clock().toISOString())

  const finalize = async (tx: Kysely<Database>, run: RunInfo, counts: Counts): Promise<void> => {
    const { rows, errors } = collector.stats
    const read = rows + errors
    if (read > 0 && errors / read > threshold) {
      const report = collector.rejectsReport ? `; rejected rows are listed in ${collector.rejectsReport}` : ''
      throw new CollectorError(
        'bad-data',
        `spend-csv: import: ${file}: ${errors} of ${read} rows rejected (${((errors / read) * 100).toFixed(1)}%), ` +
          `more than the reject threshold of ${(threshold * 100).toFixed(1)}%; nothing was imported${report}`,
      )
    }
    counts['spend.rejected'] = errors
    if (store.sqlite) {
      const inserted = writer.mergeSqlite()
      counts['spend.inserted'] = inserted
      counts['spend.duplicates'] = (counts['spend.read'] ?? 0) - inserted
    }
    await writer.flush(tx)
    // Names the statement prints ("PRIYA K SHAH", "SHAH, PRIYA") to people, and their department to lines without one.
    counts['spend.linked'] = await linkCardLines(tx)
    // In the run's transaction: a write after it would wait behind another import that took the writer meanwhile.
    if (collector.sha256) await setRunFileHash(tx, run.runId, (hashRecorded = collector.sha256))
  }

  let hashRecorded: string | undefined
  let result
  try {
    result = await runCollector<SpendCollectorConfig, SpendRecord, 'spend'>({
      store,
      collector,
      config,
      sourceKey: `file:${file}`,
      source: 'spend',
      mode: 'file',
      transaction: 'run',
      fresh: true,
      // The reader thread hashes the file while parsing it; the run gets the hash when the run ends.
      file: { name: path, sha256: '' },
      write: writer.write,
      finalize,
      onProgress: options.onProgress,
      now: options.now,
    })
  } finally {
    await collector.close()
  }
  if (!hashRecorded || result.error) await recordFileHash(store, result.runId, path, collector.sha256)
  if (result.error) throw result.error
  const c = result.counts
  const rejected = collector.stats.errors
  const errors = [...collector.rejects]
  if (rejected > errors.length) errors.push(`${file}: ${rejected - errors.length} more rejected rows are listed in ${collector.rejectsReport}`)
  const skippedBy = { ...collector.stats.skippedBy }
  const skipped = Object.values(skippedBy).reduce((n, v) => n + v, 0)
  return {
    file: path,
    layout: collector.stats.layout,
    // Every data row of the file: what was imported or already there, rejected, or skipped as not spend.
    read: collector.stats.rows + rejected + skipped,
    skipped,
    skippedBy,
    ...(collector.stats.columns ? { columns: collector.stats.columns, sign: collector.stats.sign } : {}),
    imported: c['spend.inserted'] ?? 0,
    duplicates: c['spend.duplicates'] ?? 0,
    rejected,
    status: result.status,
    runId: result.runId,
    errors,
    counts: c,
    warnings: fileWarnings(file, collector.stats),
    ...(collector.rejectsReport ? { rejectsReport: collector.rejectsReport } : {}),
  }
}

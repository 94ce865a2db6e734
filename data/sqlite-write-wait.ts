// SQLite has one writer at a time. A file import holds the writer for its whole transaction (all or nothing), often
// longer than any busy timeout, so a second writer must wait its turn visibly instead of failing "database is locked".
import { hostname } from 'node:os'
import { basename } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type BetterSqlite3 from 'better-sqlite3'
import {
  CompiledQuery, SelectQueryNode, SqliteDialect,
  type DatabaseConnection, type Driver, type QueryCompiler, type QueryExecutor, type QueryResult, type TransactionSettings,
} from 'kysely'

/** A run recorded as `running` by another process: who is most likely holding the writer. */
export interface RunningWriter {
  runId: number
  collector: string
  fileName: string | null
  sourceKey: string
  pid: number | null
  host: string | null
  startedAt: string
}

export interface WriteWaitOptions {
  /** How long a writer waits for another to finish before it gives up with an error. */
  maxWaitMs: number
  /** Called once per distinct set of other writers, when a write first has to wait for them. */
  onWait?: (event: { location: string; writers: readonly RunningWriter[]; maxWaitMs: number }) => void
}

/** The default bound: longer than any import seen on one machine, short enough that a stuck writer is noticed. */
export const DEFAULT_WRITE_WAIT_MS = 15 * 60_000

/** SQLite's own busy handler waits this long per attempt; between attempts the event loop runs (signals, timers). */
const ATTEMPT_MS = 200
const PAUSE_MS = 20

/** The usual busy timeout for statements outside this module's control (raw prepared statements). */
export const BUSY_TIMEOUT_MS = 5000

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/** The runs of other processes still marked running; nothing when the table is not there yet (first migration). */
export function runningWriters(sqlite: BetterSqlite3.Database): RunningWriter[] {
  const host = hostname()
  try {
    const rows = sqlite
      .prepare('select id, collector, source_key, file_name, pid, host, started_at from scan_runs where status = ? order by id')
      .all('running') as { id: number; collector: string; source_key: string; file_name: string | null; pid: number | null; host: string | null; started_at: string }[]
    return rows
      .filter((r) => !(r.pid === process.pid && r.host === host))
      .map((r) => ({ runId: r.id, collector: r.collector, fileName: r.file_name, sourceKey: r.source_key, pid: r.pid, host: r.host, startedAt: r.started_at }))
  } catch {
    return []
  }
}

/** `run 12 (spend-csv brex.csv, pid 4567 on host-a, since 2026-12-02T16:00:00Z)`, joined; or empty. */
export function describeWriters(writers: readonly RunningWriter[]): string {
  return writers
    .map((w) => {
      const what = [w.collector, w.fileName ? basename(w.fileName) : w.sourceKey].filter((s) => s !== '').join(' ')
      const where = w.pid === null ? '' : `, pid ${w.pid}${w.host && w.host !== hostname() ? ` on ${w.host}` : ''}`
      return `run ${w.runId} (${what}${where}, since ${w.startedAt})`
    })
    .join('; ')
}

export class WriteWaitTimeoutError extends Error {
  override readonly name = 'WriteWaitTimeoutError'
}

/**
 * Runs `attempt` (a statement that takes the write lock) until SQLite grants the lock, waiting at most
 * `maxWaitMs`. Each try uses a short busy timeout so the event loop is never blocked for long.
 */
async function untilWriteLock<T>(sqlite: BetterSqlite3.Database, location: string, options: WriteWaitOptions, reported: Set<string>, attempt: () => Promise<T>): Promise<T> {
  const started = Date.now()
  for (;;) {
    const previous = sqlite.pragma('busy_timeout', { simple: true }) as number
    sqlite.pragma(`busy_timeout = ${ATTEMPT_MS}`)
    try {
      return await attempt()
    } catch (error) {
      if (!isBusy(error)) throw error
    } finally {
      sqlite.pragma(`busy_timeout = ${previous}`)
    }
    const writers = runningWriters(sqlite)
    if (Date.now() - started >= options.maxWaitMs) {
      const who = describeWriters(writers)
      throw new WriteWaitTimeoutError(
        `store: another process has been writing to ${location} for more than ${Math.round(options.maxWaitMs / 1000)} s` +
          `${who ? ` (${who})` : ''}; nothing was written, try again once it has finished`,
      )
    }
    const key = writers.map((w) => w.runId).join(',')
    if (!reported.has(key)) {
      reported.add(key)
      options.onWait?.({ location, writers, maxWaitMs: options.maxWaitMs })
    }
    await sleep(PAUSE_MS)
  }
}

/**
 * Kysely's SQLite dialect with writers that wait their turn: every transaction starts `begin immediate` (it takes
 * the write lock at once, so it never fails half-way when a read snapshot cannot be upgraded), and a statement
 * outside a transaction that finds the writer busy is tried again, both up to `maxWaitMs`.
 */
export class WaitingSqliteDialect extends SqliteDialect {
  readonly #sqlite: BetterSqlite3.Database
  readonly #location: string
  readonly #options: WriteWaitOptions

  constructor(sqlite: BetterSqlite3.Database, location: string, options: WriteWaitOptions) {
    super({ database: sqlite })
    this.#sqlite = sqlite
    this.#location = location
    this.#options = options
  }

  override createDriver(): Driver {
    return new WaitingSqliteDriver(super.createDriver(), this.#sqlite, this.#location, this.#options)
  }
}

/**
 * The better-sqlite3 handle under a Kysely instance or transaction opened by `openStore`, or null on PostgreSQL:
 * for bulk paths that run one cached prepared statement many times on the same connection (so they commit or roll
 * back with the caller's transaction) instead of compiling a Kysely query per batch.
 */
export async function sqliteHandleOf(db: { getExecutor(): QueryExecutor }): Promise<BetterSqlite3.Database | null> {
  return db.getExecutor().provideConnection(async (connection) => (connection instanceof WaitingConnection ? connection.sqlite : null))
}

class WaitingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    readonly sqlite: BetterSqlite3.Database,
    private readonly wait: <T>(attempt: () => Promise<T>) => Promise<T>,
  ) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Inside a transaction the lock is already ours (begin immediate); a select never needs it in WAL mode.
    if (this.sqlite.inTransaction || SelectQueryNode.is(compiledQuery.query)) return this.inner.executeQuery<R>(compiledQuery)
    return this.wait(async () => this.inner.executeQuery<R>(compiledQuery))
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize)
  }
}

class WaitingSqliteDriver implements Driver {
  readonly #reported = new Set<string>()
  readonly #wait: <T>(attempt: () => Promise<T>) => Promise<T>
  #connection: WaitingConnection | null = null

  constructor(
    private readonly inner: Driver,
    private readonly sqlite: BetterSqlite3.Database,
    location: string,
    options: WriteWaitOptions,
  ) {
    this.#wait = (attempt) => untilWriteLock(sqlite, location, options, this.#reported, attempt)
  }

  init(): Promise<void> {
    return this.inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection()
    // SQLite has one connection; wrap it once.
    if (this.#connection?.inner !== connection) this.#connection = new WaitingConnection(connection, this.sqlite, this.#wait)
    return this.#connection
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const inner = (connection as WaitingConnection).inner
    // A read-only transaction (a consistent snapshot for a report) needs no write lock and waits for nobody.
    if (settings.accessMode === 'read only') await inner.executeQuery(CompiledQuery.raw('begin'))
    else await this.#wait(async () => inner.executeQuery(CompiledQuery.raw('begin immediate')))
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction((connection as WaitingConnection).inner)
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction((connection as WaitingConnection).inner)
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint!((connection as WaitingConnection).inner, name, compile)
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint!((connection as WaitingConnection).inner, name, compile)
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint!((connection as WaitingConnection).inner, name, compile)
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as WaitingConnection).inner)
  }

  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

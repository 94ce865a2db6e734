import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect } from 'kysely'
import { StoreUnavailableError } from './errors.js'
import type { Database } from './database.js'
import { maskUrl, parseDatabaseUrl, DEFAULT_DATABASE_URL, type DialectName } from './database-url.js'
import { migrateToLatest } from './migrate.js'
import { BUSY_TIMEOUT_MS, DEFAULT_WRITE_WAIT_MS, WaitingSqliteDialect, type WriteWaitOptions } from './sqlite-write-wait.js'

export { DEFAULT_DATABASE_URL, maskUrl, parseDatabaseUrl, type DatabaseTarget, type DialectName } from './database-url.js'

/** The open inventory. `sqlite` is set only on SQLite, for bulk paths that need raw prepared statements. */
export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: DialectName
  /** The URL with any password masked, safe to print. */
  readonly displayUrl: string
  readonly sqlite: BetterSqlite3.Database | null
  close(): Promise<void>
}

export interface OpenStoreOptions {
  /** Run pending migrations on open (default true). */
  migrate?: boolean
  /** SQLite: how long a write waits for another process's write to finish, and what to say while it waits. */
  writeWait?: Partial<WriteWaitOptions>
}

let pgTypesSet = false
function setPgTypeParsers(pg: typeof import('pg').default): void {
  if (pgTypesSet) return
  // int8 (count(*), sum of integers) and numeric would arrive as strings; every value we store fits in 2^53.
  pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10))
  pg.types.setTypeParser(1700, (v: string) => Number.parseFloat(v))
  pgTypesSet = true
}

export async function openStore(url: string = DEFAULT_DATABASE_URL, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(url)
  let store: Store
  if (target.dialect === 'sqlite') {
    if (target.location !== ':memory:') mkdirSync(dirname(resolve(target.location)), { recursive: true })
    let sqlite: BetterSqlite3.Database
    try {
      sqlite = new BetterSqlite3(target.location)
    } catch (cause) {
      throw new Error(`store: open SQLite database ${target.location}: ${(cause as Error).message}`, { cause })
    }
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    sqlite.pragma('synchronous = NORMAL')
    // Imports insert into unique indexes on random ids (event uuids, fingerprints): a larger page cache keeps them in memory.
    sqlite.pragma('cache_size = -131072')
    const writeWait: WriteWaitOptions = { maxWaitMs: options.writeWait?.maxWaitMs ?? DEFAULT_WRITE_WAIT_MS, onWait: options.writeWait?.onWait }
    const db = new Kysely<Database>({ dialect: new WaitingSqliteDialect(sqlite, target.location, writeWait) })
    store = {
      db,
      dialect: 'sqlite',
      displayUrl: target.location,
      sqlite,
      close: () => db.destroy(),
    }
  } else {
    // Loaded only for PostgreSQL: the driver costs every SQLite command ~0.1 s of start-up.
    const [{ default: pg }, { createPostgresPool }] = await Promise.all([import('pg'), import('./postgres-pool.js')])
    setPgTypeParsers(pg)
    const displayUrl = maskUrl(target.location)
    const { pool, probe } = createPostgresPool(target.location, displayUrl)
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    store = { db, dialect: 'postgres', displayUrl, sqlite: null, close: () => db.destroy() }
    try {
      await probe()
    } catch (cause) {
      await db.destroy().catch(() => undefined)
      throw cause instanceof StoreUnavailableError ? cause : new Error(`store: connect to ${displayUrl}: ${(cause as Error).message}`, { cause })
    }
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db)
    } catch (error) {
      await store.close()
      throw error
    }
  }
  return store
}

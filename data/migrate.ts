import { Migrator, PostgresAdapter, sql, type Kysely, type MigrationInfo } from 'kysely'
import { migrations } from './migrations/index.js'

const provider = { getMigrations: async () => migrations }

// Several branches add migrations at once; one merged later may sort before one a database already ran.
// Each migration is self-contained, so running the missing one is safe (Kysely would otherwise refuse to start).
const allowUnorderedMigrations = true

/**
 * On PostgreSQL the bookkeeping tables live in the connection's current schema: Kysely otherwise looks them
 * up across every schema and can find another database's (or test's) tables.
 */
async function migrator(db: Kysely<any>): Promise<Migrator> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return new Migrator({ db, provider, allowUnorderedMigrations })
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  return new Migrator({ db, provider, allowUnorderedMigrations, migrationTableSchema: rows[0]?.schema ?? 'public' })
}

export interface MigrationOutcome {
  applied: string[]
}

/**
 * PostgreSQL 3F000 from Kysely's catalog scan: another client dropped *its* schema while the scan checked
 * privileges by name (concurrent test runs on one database). Nothing of ours is wrong; looking again succeeds.
 */
function isConcurrentSchemaDrop(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '3F000'
}

/**
 * SQLite only: whether the file records every migration as applied, read in one query. Every command opens the
 * store, and the migrator's lock table and transaction cost a start-up ~20–50 ms for nothing. (PostgreSQL keeps the
 * migrator: an unqualified name there could find another schema's bookkeeping on the search path.)
 */
async function sqliteUpToDate(db: Kysely<any>): Promise<boolean> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return false
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    const applied = new Set(rows.map((r) => r.name))
    return Object.keys(migrations).every((name) => applied.has(name))
  } catch {
    return false // no bookkeeping table yet: a new database
  }
}

/** Applies every pending migration; throws with the failing migration's name (migrateToLatest itself does not throw). */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
  if (await sqliteUpToDate(db)) return { applied: [] }
  let attempt = await (await migrator(db)).migrateToLatest()
  for (let retry = 0; retry < 5 && attempt.error && isConcurrentSchemaDrop(attempt.error); retry++) {
    await new Promise((r) => setTimeout(r, 50 * (retry + 1)))
    attempt = await (await migrator(db)).migrateToLatest()
  }
  const { error, results } = attempt
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`store: migrate: ${failed} failed: ${(error as Error).message ?? String(error)}`, { cause: error })
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

/** Migrates up to and including `name` only (used to build older databases in tests). */
export async function migrateTo(db: Kysely<any>, name: string): Promise<MigrationOutcome> {
  const { error, results } = await (await migrator(db)).migrateTo(name)
  if (error) throw new Error(`store: migrate to ${name}: ${(error as Error).message ?? String(error)}`, { cause: error })
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

export async function migrationStatus(db: Kysely<any>): Promise<readonly MigrationInfo[]> {
  return (await migrator(db)).getMigrations()
}

export const LATEST_MIGRATION = Object.keys(migrations).at(-1)!

import { Migrator, type Kysely, type MigrationInfo } from 'kysely'
import { migrations } from './migrations/index.js'

const provider = { getMigrations: async () => migrations }

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider })
}

export interface MigrationOutcome {
  applied: string[]
}

/** Applies every pending migration; throws with the failing migration's name (migrateToLatest itself does not throw). */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
  const { error, results } = await migrator(db).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`store: migrate: ${failed} failed: ${(error as Error).message ?? String(error)}`, { cause: error })
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

/** Migrates up to and including `name` only (used to build older databases in tests). */
export async function migrateTo(db: Kysely<any>, name: string): Promise<MigrationOutcome> {
  const { error, results } = await migrator(db).migrateTo(name)
  if (error) throw new Error(`store: migrate to ${name}: ${(error as Error).message ?? String(error)}`, { cause: error })
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

export async function migrationStatus(db: Kysely<any>): Promise<readonly MigrationInfo[]> {
  return migrator(db).getMigrations()
}

export const LATEST_MIGRATION = Object.keys(migrations).at(-1)!

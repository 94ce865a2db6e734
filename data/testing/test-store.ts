import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openStore, type DialectName, type OpenStoreOptions, type Store } from '../connection.js'

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres']

/** Where store tests find PostgreSQL; each test gets a schema of its own in this database. */
export const TEST_POSTGRES_URL = process.env.SIGHTLINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Disposing twice (an afterEach that sees the previous test's store) must not fail the second time. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null
  return () => (done ??= fn())
}

export interface TestStore {
  store: Store
  /** The URL that opens this same database again (for child processes and reopen tests). */
  url: string
  dispose(): Promise<void>
}

/**
 * A fresh, empty inventory on the given dialect. PostgreSQL being unreachable is an error, never a skip:
 * a store test that silently ran on one dialect would prove nothing about the other.
 */
export async function createTestStore(dialect: DialectName, options: OpenStoreOptions = {}): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-store-'))
    const url = join(dir, 'test.db')
    const store = await openStore(url, options)
    return {
      store,
      url,
      dispose: once(async () => {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      }),
    }
  }
  // Under `npm test` the run's global teardown drops the schemas (see global-setup.ts); run alone, each test drops its own.
  const runPrefix = process.env.SIGHTLINE_TEST_SCHEMA_PREFIX
  const schema = `${runPrefix ?? 'sl_'}${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
  try {
    await admin.connect()
  } catch (cause) {
    throw new Error(
      `test store: PostgreSQL is required for the store tests and is not reachable at ${TEST_POSTGRES_URL} ` +
        `(start it, or set SIGHTLINE_TEST_POSTGRES_URL): ${(cause as Error).message}`,
      { cause },
    )
  }
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const sep = TEST_POSTGRES_URL.includes('?') ? '&' : '?'
  // No parallel workers: a worker restoring this search_path can fail with "schema … does not exist" (3F000,
  // seen in the migrator's catalog queries) while other tests create and drop schemas.
  const url = `${TEST_POSTGRES_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema} -c max_parallel_workers_per_gather=0`)}`
  const store = await openStore(url, options)
  return {
    store,
    url,
    dispose: once(async () => {
      await store.close()
      if (runPrefix) return
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL })
      await cleanup.connect()
      await cleanup.query(`drop schema if exists ${schema} cascade`)
      await cleanup.end()
    }),
  }
}

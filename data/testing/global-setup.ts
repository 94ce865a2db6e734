import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * One schema prefix per test run. Test stores keep their PostgreSQL schemas until the run ends and this
 * teardown drops them all: dropping a schema while another test's migrator scans the catalog makes that scan
 * fail ("schema … does not exist": Kysely's introspection checks privileges by schema name).
 */
export default function setup(): () => Promise<void> {
  const prefix = `sl_${randomBytes(3).toString('hex')}_`
  process.env.SIGHTLINE_TEST_SCHEMA_PREFIX = prefix
  return async () => {
    const url = process.env.SIGHTLINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
    const client = new pg.Client({ connectionString: url })
    try {
      await client.connect()
    } catch {
      return // no PostgreSQL: the store tests have already failed and said why
    }
    try {
      const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where starts_with(nspname, $1)', [prefix])
      for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`)
    } finally {
      await client.end()
    }
  }
}

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createTestStore, TEST_POSTGRES_URL, type TestStore } from '../../data/testing/test-store.js'
import { writeBrexStatement } from '../bench/spend.js'

const CLI = fileURLToPath(new URL('../bin/sightline.js', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'sightline-lost-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** The lines a person reads: the CLI's own, not progress lines. */
const ownLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('sightline: ') || /^\s+at /.test(l) || /Error|node:/.test(l))

describe('case 10: a lost PostgreSQL connection mid-command prints a stack trace', () => {
  let t: TestStore
  afterEach(async () => t?.dispose())

  it('should end with one clear line and exit code 6 when the server ends the connection mid-import, and leave the run failed', async () => {
    t = await createTestStore('postgres')
    const file = join(scratch, 'statement.csv')
    writeBrexStatement(file, 60_000, 7)
    const schema = decodeURIComponent(t.url).match(/search_path=(\S+)/)![1]!
    const running = runCli(['--db', t.url, 'import', 'spend', file])

    // Once the import is inside its transaction (its lock on spend_transactions), the server ends its connection.
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await admin.connect()
    try {
      let terminated = 0
      for (let i = 0; i < 6000 && terminated === 0; i++) {
        const r = await admin.query(
          `select count(pg_terminate_backend(l.pid))::int as n from pg_locks l where l.relation = to_regclass($1) and l.granted and l.mode = 'RowExclusiveLock'`,
          [`${schema}.spend_transactions`],
        )
        terminated = (r.rows[0] as { n: number }).n
        if (terminated === 0) await sleep(20)
      }
      expect(terminated, 'the import never started writing').toBeGreaterThan(0)
    } finally {
      await admin.end()
    }
    const r = await running
    expect(r.code, r.stderr).toBe(6)
    const lines = ownLines(r.stderr)
    expect(lines, r.stderr).toHaveLength(1)
    // Which of the three the client sees depends on where the socket was when the backend went: the server's notice,
    // node-postgres's "terminated", or the reset of a write in flight.
    expect(lines[0]).toMatch(/^sightline: store: lost the connection to postgres:\/\/postgres@127\.0\.0\.1:5432\/test.*: (terminating connection due to administrator command|Connection terminated unexpectedly|read ECONNRESET)$/)

    // The server is still up, so the run is marked failed at once, with the reason, and nothing was half-imported.
    const runs = await t.store.db.selectFrom('scan_runs').select(['status', 'error']).execute()
    expect(runs).toEqual([{ status: 'failed', error: expect.stringMatching(/lost the connection/) }])
    const n = await t.store.db.selectFrom('spend_transactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(0)
  }, 240_000)

  it('should say in one line, exit code 6, that a server on a closed port cannot be reached', async () => {
    const r = await runCli(['--db', 'postgres://sightline:s3cret-password@127.0.0.1:1/none', 'stats'])
    expect(r.code).toBe(6)
    expect(r.stderr).toBe('sightline: store: cannot reach postgres://sightline:***@127.0.0.1:1/none: connect ECONNREFUSED 127.0.0.1:1\n')
  }, 60_000)
})

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import type { DialectName } from '../../data/connection.js'
import { createTestStore, DIALECTS, TEST_POSTGRES_URL, type TestStore } from '../../data/testing/test-store.js'

const CLI = fileURLToPath(new URL('../../scripts/bin/sightline.js', import.meta.url))
const ROWS = 30_000

function writeRoster(dir: string): string {
  const path = join(dir, 'big-roster.csv')
  const lines = ['Employee #,First Name,Last Name,Work Email,Department,Job Title,Hire Date']
  for (let i = 0; i < ROWS; i++) lines.push(`${100000 + i},First${i},Last${i},person${i}@northwind.example,Dept ${i % 17},Title ${i % 11},2020-01-${String((i % 28) + 1).padStart(2, '0')}`)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

function runCli(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })))
  return { child, done }
}

/**
 * Returns once the importing process is seen inside its one write transaction (PostgreSQL: its lock on people;
 * SQLite: a probe is refused the write lock), so the kill lands mid-write without a guessed delay.
 */
async function holdImportMidWrite(dialect: DialectName, t: TestStore, runId: number): Promise<() => Promise<void>> {
  if (dialect === 'postgres') {
    // The import's transaction holds a row-exclusive lock on people from its first insert to its commit.
    const schema = decodeURIComponent(t.url).match(/search_path=(\S+)/)![1]!
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await client.connect()
    try {
      for (let i = 0; ; i++) {
        const r = await client.query(`select count(*)::int as n from pg_locks where relation = to_regclass($1) and mode = 'RowExclusiveLock' and granted`, [`${schema}.people`])
        if ((r.rows[0] as { n: number }).n > 0) break
        if (i > 4800) throw new Error('the import never started writing people')
        await sleep(10)
      }
    } finally {
      await client.end()
    }
    return async () => undefined
  }
  const probe = new BetterSqlite3(t.url, { timeout: 0 })
  try {
    for (let i = 0; ; i++) {
      try {
        probe.exec('begin immediate')
        probe.exec('rollback')
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_BUSY') break
        throw error
      }
      if (i > 2400) throw new Error('the import never took the write lock')
      await sleep(10)
    }
  } finally {
    probe.close()
  }
  return async () => undefined
}

for (const dialect of DIALECTS) {
  describe(`sightline import people killed mid-file [${dialect}]`, () => {
    let t: TestStore
    let dir: string
    afterEach(async () => {
      await t?.dispose()
      rmSync(dir, { recursive: true, force: true })
    })

    it('should leave the database consistent and import exactly once on the re-run', async () => {
      t = await createTestStore(dialect)
      dir = mkdtempSync(join(tmpdir(), 'sightline-kill-'))
      const roster = writeRoster(dir)
      const countPeople = async () => Number((await t.store.db.selectFrom('people').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

      const first = runCli(['--db', t.url, 'import', 'people', roster])
      let runId: number | undefined
      for (let i = 0; i < 2400 && runId === undefined; i++) {
        const run = await t.store.db.selectFrom('scan_runs').select(['id', 'status']).where('collector', '=', 'hr').executeTakeFirst()
        if (run?.status === 'running') runId = run.id
        else await sleep(25)
      }
      expect(runId, 'the import never recorded its run').toBeDefined()
      // Kill it only once it is seen inside its write transaction, never after a guessed delay.
      const release = await holdImportMidWrite(dialect, t, runId!)
      first.child.kill('SIGKILL')
      const killed = await first.done
      await release()
      expect(killed.signal).toBe('SIGKILL')

      // Nothing half-imported: one transaction per file.
      expect(await countPeople()).toBe(0)

      const second = runCli(['--db', t.url, 'import', 'people', '--json', roster])
      let stdout = ''
      second.child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
      const finished = await second.done
      expect(finished.code, finished.stderr).toBe(0)
      expect(JSON.parse(stdout)).toMatchObject({ read: ROWS, imported: ROWS, inserted: ROWS, duplicates: 0, rejected: 0, status: 'completed' })
      expect(await countPeople()).toBe(ROWS)
      const runs = await t.store.db.selectFrom('scan_runs').select(['status']).where('collector', '=', 'hr').orderBy('id').execute()
      expect(runs.map((r) => r.status)).toEqual(['interrupted', 'completed'])
    }, 240_000)
  })
}

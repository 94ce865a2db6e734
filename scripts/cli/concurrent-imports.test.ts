import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../../data/connection.js'
import { writeBrexStatement } from '../bench/spend.js'

const CLI = fileURLToPath(new URL('../bin/sightline.js', import.meta.url))
const ROWS = 100_000
const scratch = mkdtempSync(join(tmpdir(), 'sightline-concurrent-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

function startCli(args: string[], env: NodeJS.ProcessEnv = {}): { pid: number; done: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  return { pid: child.pid!, done }
}

describe('case 8: a second concurrent SQLite import fails with database is locked', () => {
  it('should make the second import wait its turn with one visible line, and both import all their rows', async () => {
    const db = join(scratch, 'two.db')
    const files = [join(scratch, 'first.csv'), join(scratch, 'second.csv')]
    // Each import holds the writer for seconds (longer than SQLite's busy timeout), so the two started together overlap.
    writeBrexStatement(files[0]!, ROWS, 1)
    writeBrexStatement(files[1]!, ROWS, 2)
    // Both processes find a migrated inventory, so the race is between the imports, not the migrations.
    await (await openStore(db)).close()

    const runs = files.map((f) => startCli(['--db', db, 'import', 'spend', '--json', f]))
    const finished = await Promise.all(runs.map((r) => r.done))

    for (const f of finished) expect(f.code, f.stderr).toBe(0)
    const results = finished.map((f) => JSON.parse(f.stdout) as { read: number; imported: number; duplicates: number; rejected: number; status: string })
    for (const r of results) {
      expect(r).toMatchObject({ read: ROWS, rejected: 0, status: 'completed' })
      // The generator reuses line ids across seeds, so whichever file goes second finds many of its lines already there.
      expect(r.imported + r.duplicates).toBe(ROWS)
    }
    // Exactly one of them waited, once, and named the other: its run, file and process.
    const waiting = finished.map((f) => f.stderr.split('\n').filter((l) => l.includes('waiting for another import')))
    expect(waiting.flat(), finished.map((f) => f.stderr).join('\n---\n')).toHaveLength(1)
    const waiter = waiting[0]!.length === 1 ? 0 : 1
    const other = 1 - waiter
    expect(waiting[waiter]![0]).toContain(`pid ${runs[other]!.pid}`)
    expect(waiting[waiter]![0]).toMatch(new RegExp(`run \\d+ \\(spend ${basename(files[other]!).replace('.', '\\.')}`))

    const store = await openStore(db)
    try {
      const n = await store.db.selectFrom('spend_transactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(Number(n.n)).toBe(results[0]!.imported + results[1]!.imported)
      const statuses = await store.db.selectFrom('scan_runs').select('status').where('collector', '=', 'spend').execute()
      expect(statuses.map((r) => r.status)).toEqual(['completed', 'completed'])
    } finally {
      await store.close()
    }
  }, 300_000)

  it('should give up with one clear line once the wait passes its bound, and write nothing', async () => {
    const db = join(scratch, 'held.db')
    const small = join(scratch, 'held.csv')
    writeBrexStatement(small, 500, 3)
    await (await openStore(db)).close()
    // Another writer that never lets go (within the bound): a connection holding the write lock.
    const holder = new BetterSqlite3(db)
    holder.exec('begin immediate')
    try {
      const run = startCli(['--db', db, 'import', 'spend', small], { SIGHTLINE_WRITE_WAIT_SECONDS: '2' })
      const r = await run.done
      expect(r.code).toBe(1)
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('sightline: '))
      expect(errors, r.stderr).toHaveLength(2)
      expect(errors[0]).toContain('waiting for another')
      expect(errors[1]).toMatch(/another process has been writing to .*held\.db for more than 2 s/)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    } finally {
      holder.exec('rollback')
      holder.close()
    }
    const check = new BetterSqlite3(db, { readonly: true })
    try {
      expect(check.prepare('select count(*) as n from spend_transactions').get()).toEqual({ n: 0 })
    } finally {
      check.close()
    }
  }, 120_000)
})

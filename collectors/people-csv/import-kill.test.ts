import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'

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
      // Wait until the import has recorded its run and is writing, then kill it without warning.
      for (let i = 0; i < 600; i++) {
        const run = await t.store.db.selectFrom('scan_runs').select('status').where('collector', '=', 'hr').executeTakeFirst()
        if (run?.status === 'running') break
        await sleep(25)
      }
      await sleep(400)
      first.child.kill('SIGKILL')
      const killed = await first.done
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
    })
  })
}

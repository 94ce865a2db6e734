import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { registerImportPeople } from './import-people.js'

const REPORT = fileURLToPath(new URL('../../../collectors/people-csv/fixtures/bamboohr-report.csv', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'people-cli-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** `sightline import people …` in-process: what it printed on stdout and stderr, and the exit code it set. */
async function cli(args: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const program = new Command().exitOverride().option('--db <url>')
  registerImportPeople(program.command('import'))
  let stdout = ''
  let stderr = ''
  const realOut = process.stdout.write.bind(process.stdout)
  const realErr = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write
  process.exitCode = 0
  try {
    await program.parseAsync([...args], { from: 'user' })
  } finally {
    process.stdout.write = realOut
    process.stderr.write = realErr
  }
  const exitCode = Number(process.exitCode ?? 0)
  process.exitCode = 0
  return { stdout, stderr, exitCode }
}

for (const dialect of DIALECTS) {
  describe(`sightline import people [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('case 7: --map before the file argument should not swallow the file', async () => {
      t = await createTestStore(dialect)
      const r = await cli(['--db', t.url, 'import', 'people', '--map', 'status=Employment Status', REPORT, '--json'])
      expect(r.exitCode).toBe(1)
      // The file was read (not "missing required argument"): the mapped column holds a word that is not a status.
      expect(JSON.parse(r.stdout).error).toMatch(/--map status="Employment Status": 1 value\(s\) .* "Sabbatical Pending"/)
      const ok = await cli(['--db', t.url, 'import', 'people', '--map', 'email=Work Email', '--map', 'department=Department', REPORT, '--json'])
      expect(ok.exitCode).toBe(0)
      expect(JSON.parse(ok.stdout)).toMatchObject({ read: 7, imported: 7, rejected: 0 })
    })

    it('case 1: should keep BambooHR leavers as terminated people, warn on the unknown word, and exit 0', async () => {
      t = await createTestStore(dialect)
      const r = await cli(['--db', t.url, 'import', 'people', REPORT])
      expect(r.exitCode).toBe(0)
      expect(r.stdout).toContain('read 7, imported 7')
      expect(r.stderr + r.stdout).toContain('line 7: field Employment Status: unknown employment type "Sabbatical Pending"')
      const people = await t.store.db.selectFrom('people').select(['email', 'status']).where('status', '=', 'terminated').orderBy('email').execute()
      expect(people.map((p) => p.email)).toEqual(['hannah.berg@lumen.example', 'marcus.okafor@lumen.example', 'tomas.ruiz@lumen.example'])
    })

    it('case 1: should import nothing and exit non-zero when too many rows are bad', async () => {
      t = await createTestStore(dialect)
      const path = join(scratch, `bad-${dialect}.csv`)
      writeFileSync(path, 'Work Email,Name\na@x.example,A\nnot-an-email,B\n,C\nd@x.example,D\n')
      const r = await cli(['--db', t.url, 'import', 'people', path])
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toMatch(/2 of 4 rows rejected \(50\.0%\), more than the reject threshold of 20\.0%; nothing was imported/)
      expect(await t.store.db.selectFrom('people').select('id').execute()).toEqual([])
      const run = await t.store.db.selectFrom('scan_runs').select(['status']).where('collector', '=', 'hr').executeTakeFirstOrThrow()
      expect(run.status).toBe('failed')
    })
  })
}

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { formatMinor } from '../../../data/money.js'
import { expandFileArgs, profilePath, registerSpend } from './spend.js'

const FIXTURES = join(import.meta.dirname, '../../../collectors/spend-csv/fixtures')
const scratch = mkdtempSync(join(tmpdir(), 'spend-cli-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Runs the spend commands as the CLI wires them and returns what they printed and the exit code they set. */
async function cli(args: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const program = new Command().exitOverride().option('--db <url>')
  const importCmd = program.command('import')
  registerSpend(program, importCmd)
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

describe('expandFileArgs', () => {
  const dir = join(scratch, 'glob')
  mkdirSync(join(dir, 'sub'), { recursive: true })
  for (const f of ['a.csv', 'b.csv', 'notes.txt', '.hidden.csv', 'sub/c.csv']) writeFileSync(join(dir, f), '')

  it('should expand * and ** in sorted order, skipping hidden files and directories', () => {
    expect(expandFileArgs([`${dir}/*.csv`])).toEqual([`${dir}/a.csv`, `${dir}/b.csv`])
    expect(expandFileArgs([`${dir}/**/*.csv`])).toEqual([`${dir}/a.csv`, `${dir}/b.csv`, `${dir}/sub/c.csv`])
    expect(expandFileArgs(['glob/[ab].csv', 'glob/notes.tx?'], scratch)).toEqual(['glob/a.csv', 'glob/b.csv', 'glob/notes.txt'])
  })

  it('should keep plain paths as given and refuse a glob that matches nothing', () => {
    expect(expandFileArgs(['missing.csv'])).toEqual(['missing.csv'])
    expect(() => expandFileArgs([`${dir}/*.xlsx`])).toThrow(`import spend: no files match ${dir}/*.xlsx`)
  })
})

describe('formatMinor and profilePath', () => {
  it('should print minor units in the currency exponent', () => {
    expect([formatMinor(123456, 'USD'), formatMinor(-5, 'EUR'), formatMinor(1200, 'JPY'), formatMinor(-1234, 'KWD')]).toEqual(['1234.56', '-0.05', '1200', '-1.234'])
  })
  it('should read a bare name as a saved profile and anything path-like as a file', () => {
    expect(profilePath('acme-bank', '/p')).toBe('/p/acme-bank.json')
    expect(profilePath('./x.json', '/p')).toBe('./x.json')
  })
})

for (const dialect of DIALECTS) {
  describe(`sightline import spend / spend summary [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should import several files from a glob once each, then report spend per app', async () => {
      t = await createTestStore(dialect)
      const dir = mkdtempSync(join(scratch, 'files-'))
      copyFileSync(join(FIXTURES, 'brex.csv'), join(dir, 'brex.csv'))
      copyFileSync(join(FIXTURES, 'ramp.csv'), join(dir, 'ramp.csv'))
      const first = await cli(['--db', t.url, 'import', 'spend', `${dir}/*.csv`, '--json', '--rejects-dir', dir])
      expect(first.exitCode).toBe(0)
      const summaries = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(summaries.map((s) => [s.layout, s.read, s.imported, s.duplicates, s.rejected])).toEqual([
        ['brex', 6, 5, 0, 0],
        ['ramp', 4, 4, 0, 0],
      ])
      const again = await cli(['--db', t.url, 'import', 'spend', join(dir, 'brex.csv')])
      expect(again.stdout).toBe(`${join(dir, 'brex.csv')}: layout brex: read 6, imported 0, duplicates 5, rejected 0, skipped 1 (payment 1)\n`)

      const report = await cli(['--db', t.url, 'spend', 'summary', '--by', 'app', '--format', 'csv'])
      const lines = report.stdout.trim().split('\n')
      expect(lines[0]).toBe('app,currency,total,transactions,months,covered_months,monthly_run_rate,annual_run_rate,first_date,last_date')
      // Each statement covers days of October, under one billing cycle, so it counts as one month:
      // Zoom's 2999.80 is 2999.80 a month.
      expect(lines).toContain('Zoom,USD,2999.80,2,1,1,2999.80,35997.60,2026-10-03,2026-10-03')
      expect(lines).toContain('Miro,EUR,1234.56,1,1,1,1234.56,14814.72,2026-10-04,2026-10-04')
      // format.ts guards every cell starting with "-" against spreadsheet formulas, negative amounts included.
      expect(lines).toContain('Atlassian Cloud,USD,-45.00,1,1,1,-45.00,-540.00,2026-10-05,2026-10-05')
    })

    it('should explain an unknown layout and go on with the other files', async () => {
      t = await createTestStore(dialect)
      const result = await cli(['--db', t.url, 'import', 'spend', join(FIXTURES, 'unknown-layout.csv'), join(FIXTURES, 'amex.csv'), '--json'])
      expect(result.exitCode).toBe(1)
      const [bad, good] = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { error?: string; imported?: number })
      expect(bad!.error).toMatch(/headers found: "When", "Who", "What", "HowMuch"; known layouts: .*--mapping/)
      expect(good!.imported).toBe(4)
    })

    it('should save the inferred mapping of a plain bank export as a profile, and reuse it by name', async () => {
      t = await createTestStore(dialect)
      const profiles = mkdtempSync(join(scratch, 'profiles-'))
      const previous = process.env.SIGHTLINE_PROFILE_DIR
      process.env.SIGHTLINE_PROFILE_DIR = profiles
      try {
        const first = await cli(['--db', t.url, 'import', 'spend', join(FIXTURES, 'bank-plain.csv'), '--save-profile', 'my-bank', '--json'])
        expect(first.exitCode).toBe(0)
        expect(JSON.parse(first.stdout.trim())).toMatchObject({ layout: 'inferred', columns: { date: 'Date', merchant: 'Description', amount: 'Amount' }, sign: 'purchase-negative', imported: 4 })
        expect(JSON.parse(readFileSync(join(profiles, 'my-bank.json'), 'utf8'))).toEqual({ name: 'my-bank', mapping: { date: 'Date', merchant: 'Description', amount: 'Amount' }, sign: 'purchase-negative' })
        const reused = await cli(['--db', t.url, 'import', 'spend', join(FIXTURES, 'bank-plain.csv'), '--profile', 'my-bank'])
        expect(reused.stdout).toMatch(/layout generic: read 4, imported 0, duplicates 4/)
      } finally {
        if (previous === undefined) delete process.env.SIGHTLINE_PROFILE_DIR
        else process.env.SIGHTLINE_PROFILE_DIR = previous
      }
    })

    it('should exit 1 when every row of a statement is skipped, naming the kind (in --json too)', async () => {
      t = await createTestStore(dialect)
      const dir = mkdtempSync(join(scratch, 'skipped-'))
      const lines = readFileSync(join(FIXTURES, 'paypal-activity.csv'), 'utf8').split('\n')
      writeFileSync(join(dir, 'transfers.csv'), [lines[0], lines[2], lines[7]].join('\n'))
      const result = await cli(['--db', t.url, 'import', 'spend', join(dir, 'transfers.csv'), '--json'])
      expect(result.exitCode).toBe(1)
      expect(JSON.parse(result.stdout.trim())).toMatchObject({ read: 2, imported: 0, skipped: 2, error: 'nothing imported: 2 of 2 records: skipped: transfer' })
      const plain = await cli(['--db', t.url, 'import', 'spend', join(dir, 'transfers.csv')])
      expect(plain.exitCode).toBe(1)
      expect(plain.stdout).toMatch(/read 2, imported 0, duplicates 0, rejected 0, skipped 2 \(transfer 2\)/)
      expect(plain.stderr).toMatch(/sightline: import spend: .*transfers\.csv: nothing imported: 2 of 2 records: skipped: transfer/)
    })

    it('should save a mapping as a named profile and import with it by name', async () => {
      t = await createTestStore(dialect)
      const profiles = mkdtempSync(join(scratch, 'profiles-'))
      const previous = process.env.SIGHTLINE_PROFILE_DIR
      process.env.SIGHTLINE_PROFILE_DIR = profiles
      try {
        const file = join(FIXTURES, 'generic-direction.csv')
        const saved = await cli(['--db', t.url, 'import', 'spend', file, '--mapping', 'date=Posted,merchant=Merchant,amount=Amount,direction=Dr/Cr,card=Card', '--save-profile', 'card-bank', '--currency', 'usd'])
        expect(saved.exitCode).toBe(0)
        expect(saved.stdout).toMatch(/layout generic: read 3, imported 3/)
        expect(JSON.parse(readFileSync(join(profiles, 'card-bank.json'), 'utf8'))).toMatchObject({ name: 'card-bank', currency: 'USD', mapping: { date: 'Posted', direction: 'Dr/Cr' } })
        const reused = await cli(['--db', t.url, 'import', 'spend', file, '--profile', 'card-bank'])
        expect(reused.stdout).toMatch(/layout generic: read 3, imported 0, duplicates 3/)
        expect(existsSync(join(profiles, 'card-bank.json'))).toBe(true)
      } finally {
        if (previous === undefined) delete process.env.SIGHTLINE_PROFILE_DIR
        else process.env.SIGHTLINE_PROFILE_DIR = previous
      }
    })
  })
}

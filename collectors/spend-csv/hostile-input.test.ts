// Issue 13's hostile-but-fair spend files, one case each, on both dialects: nothing lost, nothing doubled, nothing misread.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { importSpendFile, type SpendImportOptions } from './import-spend.js'

const scratch = mkdtempSync(join(tmpdir(), 'spend-hostile-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const resolver = createResolver({ entries: loadCatalog().entries })
const NOW = () => new Date('2026-11-28T12:00:00.000Z')

const HEADER =
  'Swipe Date (UTC),Posted Date,Type,Amount,Outstanding Balance,User,Department,Location,Transaction Source,Statement Descriptor,Merchant Name,Brex Category,Integration Category,Last 4,Memo,Id'
function row(day: number, amount: string, descriptor: string, options: { date?: string; user?: string } = {}): string {
  const date = options.date ?? `2026-10-${String(day).padStart(2, '0')}`
  return `${date},${date},Transaction,${amount},0.00,${options.user ?? 'Dana Whitfield'},Engineering,SF,Card,${descriptor},,Software,,4417,,id_${day}_${descriptor.length}`
}
/** `rows` good rows (distinct ids and amounts) for the file to be mostly fine. */
function goodRows(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => row(1 + ((from + i) % 28), `${from + i}.00`, `FIGMA ${from + i}`))
}
let fileCounter = 0
/** A directory of its own per file, so rejects reports of different tests never meet. */
function writeFile(name: string, content: string | Buffer): string {
  const dir = join(scratch, `f${++fileCounter}`)
  mkdirSync(dir)
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

for (const dialect of DIALECTS) {
  describe(`hostile spend files [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())
    const options = (extra: Partial<SpendImportOptions> = {}): SpendImportOptions => ({ resolver, now: NOW, rejectThreshold: 0.5, ...extra })
    const amounts = async () =>
      (await t.store.db.selectFrom('spend_transactions').select(['source_line', 'amount_minor', 'posted_on', 'merchant_raw', 'cardholder']).orderBy('source_line').execute())

    it('case 2: amounts with letters, exponents or hex are rejected with file, line and field', async () => {
      t = await createTestStore(dialect)
      const path = writeFile('amounts.csv', [HEADER, ...goodRows(5), row(10, '-2E+04', 'LOOM'), row(11, '-1.5e2', 'LOOM'), row(12, '0x10', 'LOOM'), row(13, '25.00 CR', 'LOOM'), ''].join('\n'))
      const summary = await importSpendFile(t.store, path, options())
      expect(summary.errors).toEqual([
        'amounts.csv: line 7: field amount: letter inside the number',
        'amounts.csv: line 8: field amount: letter inside the number',
        'amounts.csv: line 9: field amount: letter inside the number',
      ])
      expect(summary).toMatchObject({ imported: 6, rejected: 3 })
      expect((await amounts()).map((r) => r.amount_minor).filter((a) => a < 0)).toEqual([-2500])
    })

    it('case 3: impossible and placeholder dates are rejected; a date far outside the file range is flagged', async () => {
      t = await createTestStore(dialect)
      const dates = ['2026-02-30', '0001-01-01', '9999-12-31']
      const lines = [HEADER, ...goodRows(20), ...dates.map((d, i) => row(1, `7${i}.00`, 'LOOM', { date: d })), row(1, '80.00', 'MIRO', { date: '2062-10-05' }), '']
      const summary = await importSpendFile(t.store, writeFile('dates.csv', lines.join('\n')), options())
      expect(summary.errors).toEqual([
        'dates.csv: line 22: field date: no such day: 2026-02-30',
        'dates.csv: line 23: field date: year 1 is outside 1970–2199',
        'dates.csv: line 24: field date: year 9999 is outside 1970–2199',
      ])
      expect(summary.warnings).toEqual(["dates.csv: line 25: date 2062-10-05 is far outside the file's other dates"])
      const stored = await amounts()
      expect(stored).toHaveLength(21)
      expect(stored.every((r) => /^(2026|2062)-\d\d-\d\d$/.test(r.posted_on))).toBe(true)
    })

    it('case 4: valid UTF-8 with one stray byte stays UTF-8, rejects only that line, and the corrected file adds only it', async () => {
      t = await createTestStore(dialect)
      const names = Array.from({ length: 20 }, (_, i) => `Zoë Łukasz-Müller ${i}`)
      const lines = names.map((name, i) => row(1 + i, `${i + 1}.50`, 'NOTION', { user: name }))
      const good = `${[HEADER, ...lines].join('\n')}\n`
      // One byte of the 8th row's name replaced by 0xE9 (an "é" in Windows-1252, not UTF-8).
      const bytes = Buffer.from(good)
      const at = bytes.indexOf(Buffer.from('Zoë Łukasz-Müller 7')) + 1
      const bad = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe9]), bytes.subarray(at + 2)])
      const first = await importSpendFile(t.store, writeFile('names.csv', bad), options())
      expect(first.errors).toEqual(['names.csv: line 9: field row: bytes that are not valid UTF-8 in column 6 (User) (the rest of the file is UTF-8)'])
      expect(first.warnings).toEqual(['names.csv: read as UTF-8; 1 rows held bytes that are not UTF-8 and were rejected'])
      expect(first).toMatchObject({ imported: 19, rejected: 1 })
      const firstNames = (await amounts()).map((r) => r.cardholder)
      expect(firstNames).toEqual(names.filter((_, i) => i !== 7))
      const corrected = await importSpendFile(t.store, writeFile('names-fixed.csv', good), options())
      expect(corrected).toMatchObject({ imported: 1, duplicates: 19, rejected: 0 })
      expect((await amounts()).map((r) => r.cardholder).sort()).toEqual([...names].sort())
    })

    it('case 5: a cut last row is rejected as truncated, the summary says the file looks cut, and the full file adds it once', async () => {
      t = await createTestStore(dialect)
      const full = [HEADER, ...goodRows(5), row(20, '10.99', 'RETOOL')].join('\n')
      const cut = full.slice(0, full.indexOf('10.99') + 3) // "…,10." and no line ending
      const partial = await importSpendFile(t.store, writeFile('cut.csv', cut), options())
      expect(partial.errors).toEqual(['cut.csv: line 7: field row: the last row has 4 of 16 fields and no line ending: the file looks cut off (download it again)'])
      expect(partial.warnings).toEqual(['cut.csv: the file looks cut off: its last row has no line ending and too few fields (rejected); download it again'])
      expect(partial).toMatchObject({ imported: 5, rejected: 1 })
      const complete = await importSpendFile(t.store, writeFile('full.csv', full), options())
      expect(complete).toMatchObject({ imported: 1, duplicates: 5, rejected: 0, warnings: [] })
      expect((await amounts()).filter((r) => r.merchant_raw === 'RETOOL').map((r) => r.amount_minor)).toEqual([1099])
    })

    it('case 11: a 5 MB field is rejected and neither the message, the stored run nor the report holds 5 MB', async () => {
      t = await createTestStore(dialect)
      const huge = 'A'.repeat(5 * 1024 * 1024)
      const path = writeFile('huge.csv', [HEADER, ...goodRows(5), row(9, '9.00', huge), ''].join('\n'))
      const summary = await importSpendFile(t.store, path, options())
      expect(summary.errors).toEqual(['huge.csv: line 7: field row: column 10 (Statement Descriptor) is 5242880 characters long, more than the 10000 allowed'])
      expect(summary.imported).toBe(5)
      const run = await t.store.db.selectFrom('scan_runs').select(['item_errors', 'error']).where('id', '=', summary.runId).executeTakeFirstOrThrow()
      expect(run.item_errors.length).toBeLessThan(1000)
      const report = readFileSync(summary.rejectsReport!, 'utf8')
      expect(report.length).toBeLessThan(1000)
      expect(report).toContain('(5242680 more characters)')
      const longest = await t.store.db.selectFrom('spend_transactions').select('merchant_raw').execute()
      expect(Math.max(...longest.map((r) => r.merchant_raw.length))).toBeLessThan(100)
    })

    it('case 12: a NUL byte rejects its row in the reader, the same on both dialects, naming file, line and column', async () => {
      t = await createTestStore(dialect)
      const path = writeFile('nul.csv', [HEADER, ...goodRows(5), row(9, '9.00', 'SLA\0CK'), ''].join('\n'))
      const summary = await importSpendFile(t.store, path, options())
      expect(summary.errors).toEqual(['nul.csv: line 7: field row: column 10 (Statement Descriptor) holds a NUL byte'])
      expect(summary).toMatchObject({ imported: 5, rejected: 1, status: 'partial' })
    })

    it('case 14: the rejects report goes next to the input or to the named directory, mode 0600, never through a planted symlink', async () => {
      t = await createTestStore(dialect)
      const path = writeFile('report.csv', [HEADER, ...goodRows(5), row(9, 'ten', 'LOOM'), ''].join('\n'))
      const first = await importSpendFile(t.store, path, options())
      expect(first.rejectsReport).toBe(`${path}.rejects.csv`)
      expect(statSync(first.rejectsReport!).mode & 0o777).toBe(0o600)
      // Our own old report is replaced by the next import's.
      const again = await importSpendFile(t.store, path, options())
      expect(again.rejectsReport).toBe(`${path}.rejects.csv`)

      // Someone plants a symlink where the report would go: its target is left alone, the report goes beside it.
      const victim = join(scratch, 'victim.txt')
      writeFileSync(victim, 'precious\n')
      const named = join(scratch, `named-${dialect}`)
      mkdirSync(named)
      symlinkSync(victim, join(named, 'report.csv.rejects.csv'))
      const redirected = await importSpendFile(t.store, path, options({ rejectsDir: named }))
      expect(readFileSync(victim, 'utf8')).toBe('precious\n')
      expect(readlinkSync(join(named, 'report.csv.rejects.csv'))).toBe(victim)
      expect(redirected.rejectsReport).toBe(join(named, 'report.csv-2.rejects.csv'))
      expect(lstatSync(redirected.rejectsReport!).isFile()).toBe(true)
      expect(statSync(redirected.rejectsReport!).mode & 0o777).toBe(0o600)
      expect(readFileSync(redirected.rejectsReport!, 'utf8')).toContain('report.csv,7,amount')
      expect(existsSync(join(tmpdir(), 'report.csv.rejects.csv'))).toBe(false)
    })
  })
}

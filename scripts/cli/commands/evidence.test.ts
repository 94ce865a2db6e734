import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedEvidenceStore } from '../../../data/evidence/testing/seed.js'
import { createTestStore, type TestStore } from '../../../data/testing/test-store.js'
import { runCli as runTestCli } from '../testing/run-cli.js'
import { registerEvidence, registerExport } from './evidence.js'

const runCli = (url: string, args: string[]) =>
  runTestCli(url, args, (program) => {
    registerExport(program)
    registerEvidence(program)
  })

describe('sightline export evidence, export inventory, evidence verify', () => {
  let t: TestStore | undefined
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-evidence-cli-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(async () => {
    delete process.env.SIGHTLINE_EVIDENCE_SIGNING_KEY
    await t?.dispose()
    t = undefined
  })

  it('should write a signed zip whose PDF renders to pages, which unzip accepts and verify passes', async () => {
    t = await createTestStore('sqlite')
    await seedEvidenceStore(t.store.db)
    const keys = generateKeyPairSync('ed25519')
    const keyFile = join(dir, 'signing.pem')
    writeFileSync(keyFile, keys.privateKey.export({ format: 'pem', type: 'pkcs8' }))
    const pubFile = join(dir, 'public.pem')
    writeFileSync(pubFile, keys.publicKey.export({ format: 'pem', type: 'spki' }))
    process.env.SIGHTLINE_EVIDENCE_SIGNING_KEY = keyFile
    const zip = join(dir, 'q3.zip')

    const exported = await runCli(t.url, ['export', 'evidence', '--period', '2026-Q3', '--out', zip])
    expect(exported.stdout).toMatch(/^export evidence: wrote .*q3\.zip: 11 files, 2 audit events, manifest SHA-256 [0-9a-f]{64}, signed\n$/)

    // standard tools open it
    expect(execFileSync('unzip', ['-t', zip], { encoding: 'utf8' })).toContain('No errors detected in compressed data')
    const out = join(dir, 'unzipped')
    execFileSync('unzip', ['-q', zip, '-d', out])
    // the PDF is a real, multi-section document: text out of it, and pages rendered to PNG
    const pdf = join(out, 'report.pdf')
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    for (const phrase of ['Access evidence — 2026-Q3', 'Controls this package supports', 'SOC 2 CC6.2', 'A.8.2', 'Population and its completeness', 'lee@acme.example', 'How to check this package']) expect(text).toContain(phrase)
    execFileSync('pdftoppm', ['-r', '50', '-png', pdf, join(dir, 'page')])
    const pages = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f))
    expect(pages.length).toBeGreaterThanOrEqual(2)
    for (const page of pages) expect(statSync(join(dir, page)).size).toBeGreaterThan(5_000)

    const verified = await runCli(t.url, ['evidence', 'verify', zip, '--public-key', pubFile])
    expect(verified).toEqual({ stdout: expect.stringMatching(/^evidence verify: OK: .*13 files match the manifest, signature valid, audit chain of 2 events holds from its anchor \(event 1\)\n$/), exitCode: undefined })

    // a byte flipped inside the first file's compressed data fails with the file named, and the exit code says so
    const bad = join(dir, 'bad.zip')
    const bytes = readFileSync(zip)
    const dataStart = 30 + 'csv/population-sources.csv'.length
    bytes[dataStart + 20] = bytes[dataStart + 20]! ^ 0xff
    writeFileSync(bad, bytes)
    const failed = await runCli(t.url, ['evidence', 'verify', bad, '--public-key', pubFile])
    expect(failed.exitCode).toBe(1)
    expect(failed.stdout).toMatch(/^evidence verify: FAILED: .*bad\.zip: 1 problem\n {2}- "csv\/population-sources\.csv": (was changed|cannot be read)/)
  })

  it('should export the inventory as of a date as CSV files and as JSON, and record each export', async () => {
    t = await createTestStore('sqlite')
    await seedEvidenceStore(t.store.db)
    const csvDir = join(dir, 'inv')
    const csv = await runCli(t.url, ['export', 'inventory', '--as-of', '2026-09-30', '--out', csvDir])
    expect(csv.stdout).toContain('export inventory: as of 2026-09-30T23:59:59.999Z: 2 apps, 3 access rows, 3 open findings')
    expect(readdirSync(csvDir).sort()).toEqual(['access-matrix.csv', 'apps.csv', 'open-findings.csv', 'sources.csv'])
    expect(readFileSync(join(csvDir, 'apps.csv'), 'utf8').split('\r\n')[1]).toMatch(/^\d+,hostile,"'=HYPERLINK/)
    const json = JSON.parse((await runCli(t.url, ['export', 'inventory', '--as-of', '2026-10-31', '--format', 'json'])).stdout) as { apps: unknown[]; as_of: string }
    expect(json).toMatchObject({ as_of: '2026-10-31T23:59:59.999Z' })
    expect(json.apps).toHaveLength(3)
    const events = await t.store.db.selectFrom('audit_events').select(['action', 'subject_id']).where('action', '=', 'export.inventory').orderBy('seq').execute()
    expect(events).toEqual([{ action: 'export.inventory', subject_id: '2026-09-30T23:59:59.999Z' }, { action: 'export.inventory', subject_id: '2026-10-31T23:59:59.999Z' }])
    await expect(runCli(t.url, ['export', 'inventory', '--as-of', 'Q3'])).rejects.toThrow(/--as-of Q3/)
    await expect(runCli(t.url, ['export', 'evidence', '--period', '2026-Q9'])).rejects.toThrow(/expected a quarter/)
  })
})

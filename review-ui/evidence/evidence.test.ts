import { createHash, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yauzl from 'yauzl'
import yazl from 'yazl'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { verifyStoredAuditChain } from '../../data/audit.js'
import { parsePeriod } from '../../data/evidence/period.js'
import { verifyEvidenceZip } from '../../data/evidence/verify.js'
import { HOSTILE_APP, seedEvidenceStore } from '../../data/evidence/testing/seed.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { exportEvidence } from './build.js'

/** Reads every entry of a zip into memory, in order (test zips are small). */
async function readEntries(path: string): Promise<[string, Buffer][]> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true })
  const entries: [string, Buffer][] = []
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject)
    zip.on('end', () => resolve())
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const chunks: Buffer[] = []
        for await (const c of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(c)
        entries.push([entry.fileName, Buffer.concat(chunks)])
        zip.readEntry()
      })().catch(reject)
    })
    zip.readEntry()
  })
  return entries
}

async function writeEntries(path: string, entries: [string, Buffer][]): Promise<void> {
  const zip = new yazl.ZipFile()
  for (const [name, data] of entries) zip.addBuffer(data, name)
  zip.end()
  const chunks: Buffer[] = []
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c)
  writeFileSync(path, Buffer.concat(chunks))
}

const edit = (entries: [string, Buffer][], name: string, fn: (text: string) => string): [string, Buffer][] =>
  entries.map(([n, b]) => [n, n === name ? Buffer.from(fn(b.toString('utf8'))) : b])

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sightline-evidence-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('evidence package, tampered', () => {
  let t: TestStore | undefined
  let good: string
  let entries: [string, Buffer][]
  const keys = generateKeyPairSync('ed25519')
  const otherKeys = generateKeyPairSync('ed25519')

  beforeAll(async () => {
    t = await createTestStore('sqlite')
    await seedEvidenceStore(t.store.db)
    good = join(dir, 'good.zip')
    await exportEvidence(t.store.db, { scope: { kind: 'period', period: parsePeriod('2026-Q3') }, outPath: good, actor: 'auditor@acme.example', signingKey: keys.privateKey, pdf: false })
    entries = await readEntries(good)
  })
  afterAll(async () => t?.dispose())

  const tampered = async (name: string, list: [string, Buffer][]) => {
    const path = join(dir, `${name}.zip`)
    await writeEntries(path, list)
    return verifyEvidenceZip(path, { publicKey: keys.publicKey })
  }

  it('should verify the untouched package with its signature, and the audit segment from its anchor', async () => {
    const check = await verifyEvidenceZip(good, { publicKey: keys.publicKey })
    expect(check).toMatchObject({ ok: true, problems: [], signature: 'valid', events: 2, anchor: { anchor_seq: 1, through_seq: 3 } })
    expect(entries.map(([n]) => n)).toEqual([
      'csv/population-sources.csv', 'csv/apps.csv', 'csv/access-matrix.csv', 'csv/open-findings.csv', 'csv/leavers.csv', 'csv/leaver-holdings.csv',
      'csv/scan-runs.csv', 'audit/events.jsonl', 'audit/anchor.json', 'report.html', 'manifest.json', 'manifest.sig',
    ])
    expect((await verifyEvidenceZip(good)).signature).toBe('not-checked')
  })

  it('should name a changed file', async () => {
    const check = await tampered('changed-file', edit(entries, 'csv/leavers.csv', (s) => s.replace('lee@acme.example', 'someone@acme.example')))
    expect(check.ok).toBe(false)
    expect(check.problems).toEqual([{ file: 'csv/leavers.csv', message: expect.stringMatching(/^was changed: SHA-256/) }])
  })

  it('should name a changed event even when the manifest was rewritten to match (only the signature and the chain notice)', async () => {
    const changed = edit(entries, 'audit/events.jsonl', (s) => s.replace('"actor":"system:okta"', '"actor":"system:other"'))
    const plain = await tampered('changed-event', changed)
    expect(plain.problems).toEqual([
      { file: 'audit/events.jsonl', message: expect.stringMatching(/^was changed/) },
      { file: 'audit/events.jsonl', message: expect.stringContaining('line 2: audit chain broken at event 3: the event was changed after it was written') },
    ])
    const events = changed.find(([n]) => n === 'audit/events.jsonl')![1]
    const covered = edit(changed, 'manifest.json', (s) => {
      const m = JSON.parse(s) as { files: { path: string; sha256: string; bytes: number }[] }
      for (const f of m.files) if (f.path === 'audit/events.jsonl') Object.assign(f, { sha256: createHash('sha256').update(events).digest('hex'), bytes: events.length })
      return `${JSON.stringify(m, null, 2)}\n`
    })
    const check = await tampered('changed-event-covered', covered)
    expect(check.problems).toEqual([
      { file: 'manifest.sig', message: expect.stringContaining('manifest was changed after signing') },
      { file: 'audit/events.jsonl', message: expect.stringContaining('line 2: audit chain broken at event 3: the event was changed after it was written') },
    ])
  })

  it('should name a removed and a reordered event', async () => {
    const lines = (s: string) => s.trimEnd().split('\n')
    const removedFirst = await tampered('removed-event', edit(entries, 'audit/events.jsonl', (s) => `${lines(s).slice(1).join('\n')}\n`))
    expect(removedFirst.problems).toContainEqual({ file: 'audit/events.jsonl', message: expect.stringContaining('broken at event 3: expected event 2 here') })
    const removedLast = await tampered('removed-last', edit(entries, 'audit/events.jsonl', (s) => `${lines(s).slice(0, -1).join('\n')}\n`))
    expect(removedLast.problems).toContainEqual({ file: 'audit/events.jsonl', message: expect.stringContaining('events 3…3 are missing') })
    const reordered = await tampered('reordered', edit(entries, 'audit/events.jsonl', (s) => `${lines(s).reverse().join('\n')}\n`))
    expect(reordered.problems).toContainEqual({ file: 'audit/events.jsonl', message: expect.stringContaining('line 1: audit chain broken at event 3: expected event 2 here') })
  })

  it('should refuse a truncated zip', async () => {
    const bytes = readFileSync(good)
    const path = join(dir, 'truncated.zip')
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.7)))
    const check = await verifyEvidenceZip(path)
    expect(check.ok).toBe(false)
    expect(check.problems[0]!.message).toMatch(/^not a readable zip \(truncated or damaged\)/)
  })

  it('should name extra and missing files', async () => {
    const check = await tampered('extra', [...entries.filter(([n]) => n !== 'csv/scan-runs.csv'), ['notes/readme.txt', Buffer.from('trust me')]])
    expect(check.problems).toEqual(expect.arrayContaining([
      { file: 'csv/scan-runs.csv', message: 'is listed in the manifest but not in the zip' },
      { file: 'notes/readme.txt', message: 'is not listed in the manifest (extra file)' },
    ]))
  })

  it('should name path-traversal entry names without writing anything', async () => {
    const path = join(dir, 'traversal.zip')
    await writeEntries(path, [...entries, ['xx/evil.txt', Buffer.from('x')]])
    // yazl refuses "../" names, so patch the bytes of a same-length name in both headers
    const bytes = readFileSync(path)
    const from = Buffer.from('xx/evil.txt')
    const to = Buffer.from('../evil.txt')
    let at = bytes.indexOf(from)
    let patched = 0
    while (at !== -1) {
      to.copy(bytes, at)
      patched += 1
      at = bytes.indexOf(from, at + 1)
    }
    expect(patched).toBe(2)
    writeFileSync(path, bytes)
    const check = await verifyEvidenceZip(path, { publicKey: keys.publicKey })
    expect(check.problems).toEqual([{ file: '../evil.txt', message: 'unsafe entry name (path traversal or absolute path): invalid relative path: ../evil.txt' }])
    expect(existsSync(join(dir, '..', 'evil.txt'))).toBe(false)
  })

  it('should refuse a signature made by another key, a changed manifest, and a missing signature', async () => {
    expect(await verifyEvidenceZip(good, { publicKey: otherKeys.publicKey })).toMatchObject({ ok: false, signature: 'invalid', problems: [{ file: 'manifest.sig', message: 'was made with another key than the one given' }] })
    const changedManifest = await tampered('changed-manifest', edit(entries, 'manifest.json', (s) => s.replace('auditor@acme.example', 'mallory@acme.example')))
    expect(changedManifest).toMatchObject({ signature: 'invalid', problems: [{ file: 'manifest.sig', message: expect.stringContaining('manifest was changed after signing') }] })
    const unsigned = await tampered('unsigned', entries.filter(([n]) => n !== 'manifest.sig'))
    expect(unsigned).toMatchObject({ signature: 'missing', problems: [{ file: 'manifest.sig', message: expect.stringContaining('not signed') }] })
  })
})

for (const dialect of DIALECTS) {
  describe(`evidence export [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => t?.dispose())

    it('should neutralise formulas, escape markup, keep secrets out, and audit the export', async () => {
      t = await createTestStore(dialect)
      await seedEvidenceStore(t.store.db)
      await t.store.db.insertInto('ui_users').values({ email: 'admin@acme.example', role: 'admin', password_hash: 'scrypt$SECRET-HASH', created_at: '2026-07-01T00:00:00.000Z' }).execute()
      const path = join(dir, `export-${dialect}.zip`)
      const result = await exportEvidence(t.store.db, { scope: { kind: 'period', period: parsePeriod('2026-Q3') }, outPath: path, actor: 'auditor@acme.example', pdf: false, now: '2026-12-02T10:00:00.000Z' })
      const files = new Map(await readEntries(path))
      expect(files.get('csv/apps.csv')!.toString()).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")<script>alert(1)</script>"`)
      expect(files.get('csv/access-matrix.csv')!.toString()).toContain(`'@SUM(1+1)*cmd|`)
      const html = files.get('report.html')!.toString()
      expect(html).not.toContain('<script>')
      expect(html).toContain('&lt;script&gt;')
      for (const control of ['SOC 2 CC6.1', 'SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO 27001:2022 A.5.15', 'ISO 27001:2022 A.5.18', 'ISO 27001:2022 A.8.2']) expect(html).toContain(control)
      for (const [name, data] of files) expect(data.toString('latin1'), name).not.toMatch(/SECRET-HASH|password_hash|csrf_token/)
      expect(JSON.parse(files.get('manifest.json')!.toString())).toMatchObject({ created_by: 'auditor@acme.example', scope: { kind: 'period', period: '2026-Q3' }, signing_key_sha256: null })
      expect(result.events).toBe(2)
      const last = await t.store.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(last).toMatchObject({ actor: 'auditor@acme.example', action: 'export.evidence', subject_type: 'period', subject_id: '2026-Q3' })
      expect(JSON.parse(last.payload)).toMatchObject({ manifest_sha256: result.manifestSha256, file: `export-${dialect}.zip` })
      expect((await verifyStoredAuditChain(t.store.db)).ok).toBe(true)
      expect(HOSTILE_APP).toContain('<script>')
    })
  })
}

import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { addUser } from '../../data/ui-users.js'
import { createUiTestKit, TEST_PASSWORD, type SignedInAgent, type UiTestKit } from '../testing/ui-test-kit.js'
import { hashPassword } from '../../data/ui-users.js'

const CHASE_HEADER = 'Transaction Date,Post Date,Description,Category,Type,Amount,Memo'
/** 30 good Chase lines and one with a broken amount (line 17): 1 of 31 rejected, under the 5% threshold. */
function chaseStatement(): string {
  const lines = [CHASE_HEADER]
  for (let i = 1; i <= 30; i++) {
    const day = String(((i - 1) % 28) + 1).padStart(2, '0')
    lines.push(`10/${day}/2026,10/${day}/2026,ACME TOOLS ${i},Shopping,Sale,-${i}.25,`)
    if (i === 15) lines.push('10/15/2026,10/15/2026,BROKEN ROW,Shopping,Sale,abc,')
  }
  return `${lines.join('\n')}\n`
}

/** A bank export no layout knows and whose header names nothing the inference understands. */
const UNKNOWN = `When,Who,What,HowMuch,Money\n${Array.from({ length: 12 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')},Dana,SHOP NUMBER ${i + 1},${i + 1}.50,USD`).join('\n')}\n`

const csvFile = (name: string, text: string) => new File([text], name, { type: 'text/csv' })
function form(...files: File[]): FormData {
  const f = new FormData()
  for (const file of files) f.append('files', file)
  return f
}

const count = async (kit: UiTestKit, table: 'ui_jobs' | 'spend_transactions' | 'audit_events') =>
  Number((await kit.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

const jobIdFrom = (res: Response): number => Number(/\/spend\/uploads\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1])

describe.each(DIALECTS)('statement upload (%s)', (dialect) => {
  let kit: UiTestKit
  let small: UiTestKit
  let profileDir: string
  let finance: SignedInAgent

  beforeAll(async () => {
    profileDir = mkdtempSync(join(tmpdir(), 'sightline-profiles-'))
    kit = await createUiTestKit(dialect, { config: { profileDir } })
    small = await createUiTestKit(dialect, { config: { maxUploadBytes: 2048, profileDir } })
    finance = await kit.signIn('finance')
  })
  afterAll(async () => {
    await kit?.dispose()
    await small?.dispose()
    rmSync(profileDir, { recursive: true, force: true })
  })

  it('should import a known layout through the spend importer, show counts and rejects by line, and audit the upload', async () => {
    const text = chaseStatement()
    const res = await finance.upload('/spend/uploads', form(csvFile('chase-october.csv', text)))
    expect(res.status).toBe(303)
    const id = jobIdFrom(res)
    await kit.jobs.idle()
    const page = await (await finance.get(`/spend/uploads/${id}`)).text()
    expect(page).toContain('chase-october.csv')
    expect(page).toMatch(/<dt>Layout<\/dt><dd>chase<\/dd>/)
    expect(page).toMatch(/Rows read<\/th><td class="num">31</)
    expect(page).toMatch(/Imported<\/th><td class="num">30</)
    expect(page).toMatch(/Rejected<\/th><td class="num">1</)
    expect(page).toContain('chase-october.csv: line 17: field amount')
    expect(page).not.toContain(kit.jobs.workDir)
    expect(await count(kit, 'spend_transactions')).toBe(30)

    const rejects = await finance.get(`/spend/uploads/${id}/rejects.csv`)
    expect(rejects.status).toBe(200)
    expect(rejects.headers.get('content-disposition')).toBe('attachment; filename="chase-october.csv.rejects.csv"')
    expect(await rejects.text()).toContain('chase-october.csv,17,amount,no digits,abc')

    const audit = await kit.store.db.selectFrom('audit_events').selectAll().where('action', '=', 'import.spend.upload').executeTakeFirstOrThrow()
    const payload = JSON.parse(audit.payload) as Record<string, any>
    expect(audit.actor).toBe(finance.email)
    expect(payload.file).toBe('chase-october.csv')
    expect(payload.sha256).toBe(createHash('sha256').update(text).digest('hex'))
    expect(payload.counts).toEqual({ read: 31, imported: 30, duplicates: 0, rejected: 1, skipped: 0 })

    // The run is the CLI's: one spend run, its file hash recorded, started by the uploader on the Imports page.
    const run = await kit.store.db.selectFrom('scan_runs').select(['collector', 'status', 'file_sha256']).where('id', '=', payload.scanRunId).executeTakeFirstOrThrow()
    expect(run).toEqual({ collector: 'spend', status: 'partial', file_sha256: payload.sha256 }) // partial: a row was rejected
    const imports = await (await finance.get('/imports')).text()
    expect(imports).toContain(`/spend/uploads/${id}/rejects.csv`)
    expect(imports).toContain(finance.email)
    // The temporary copy is gone.
    expect(readdirSync(kit.jobs.workDir)).toEqual([])
  })

  it('should take several files in one upload, one job (and one transaction) each, and count a re-upload as duplicates', async () => {
    const text = chaseStatement()
    const res = await finance.upload('/spend/uploads', form(csvFile('again.csv', text), csvFile('brex.csv', readFileSync('collectors/spend-csv/fixtures/brex.csv', 'utf8'))))
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/spend\/uploads\?ids=\d+,\d+$/)
    await kit.jobs.idle()
    const page = await (await finance.get(location)).text()
    expect(page).toContain('again.csv')
    expect(page).toContain('read 31, imported 0, duplicates 30, rejected 1')
    expect(page).toMatch(/brex\.csv<\/a><\/td><td><span[^>]*>completed<\/span><\/td><td>brex<\/td>/)
  })

  it('should offer a mapping built from the header of an unknown layout, refuse a column the file lacks, then import and save the profile', async () => {
    const res = await finance.upload('/spend/uploads', form(csvFile('first-national.csv', UNKNOWN)))
    const id = jobIdFrom(res)
    await kit.jobs.idle()
    const page = await (await finance.get(`/spend/uploads/${id}`)).text()
    expect(page).toContain('Nothing from this file was imported')
    expect(page).toContain('<select class="select" id="map-date" name="map.date">')
    for (const header of ['When', 'Who', 'What', 'HowMuch', 'Money']) expect(page).toContain(`<option value="${header}">${header}</option>`)

    const jobsBefore = await count(kit, 'ui_jobs')
    const spendBefore = await count(kit, 'spend_transactions')
    const wrong = await finance.post(`/spend/uploads/${id}/mapping`, { 'map.date': 'When', 'map.merchant': 'Payee', 'map.amount': 'HowMuch', saveAs: 'first-national' })
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('Merchant or description → &quot;Payee&quot;')
    expect(await count(kit, 'ui_jobs')).toBe(jobsBefore)
    expect(await count(kit, 'spend_transactions')).toBe(spendBefore)
    expect(existsSync(join(profileDir, 'first-national.json'))).toBe(false)

    const ok = await finance.post(`/spend/uploads/${id}/mapping`, { 'map.date': 'When', 'map.merchant': 'What', 'map.amount': 'HowMuch', 'map.currency': 'Money', 'map.cardholder': 'Who', saveAs: 'first-national' })
    expect(ok.status).toBe(303)
    const next = jobIdFrom(ok)
    await kit.jobs.idle()
    const done = await (await finance.get(`/spend/uploads/${next}`)).text()
    expect(done).toMatch(/<dt>Layout<\/dt><dd>generic<\/dd>/)
    expect(done).toMatch(/Imported<\/th><td class="num">12</)
    expect(await count(kit, 'spend_transactions')).toBe(spendBefore + 12)
    const saved = JSON.parse(readFileSync(join(profileDir, 'first-national.json'), 'utf8'))
    expect(saved.mapping).toEqual({ date: 'When', merchant: 'What', amount: 'HowMuch', currency: 'Money', cardholder: 'Who' })
    expect(await (await finance.get(`/spend/uploads/${id}`)).text()).toContain(`/spend/uploads/${next}`)

    // The saved profile is offered on the upload form and reads the next file of that bank.
    expect(await (await finance.get('/spend/uploads')).text()).toContain('<option value="first-national">first-national</option>')
    const withProfile = new FormData()
    withProfile.append('profile', 'first-national')
    withProfile.append('files', csvFile('first-national-2.csv', UNKNOWN))
    const third = jobIdFrom(await finance.upload('/spend/uploads', withProfile))
    await kit.jobs.idle()
    expect(await (await finance.get(`/spend/uploads/${third}`)).text()).toMatch(/Already imported \(duplicates\)<\/th><td class="num">12</)
  })

  it("should not let another finance user re-run someone else's upload", async () => {
    const id = jobIdFrom(await finance.upload('/spend/uploads', form(csvFile('mine.csv', UNKNOWN.replace('SHOP', 'STORE')))))
    await kit.jobs.idle()
    await addUser(kit.store.db, { email: 'finance2@example.test', role: 'finance', passwordHash: await hashPassword(TEST_PASSWORD), actor: 'system:test', at: kit.clock.now() })
    const other = await kit.signIn('finance2@example.test')
    expect(await (await other.get(`/spend/uploads/${id}`)).text()).not.toContain('map-date')
    const res = await other.post(`/spend/uploads/${id}/mapping`, { 'map.date': 'When', 'map.merchant': 'What', 'map.amount': 'HowMuch' })
    expect(res.status).toBe(403)
  })

  it('should answer 413 for an oversized upload and keep nothing', async () => {
    const agent = await small.signIn('finance')
    const big = 'x'.repeat(4096)
    const res = await agent.upload('/spend/uploads', form(csvFile('big.csv', `${CHASE_HEADER}\n${big}`)))
    expect(res.status).toBe(413)
    expect(await res.text()).toContain('larger than the 2 KB limit')
    // Streamed without a Content-Length, the limit still holds while reading.
    const body = new Response(form(csvFile('big.csv', `${CHASE_HEADER}\n${big}`)))
    const streamed = await small.app.request(`http://sightline.test/spend/uploads?_csrf=${encodeURIComponent(agent.csrfToken)}`, {
      method: 'POST', body: body.body, duplex: 'half', headers: { Cookie: agent.cookie, Origin: 'http://sightline.test', 'Content-Type': body.headers.get('content-type')! },
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(await count(small, 'ui_jobs')).toBe(0)
    expect(await count(small, 'spend_transactions')).toBe(0)
    expect(readdirSync(small.jobs.workDir)).toEqual([])
  })

  it('should answer 400 naming the file for a PDF or a binary file, and import nothing', async () => {
    const jobsBefore = await count(kit, 'ui_jobs')
    const pdf = new File([Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n')], 'statement.pdf', { type: 'application/pdf' })
    const res = await finance.upload('/spend/uploads', form(csvFile('fine.csv', chaseStatement()), pdf))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('statement.pdf is a PDF, not a CSV file')
    const binary = new File([Buffer.from([0x41, 0x00, 0x42, 0x00, 0x01, 0x02])], 'data.bin')
    const res2 = await finance.upload('/spend/uploads', form(binary))
    expect(res2.status).toBe(400)
    expect(await res2.text()).toContain('data.bin is a binary file')
    expect(await count(kit, 'ui_jobs')).toBe(jobsBefore)
    expect(readdirSync(kit.jobs.workDir).filter((n) => n.startsWith('request-'))).toEqual([])
  })

  it('should answer 403 for a forged or missing CSRF token, and for roles that may not upload', async () => {
    const jobsBefore = await count(kit, 'ui_jobs')
    expect((await finance.upload('/spend/uploads', form(csvFile('a.csv', chaseStatement())), { csrf: 'forged-token' })).status).toBe(403)
    expect((await finance.upload('/spend/uploads', form(csvFile('a.csv', chaseStatement())), { csrf: null })).status).toBe(403)
    // A token in the multipart body is not read (the body is never parsed before the check).
    const withBodyToken = form(csvFile('a.csv', chaseStatement()))
    withBodyToken.append('_csrf', finance.csrfToken)
    expect((await finance.upload('/spend/uploads', withBodyToken, { csrf: null })).status).toBe(403)
    for (const role of ['it', 'reviewer', 'auditor'] as const) {
      const agent = await kit.signIn(role)
      expect([role, (await agent.upload('/spend/uploads', form(csvFile('a.csv', chaseStatement())))).status]).toEqual([role, 403])
    }
    expect(await count(kit, 'ui_jobs')).toBe(jobsBefore)
    const auditor = await kit.signIn('auditor')
    const page = await (await auditor.get('/spend/uploads')).text()
    expect(page).toContain('Statement uploads')
    expect(page).not.toContain('enctype="multipart/form-data"')
  })

  it('should answer 415 for an upload that is not multipart', async () => {
    expect((await finance.post('/spend/uploads', { files: 'x' })).status).toBe(415)
  })
})

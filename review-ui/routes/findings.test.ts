import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyze, analyzerConfig } from '../../analyzer/index.js'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, type UiTestKit } from '../testing/ui-test-kit.js'
import { SEED_TODAY, seedSmallCompany } from '../testing/seed.js'

describe.each(DIALECTS)('Findings pages (%s)', (dialect) => {
  let kit: UiTestKit
  beforeAll(async () => {
    kit = await createUiTestKit(dialect, { seed: seedSmallCompany })
  })
  afterAll(async () => kit?.dispose())
  const first = async () => kit.store.db.selectFrom('findings').select(['id', 'kind', 'title']).where('status', '=', 'open').orderBy('id').executeTakeFirstOrThrow()

  it('should list findings most important first, filter by kind and severity, and show evidence readably', async () => {
    const auditor = await kit.signIn('auditor')
    const html = await (await auditor.get('/findings')).text()
    const f = await first()
    expect(html).toContain(f.title.replace(/&/g, '&amp;'))
    const filtered = await (await auditor.get(`/findings?kind=${f.kind}`)).text()
    expect(filtered).toContain(`<td>${f.kind}</td>`)
    const page = await (await auditor.get(`/findings/${f.id}`)).text()
    expect(page).toContain('<dl class="evidence">')
    expect(page).not.toContain('Triage') // auditors change nothing
  })

  it('should suppress a finding with a reason, audited, and keep it suppressed across re-analysis', async () => {
    const f = await first()
    const it_ = await kit.signIn('it')
    expect((await it_.post(`/findings/${f.id}/status`, { status: 'suppressed', reason: '' })).status).toBe(400)
    expect((await it_.post(`/findings/${f.id}/status`, { status: 'suppressed', reason: 'Approved by the CISO' })).status).toBe(303)
    await analyze(kit.store.db, analyzerConfig({ asOf: `${SEED_TODAY}T23:59:59.000Z` }))
    const row = await kit.store.db.selectFrom('findings').select(['status', 'status_comment', 'status_by']).where('id', '=', f.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'suppressed', status_comment: 'Approved by the CISO', status_by: 'it@example.test' })
    const audit = await kit.store.db.selectFrom('audit_events').select(['actor', 'payload']).where('action', '=', 'finding.status.set').executeTakeFirstOrThrow()
    expect(audit.actor).toBe('it@example.test')
  })

  it('should refuse triage by an auditor (403) and a missing finding (404)', async () => {
    const auditor = await kit.signIn('auditor')
    const f = await first()
    expect((await auditor.post(`/findings/${f.id}/status`, { status: 'acknowledged', reason: 'x' })).status).toBe(403)
    expect((await (await kit.signIn('it')).get('/findings/999999')).status).toBe(404)
  })

  it('should export CSV with the filter applied', async () => {
    const res = await (await kit.signIn('it')).get('/findings/export.csv?severity=high')
    expect(res.status).toBe(200)
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines[0]).toBe('id,severity,kind,status,title,subject,recommendation,first_detected_at,last_detected_at,status_comment,evidence')
    for (const line of lines.slice(1)) expect(line.split(',')[1]).toBe('high')
  })
})

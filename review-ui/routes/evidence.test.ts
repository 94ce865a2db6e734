import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { verifyEvidenceZip } from '../../data/evidence/verify.js'
import { editBehindTriggers } from '../../data/testing/tamper-audit.js'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, type UiTestKit } from '../testing/ui-test-kit.js'
import { quarterOf } from '../../data/evidence/period.js'

describe.each(DIALECTS)('audit trail and evidence page (%s)', (dialect) => {
  let kit: UiTestKit
  afterEach(async () => kit?.dispose())

  it('should show the chain status to admins and auditors only, and name the broken event after an edit behind the triggers', async () => {
    kit = await createUiTestKit(dialect)
    for (const role of ['admin', 'auditor'] as const) {
      const page = await (await kit.signIn(role)).get('/evidence')
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('The audit trail is intact.')
      expect(html).toContain('value="2026-Q4"')
      expect(html).toContain('ui.user.add')
    }
    for (const role of ['it', 'finance', 'reviewer'] as const) {
      const agent = await kit.signIn(role)
      expect((await agent.get('/evidence')).status).toBe(403)
      expect((await agent.post('/evidence/export', { period: '2026-Q4' })).status).toBe(403)
    }
    expect((await kit.request('/evidence')).status).toBe(303)
    await editBehindTriggers(kit.store, { op: 'update', seq: 2, actor: 'system:nobody' })
    const html = await (await (await kit.signIn('auditor')).get('/evidence')).text()
    expect(html).toContain('The audit trail is broken at event 2')
    expect(html).toContain('hash mismatch')
  })

  it('should download a zip that verifies offline, recorded with the auditor as actor; refuse a bad period and a missing CSRF token', async () => {
    kit = await createUiTestKit(dialect)
    const auditor = await kit.signIn('auditor')
    const response = await auditor.post('/evidence/export', { period: '2026-q4' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/zip')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="sightline-evidence-2026-Q4.zip"')
    const dir = mkdtempSync(join(tmpdir(), 'sightline-evidence-ui-'))
    try {
      const path = join(dir, 'download.zip')
      writeFileSync(path, Buffer.from(await response.arrayBuffer()))
      const check = await verifyEvidenceZip(path)
      expect(check).toMatchObject({ ok: true, scope: { kind: 'period', period: '2026-Q4' } })
      expect(check.events).toBeGreaterThan(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const last = await kit.store.db.selectFrom('audit_events').select(['actor', 'action', 'subject_id']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(last).toEqual({ actor: 'auditor@example.test', action: 'export.evidence', subject_id: '2026-Q4' })

    const bad = await auditor.post('/evidence/export', { period: 'last quarter' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('href="#period"')
    expect((await auditor.post('/evidence/export', { period: '2026-Q4', _csrf: 'forged' })).status).toBe(403)
    const exports = await kit.store.db.selectFrom('audit_events').select('seq').where('action', '=', 'export.evidence').execute()
    expect(exports).toHaveLength(1)
  })
})

describe('quarterOf', () => {
  it('should name the quarter of an instant', () => {
    expect(['2026-01-01T00:00:00Z', '2026-03-31T23:59:59Z', '2026-04-01T00:00:00Z', '2026-12-02T12:00:00Z'].map(quarterOf)).toEqual(['2026-Q1', '2026-Q1', '2026-Q2', '2026-Q4'])
  })
})

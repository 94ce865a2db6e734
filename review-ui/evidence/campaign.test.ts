import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yauzl from 'yauzl'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { verifyStoredAuditChain } from '../../data/audit.js'
import { closeCampaign, closeManualRemediation, createCampaign, decideItem, launchCampaign, reassignItem, verifyRemediationsAfterRun } from '../../data/campaigns/index.js'
import { seedCompany, T0 } from '../../data/campaigns/testing/seed.js'
import { CampaignEvidenceError } from '../../data/evidence/campaign.js'
import { verifyEvidenceZip } from '../../data/evidence/verify.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { exportEvidence } from './build.js'

const IT = 'it@northwind.example'
const MGR = 'mgr@northwind.example'
const BOSS = 'boss@northwind.example'

async function unzipText(path: string): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true })
  const files = new Map<string, string>()
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject)
    zip.on('end', () => resolve())
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const chunks: Buffer[] = []
        for await (const c of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(c)
        files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'))
        zip.readEntry()
      })().catch(reject)
    })
    zip.readEntry()
  })
  return files
}

const rows = (csv: string): Record<string, string>[] => {
  const [head, ...lines] = csv.trimEnd().split('\r\n')
  const cols = head!.split(',')
  // test data holds no commas or quotes inside cells
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])))
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sightline-campaign-evidence-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

for (const dialect of DIALECTS) {
  describe(`campaign evidence [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => t?.dispose())

    it('should carry the definition, population at launch, decisions, verified remediations, defaults, reassignments and leavers', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      const seed = await seedCompany(db)
      const draft = await createCampaign(db, { name: 'Q4 GitHub review', scope: { apps: ['github'] }, reviewer: { kind: 'named', email: MGR }, fallbackReviewer: IT, dueAt: '2026-11-30' }, 'cli:root', { now: T0 })
      await expect(exportEvidence(db, { scope: { kind: 'campaign', campaignId: draft.id }, outPath: join(dir, 'draft.zip'), actor: 'auditor@northwind.example', pdf: false })).rejects.toThrow(CampaignEvidenceError)
      await launchCampaign(db, draft.id, 'cli:root', { now: '2026-11-02T09:00:00.000Z' })
      const items = await db.selectFrom('review_items').selectAll().where('campaign_id', '=', draft.id).orderBy('id').execute()
      const item = (account: number) => items.find((i) => i.account_id === account)!
      await decideItem(db, { itemId: item(seed.accounts.bobGithub).id, decision: 'revoke', reason: 'left the sales team', version: item(seed.accounts.bobGithub).version }, MGR, { now: '2026-11-03T10:00:00.000Z' })
      await decideItem(db, { itemId: item(seed.accounts.carolGithub).id, decision: 'revoke', reason: 'leaver', version: item(seed.accounts.carolGithub).version }, MGR, { now: '2026-11-03T10:01:00.000Z' })
      await reassignItem(db, { itemId: item(seed.accounts.aliceGithub).id, version: item(seed.accounts.aliceGithub).version, to: BOSS, reason: 'boss knows her project' }, MGR, { now: '2026-11-03T10:02:00.000Z' })
      await closeCampaign(db, draft.id, 'cli:root', { now: '2026-12-01T00:00:00.000Z' })
      // no automatic dispatch here: the attempts failed and IT did both by hand
      for (const r of await db.selectFrom('remediations').selectAll().orderBy('id').execute()) {
        await db.updateTable('remediations').set({ status: 'failed', attempts: 3, error: 'no credentials' }).where('id', '=', r.id).execute()
        await closeManualRemediation(db, { id: r.id, note: 'removed in the Okta console' }, IT, { now: '2026-12-02T00:00:00.000Z' })
      }
      const run = await db.insertInto('scan_runs').values({ collector: 'okta', source_key: 'northwind.okta.com', mode: 'live', status: 'completed', started_at: '2026-12-03T00:00:00.000Z', finished_at: '2026-12-03T00:05:00.000Z', heartbeat_at: '2026-12-03T00:05:00.000Z', counts: '{}', item_errors: '[]' }).returning('id').executeTakeFirstOrThrow()
      await db.updateTable('accounts').set({ gone_at: '2026-12-03T00:05:00.000Z' }).where('id', '=', seed.accounts.bobGithub).execute()
      await verifyRemediationsAfterRun(db, { source: 'okta', runId: run.id, kinds: ['account'], at: '2026-12-03T00:05:00.000Z' })

      const path = join(dir, `campaign-${dialect}.zip`)
      const result = await exportEvidence(db, { scope: { kind: 'campaign', campaignId: draft.id }, outPath: path, actor: 'auditor@northwind.example', pdf: false, now: '2026-12-04T00:00:00.000Z' })
      const check = await verifyEvidenceZip(path)
      expect(check).toMatchObject({ ok: true, scope: { kind: 'campaign', campaign_id: draft.id, name: 'Q4 GitHub review' } })
      expect(check.events).toBe(result.events)
      const files = await unzipText(path)
      expect([...files.keys()]).toEqual(expect.arrayContaining([
        'campaign/definition.json', 'csv/population-at-launch.csv', 'csv/decisions.csv', 'csv/remediations.csv', 'csv/undecided-and-defaulted.csv',
        'csv/reassignments.csv', 'csv/rubber-stamp-signals.csv', 'csv/leavers.csv', 'csv/population-sources.csv', 'audit/events.jsonl', 'report.html',
      ]))
      expect(JSON.parse(files.get('campaign/definition.json')!)).toMatchObject({ name: 'Q4 GitHub review', scope: { apps: ['github'] }, reviewer_rule: { kind: 'named', email: MGR }, fallback_reviewer: IT, closed_at: '2026-12-01T00:00:00.000Z' })
      expect(rows(files.get('csv/population-at-launch.csv')!).map((r) => r.person_email).sort()).toEqual(['alice@northwind.example', 'bob@northwind.example', 'carol@northwind.example', 'mgr@northwind.example'])
      expect(rows(files.get('csv/decisions.csv')!).filter((d) => d.is_default === '0').map((d) => [d.person_email, d.decision, d.reason, d.decided_by, d.decided_at])).toEqual([
        ['bob@northwind.example', 'revoke', 'left the sales team', MGR, '2026-11-03T10:00:00.000Z'],
        ['carol@northwind.example', 'revoke', 'leaver', MGR, '2026-11-03T10:01:00.000Z'],
      ])
      const rem = rows(files.get('csv/remediations.csv')!)
      expect(rem.find((r) => r.person_email === 'bob@northwind.example')).toMatchObject({ status: 'verified', verified_by_scan_run_id: String(run.id), verifying_scan: 'okta northwind.okta.com', verifying_scan_finished_at: '2026-12-03T00:05:00.000Z' })
      expect(rem.find((r) => r.person_email === 'carol@northwind.example')).toMatchObject({ status: 'still-present', verified_by_scan_run_id: '' })
      expect(rows(files.get('csv/undecided-and-defaulted.csv')!).map((u) => u.person_email).sort()).toEqual(['alice@northwind.example', 'mgr@northwind.example'])
      expect(rows(files.get('csv/reassignments.csv')!)).toEqual([expect.objectContaining({ person_email: 'alice@northwind.example', from_email: MGR, to_email: BOSS, reason: 'boss knows her project' })])
      expect(rows(files.get('csv/leavers.csv')!)).toEqual([expect.objectContaining({ person_email: 'carol@northwind.example', decision: 'revoke', remediation_status: 'still-present' })])
      const html = files.get('report.html')!
      expect(html).toContain('Access review evidence — Q4 GitHub review')
      expect(html).toContain('1 verified gone by a later completed scan')
      const events = files.get('audit/events.jsonl')!.trim().split('\n').map((l) => JSON.parse(l) as { action: string })
      expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['campaign.create', 'campaign.launch', 'campaign.close']))
      const last = await db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(last).toMatchObject({ action: 'export.evidence', subject_type: 'campaign', subject_id: String(draft.id), actor: 'auditor@northwind.example' })
      expect((await verifyStoredAuditChain(db)).ok).toBe(true)
    })
  })
}

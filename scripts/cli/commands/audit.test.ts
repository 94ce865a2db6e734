import { afterEach, describe, expect, it } from 'vitest'
import { appendAuditEvent } from '../../../data/audit.js'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { editBehindTriggers } from '../../../data/testing/tamper-audit.js'
import { runCli as runTestCli } from '../testing/run-cli.js'
import { registerAudit } from './audit.js'

const runCli = (url: string, args: string[]) => runTestCli(url, args, registerAudit)

for (const dialect of DIALECTS) {
  describe(`sightline audit [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    it('should print OK for an intact chain and name the first broken link after an edit behind the triggers', async () => {
      t = await createTestStore(dialect)
      for (let i = 0; i < 5; i++) await appendAuditEvent(t.store.db, { actor: 'cli:root', action: 'app.status.set', subjectType: 'app', subjectId: i, payload: { to: 'blocked' } })
      const ok = await runCli(t.url, ['audit', 'verify'])
      expect(ok.exitCode).toBeUndefined()
      expect(ok.stdout).toMatch(/^audit verify: OK: 5 events, head [0-9a-f]{64}/)

      await editBehindTriggers(t.store, { op: 'update', seq: 3, actor: 'cli:someone-else' })
      const broken = await runCli(t.url, ['audit', 'verify'])
      expect(broken.exitCode).toBe(1)
      expect(broken.stdout).toContain('audit verify: BROKEN at event 3: the event was changed after it was written (hash mismatch)')
      expect(broken.stdout).toContain('2 events before it hold')
      const json = JSON.parse((await runCli(t.url, ['audit', 'verify', '--json'])).stdout) as { ok: boolean; brokenAt: { seq: number } }
      expect(json).toMatchObject({ ok: false, brokenAt: { seq: 3 }, events: 5 })
    })

    it('should list filtered events as a table and as JSON lines with their hashes', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      await appendAuditEvent(db, { actor: 'a@x.com', action: 'campaign.launch', subjectType: 'campaign', subjectId: 1, occurredAt: '2026-07-02T09:00:00.000Z' })
      const second = await appendAuditEvent(db, { actor: 'cli:root', action: 'app.status.set', subjectType: 'app', subjectId: 9, payload: { to: 'blocked' }, occurredAt: '2026-08-02T09:00:00.000Z' })
      const table = await runCli(t.url, ['audit', 'list', '--actor', 'cli:root'])
      expect(table.stdout.split('\n')[0]).toMatch(/^seq\s+time\s+actor\s+action\s+subject\s+payload$/)
      expect(table.stdout).toContain('app.status.set')
      expect(table.stdout).not.toContain('campaign.launch')
      const lines = (await runCli(t.url, ['audit', 'list', '--since', '2026-08-01', '--json'])).stdout.trim().split('\n')
      expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ ...second, payload: { to: 'blocked' } }])
      await expect(runCli(t.url, ['audit', 'list', '--since', 'yesterday'])).rejects.toThrow(/--since yesterday/)
      await expect(runCli(t.url, ['audit', 'list', '--limit', '0'])).rejects.toThrow(/--limit 0/)
    })
  })
}

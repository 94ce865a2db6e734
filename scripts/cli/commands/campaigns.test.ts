import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, type TestStore } from '../../../data/testing/test-store.js'
import { seedCompany } from '../../../data/campaigns/testing/seed.js'
import { InvalidInputError } from '../../../data/errors.js'
import { UsageError } from '../errors.js'
import { runCli as runTestCli } from '../testing/run-cli.js'
import { registerCampaigns } from './campaigns.js'

const runCli = (url: string, args: string[]) => runTestCli(url, args, registerCampaigns)

describe('sightline campaigns', () => {
  let t: TestStore | undefined
  const env = { ...process.env }
  afterEach(async () => {
    process.env = { ...env }
    await t?.dispose()
    t = undefined
  })

  it('should create and launch, list and show as JSON, remind, and close with defaults', async () => {
    delete process.env.SIGHTLINE_SMTP_URL
    t = await createTestStore('sqlite')
    await seedCompany(t.store.db)
    const created = await runCli(t.url, ['campaigns', 'create', '--name', 'Q4 GitHub', '--scope', 'apps=github', '--reviewer', 'manager', '--fallback', 'IT@Northwind.example', '--due', '2026-12-31', '--default', 'revoke', '--launch', '--json'])
    const c = JSON.parse(created.stdout) as { id: number; status: string; items: number; reviewers: string[] }
    expect(c).toMatchObject({ status: 'active', items: 4, reviewers: ['boss@northwind.example', 'mgr@northwind.example'] })

    const list = JSON.parse((await runCli(t.url, ['campaigns', 'list', '--json'])).stdout) as Array<{ id: number; items: number; decided: number }>
    expect(list).toEqual([expect.objectContaining({ id: c.id, items: 4, decided: 0, reviewers: 2 })])
    const show = JSON.parse((await runCli(t.url, ['campaigns', 'show', String(c.id), '--json', '--items'])).stdout) as { campaign: { fallback_reviewer: string; scope: unknown }; byReviewer: Array<{ key: string; total: number }>; items: unknown[] }
    expect(show.campaign).toMatchObject({ fallback_reviewer: 'it@northwind.example', scope: { apps: ['github'] } })
    expect(show.byReviewer).toEqual([expect.objectContaining({ key: 'boss@northwind.example', total: 1 }), expect.objectContaining({ key: 'mgr@northwind.example', total: 3 })])
    expect(show.items).toHaveLength(4)

    expect((await runCli(t.url, ['campaigns', 'remind', '--days', '60'])).stdout).toContain('2 reminder(s), 0 escalation(s) queued')
    const closed = await runCli(t.url, ['campaigns', 'close', String(c.id)])
    expect(closed.stdout).toContain('4 undecided item(s) recorded as "revoke" (default); 4 remediation(s) queued')
    const text = (await runCli(t.url, ['campaigns', 'show', String(c.id)])).stdout
    expect(text).toContain('decisions: revoke (default) 4')
    expect(text).toMatch(/remediations:\n\s+\d+ pending\s+automatic remove-account/)
    await expect(runCli(t.url, ['campaigns', 'close', String(c.id)])).rejects.toBeInstanceOf(InvalidInputError)
    await expect(runCli(t.url, ['campaigns', 'create', '--name', 'x', '--scope', 'colour=blue', '--fallback', 'it@northwind.example'])).rejects.toThrow(/unknown term "colour"/)
    await expect(runCli(t.url, ['campaigns', 'launch', 'abc'])).rejects.toBeInstanceOf(UsageError)
  })

  it('should run a due schedule from tick', async () => {
    delete process.env.SIGHTLINE_SMTP_URL
    t = await createTestStore('sqlite')
    await seedCompany(t.store.db)
    const created = JSON.parse((await runCli(t.url, ['campaigns', 'create', '--name', 'Leavers', '--scope', 'leavers', '--fallback', 'it@northwind.example', '--schedule', 'quarterly', '--json'])).stdout) as { scheduleId: number }
    await t.store.db.updateTable('campaign_schedules').set({ next_run_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', created.scheduleId).execute()
    const tick = await runCli(t.url, ['campaigns', 'tick'])
    expect(tick.stdout).toMatch(/scheduled campaign \d+ "Leavers — Q\d \d{4}" launched: 1 items/)
    expect((await runCli(t.url, ['campaigns', 'tick'])).stdout).toContain('0 scheduled campaign(s) launched')
  })
})

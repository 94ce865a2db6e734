import { afterEach, describe, expect, it } from 'vitest'
import { createCampaign, createSmtpTransport, launchCampaign } from '../../data/campaigns/index.js'
import { seedCompany } from '../../data/campaigns/testing/seed.js'
import { mailText, startSmtpSink, type SmtpSink } from '../../data/campaigns/testing/smtp-sink.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { silentLogger } from '../../review-ui/env.js'
import { campaignTickSeconds, startCampaignClock } from './campaign-clock.js'

describe('campaign clock settings', () => {
  it('should default to 15 minutes, accept 0 as off, and refuse anything else with the variable named', () => {
    expect(campaignTickSeconds({})).toBe(900)
    expect(campaignTickSeconds({ SIGHTLINE_CAMPAIGN_TICK_SECONDS: '0' })).toBe(0)
    expect(campaignTickSeconds({ SIGHTLINE_CAMPAIGN_TICK_SECONDS: '2.5' })).toBe(2.5)
    expect(() => campaignTickSeconds({ SIGHTLINE_CAMPAIGN_TICK_SECONDS: 'hourly' })).toThrow(/SIGHTLINE_CAMPAIGN_TICK_SECONDS=hourly/)
  })
})

for (const dialect of DIALECTS) {
  describe(`the server's campaign clock on ${dialect}`, () => {
    let t: TestStore | undefined
    let sink: SmtpSink | undefined
    afterEach(async () => {
      await sink?.close()
      await t?.dispose()
    })

    it('should send the invitation and, once the campaign is overdue, the escalation to the manager, without cron', async () => {
      t = await createTestStore(dialect)
      sink = await startSmtpSink()
      const db = t.store.db
      await seedCompany(db)
      // Manager reviews; the due date has passed, so the tick escalates to the manager's manager (boss).
      const campaign = await createCampaign(db, { name: 'Overdue review', scope: { apps: ['github'] }, reviewer: { kind: 'manager' }, fallbackReviewer: 'it@northwind.example', dueAt: '2026-11-20' }, 'cli:root')
      await launchCampaign(db, campaign.id, 'cli:root')
      const transport = createSmtpTransport({ url: sink.url, from: 'sightline@example.test' })
      const clock = startCampaignClock(t.store, { mail: { transport, from: 'sightline@example.test', baseUrl: null }, dispatch: null }, { seconds: 0.2, baseUrl: 'http://127.0.0.1:8080', logger: silentLogger })
      try {
        await expect.poll(() => sink!.mails.filter((m) => /Subject: .*overdue/i.test(m.raw) || /escalat/i.test(mailText(m.raw))).length, { timeout: 15_000 }).toBeGreaterThan(0)
        await expect.poll(() => sink!.mails.filter((m) => /\/review\/sign-in\/[A-Za-z0-9_-]+/.test(mailText(m.raw))).length, { timeout: 15_000 }).toBeGreaterThan(0)
      } finally {
        await clock.stop()
        transport.close()
      }
      const outbox = await db.selectFrom('outbox').select(['kind', 'status']).execute()
      expect(outbox.some((m) => m.kind === 'escalation' && m.status === 'sent')).toBe(true)
      expect(outbox.some((m) => m.kind === 'invitation' && m.status === 'sent')).toBe(true)
      const sent = await db.selectFrom('audit_events').select('actor').where('action', '=', 'mail.send').execute()
      expect(sent.length).toBeGreaterThan(0)
      expect(sent.every((e) => e.actor === 'system:serve')).toBe(true)
    })
  })
}

import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../testing/test-store.js'
import {
  addMonths, cloneCampaign, consumeSignInLink, createCampaign, createSchedule, createSmtpTransport, hashSignInToken, launchCampaign, queueReminders,
  runDueSchedules, sendOutbox,
} from './index.js'
import { seedCompany, T0 } from './testing/seed.js'
import { mailText, startSmtpSink, type SmtpSink } from './testing/smtp-sink.js'

const IT = 'it@northwind.example'
const MGR = 'mgr@northwind.example'

for (const dialect of DIALECTS) {
  describe(`campaign mail, sign-in links and schedules on ${dialect}`, () => {
    let t: TestStore | undefined
    let sink: SmtpSink | undefined
    afterEach(async () => {
      await sink?.close()
      await t?.dispose()
      sink = undefined
    })

    it('should send invitations over SMTP with single-use, expiring sign-in links stored only as hashes', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      await seedCompany(db)
      const c = await createCampaign(db, { name: 'Q4', scope: {}, reviewer: { kind: 'manager' }, fallbackReviewer: IT, dueAt: '2026-11-30' }, 'cli:root', { now: T0 })
      const launch = await launchCampaign(db, c.id, 'cli:root', { now: '2026-11-02T09:00:00.000Z' })
      sink = await startSmtpSink()
      const transport = createSmtpTransport({ url: sink.url, from: 'sightline@northwind.example' })
      const sent = await sendOutbox(db, { transport, from: 'sightline@northwind.example', baseUrl: 'https://sightline.northwind.example/', actor: 'system:mail', now: () => '2026-11-02T09:01:00.000Z' })
      transport.close()
      expect(sent).toEqual({ sent: launch.reviewers.length, failed: 0 })
      expect(sink.mails.map((m) => m.to[0]).sort()).toEqual(launch.reviewers)
      const mgrMail = mailText(sink.mails.find((m) => m.to[0] === MGR)!.raw)
      expect(mgrMail).toMatch(/review 6 access items in "Q4" by 2026-11-30/)
      const token = /\/review\/sign-in\/([A-Za-z0-9_-]+)/.exec(mgrMail)![1]!
      expect(mgrMail).toContain(`https://sightline.northwind.example/review/sign-in/${token}`)
      const links = await db.selectFrom('reviewer_sign_in_links').selectAll().execute()
      expect(links).toHaveLength(launch.reviewers.length)
      expect(links.some((l) => l.token_hash === hashSignInToken(token))).toBe(true)
      expect(JSON.stringify(links)).not.toContain(token)
      const outbox = await db.selectFrom('outbox').selectAll().execute()
      expect(outbox.every((m) => m.status === 'sent' && !m.body.includes(token))).toBe(true)
      const audit = await db.selectFrom('audit_events').select('payload').execute()
      expect(audit.some((a) => a.payload.includes(token))).toBe(false)
      // single use, and expiring
      expect(await consumeSignInLink(db, token, '2026-11-02T10:00:00.000Z')).toBe(MGR)
      expect(await consumeSignInLink(db, token, '2026-11-02T10:00:01.000Z')).toBeNull()
      const other = /\/review\/sign-in\/([A-Za-z0-9_-]+)/.exec(mailText(sink.mails.find((m) => m.to[0] !== MGR)!.raw))![1]!
      expect(await consumeSignInLink(db, other, '2026-11-06T09:02:00.000Z')).toBeNull()
      expect(await consumeSignInLink(db, 'not-a-token')).toBeNull()
      // nothing left to send
      const again = await sendOutbox(db, { transport: createSmtpTransport({ url: sink.url, from: 'x@y.z' }), from: 'x@y.z', baseUrl: 'http://x', actor: 'system:mail' })
      expect(again).toEqual({ sent: 0, failed: 0 })
    })

    it('should record a failed send and retry it on the next call', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      await seedCompany(db)
      const c = await createCampaign(db, { name: 'Q4', scope: { apps: ['slack'] }, reviewer: { kind: 'manager' }, fallbackReviewer: IT }, 'cli:root')
      await launchCampaign(db, c.id, 'cli:root')
      const dead = createSmtpTransport({ url: 'smtp://127.0.0.1:9', from: 'x@y.z' })
      expect(await sendOutbox(db, { transport: dead, from: 'x@y.z', baseUrl: 'http://x', actor: 'system:mail' })).toEqual({ sent: 0, failed: 1 })
      const row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
      expect(row).toMatchObject({ status: 'failed', attempts: 1 })
      expect(row.error).toMatch(/ECONNREFUSED/)
      sink = await startSmtpSink()
      expect(await sendOutbox(db, { transport: createSmtpTransport({ url: sink.url, from: 'x@y.z' }), from: 'x@y.z', baseUrl: 'http://x', actor: 'system:mail' })).toEqual({ sent: 1, failed: 0 })
    })

    it('should remind before the due date, escalate to the reviewer’s manager after it, and keep quiet for a day', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      await seedCompany(db)
      const c = await createCampaign(db, { name: 'Q4', scope: { apps: ['github'] }, reviewer: { kind: 'manager' }, fallbackReviewer: IT, dueAt: '2026-11-30' }, 'cli:root', { now: T0 })
      await launchCampaign(db, c.id, 'cli:root', { now: '2026-11-02T09:00:00.000Z' })
      expect(await queueReminders(db, { actor: 'system:scheduler', now: '2026-11-10T09:00:00.000Z' })).toEqual({ reminders: 0, escalations: 0 })
      expect(await queueReminders(db, { actor: 'system:scheduler', now: '2026-11-28T09:00:00.000Z' })).toEqual({ reminders: 2, escalations: 0 })
      expect(await queueReminders(db, { actor: 'system:scheduler', now: '2026-11-28T15:00:00.000Z' })).toEqual({ reminders: 0, escalations: 0 })
      expect(await queueReminders(db, { actor: 'system:scheduler', now: '2026-12-02T09:00:00.000Z' })).toEqual({ reminders: 0, escalations: 2 })
      const escalations = await db.selectFrom('outbox').select(['to_email', 'cc_email']).where('kind', '=', 'escalation').orderBy('to_email').execute()
      // mgr (reviewer of the Sales people) escalates to boss; boss (reviewer of mgr) has no manager: the fallback.
      expect(escalations).toEqual([{ to_email: 'boss@northwind.example', cc_email: MGR }, { to_email: IT, cc_email: 'boss@northwind.example' }])
      const audit = await db.selectFrom('audit_events').select('action').execute()
      expect(audit.filter((a) => a.action === 'campaign.remind')).toHaveLength(2)
      expect(audit.filter((a) => a.action === 'campaign.escalate')).toHaveLength(2)
    })

    it('should clone a campaign and run a quarterly schedule from tick exactly when due', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      await seedCompany(db)
      const c = await createCampaign(db, { name: 'Leavers', scope: { leaversOnly: true }, reviewer: { kind: 'owner' }, fallbackReviewer: IT, defaultOutcome: 'revoke' }, 'cli:root')
      const clone = await cloneCampaign(db, c.id, 'cli:root', { name: 'Leavers again', dueAt: '2027-01-31' })
      expect(clone).toMatchObject({ name: 'Leavers again', status: 'draft', scope: c.scope, reviewer_rule: c.reviewer_rule, default_outcome: 'revoke', parent_campaign_id: c.id })
      const s = await createSchedule(db, { name: 'Quarterly leavers', cadence: 'quarterly', template: { name: 'Leavers', scope: { leaversOnly: true }, reviewer: { kind: 'owner' }, fallbackReviewer: IT }, dueDays: 14, firstRunAt: '2027-01-01T00:00:00.000Z' }, 'cli:root')
      expect(await runDueSchedules(db, 'system:scheduler', { now: '2026-12-31T23:59:00.000Z' })).toEqual([])
      const runs = await runDueSchedules(db, 'system:scheduler', { now: '2027-01-01T06:00:00.000Z' })
      expect(runs).toHaveLength(1)
      expect(runs[0]!.campaign).toMatchObject({ name: 'Leavers — Q1 2027', status: 'active', schedule_id: s.id, due_at: '2027-01-15T06:00:00.000Z' })
      expect(runs[0]!.items).toBe(1)
      expect(await db.selectFrom('campaign_schedules').select(['next_run_at', 'last_campaign_id']).executeTakeFirstOrThrow()).toEqual({ next_run_at: '2027-04-01T00:00:00.000Z', last_campaign_id: runs[0]!.campaign.id })
      expect(await runDueSchedules(db, 'system:scheduler', { now: '2027-01-02T06:00:00.000Z' })).toEqual([])
      expect(addMonths('2027-11-30T00:00:00.000Z', 3)).toBe('2028-02-29T00:00:00.000Z')
    })
  })
}

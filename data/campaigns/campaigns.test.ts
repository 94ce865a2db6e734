import { afterEach, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../audit.js'
import { DomainError } from '../errors.js'
import { createTestStore, DIALECTS, type TestStore } from '../testing/test-store.js'
import {
  bulkDecide, campaignDetail, closeCampaign, closeManualRemediation, createCampaign, decideItem, launchCampaign,
  parseScopeText, reassignItem, reviewerInbox, reviewerItem, signOff, undoDecision, verifyRemediationsAfterRun, type CreateCampaignInput, type ItemSnapshot,
} from './index.js'
import { seedCompany, T0, type SeededCompany } from './testing/seed.js'

const IT = 'it@northwind.example'
const MGR = 'mgr@northwind.example'
const BOSS = 'boss@northwind.example'
const LAUNCH = '2026-11-02T09:00:00.000Z'

function input(overrides: Partial<CreateCampaignInput> = {}): CreateCampaignInput {
  return { name: 'Q4 access review', scope: {}, reviewer: { kind: 'manager' }, fallbackReviewer: IT, dueAt: '2026-11-30', ...overrides }
}

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (error: unknown) => error)
  expect(e).toBeInstanceOf(DomainError)
  return e as DomainError
}

for (const dialect of DIALECTS) {
  describe(`campaigns on ${dialect}`, () => {
    let t: TestStore | undefined
    afterEach(async () => t?.dispose())

    async function setup(overrides: Partial<CreateCampaignInput> = {}) {
      t = await createTestStore(dialect)
      const db = t.store.db
      const seed = await seedCompany(db)
      const campaign = await createCampaign(db, input(overrides), 'cli:root', { now: T0 })
      const launch = await launchCampaign(db, campaign.id, 'cli:root', { now: LAUNCH })
      const items = await db.selectFrom('review_items').selectAll().where('campaign_id', '=', campaign.id).orderBy('id').execute()
      return { db, seed, campaign, launch, items }
    }
    const itemOf = (items: Awaited<ReturnType<typeof setup>>['items'], key: keyof SeededCompany['accounts']) => (seed: SeededCompany) => items.find((i) => i.account_id === seed.accounts[key])!

    it('should freeze every account, grant and observed use in scope with reviewers by manager, and later scans change nothing', async () => {
      const { db, seed, launch, items } = await setup()
      expect(launch.items).toBe(7) // 5 accounts, 1 grant, alice's card line for InboxPilot
      expect(items.map((i) => i.kind).sort()).toEqual(['account', 'account', 'account', 'account', 'account', 'grant', 'observed'])
      const bob = itemOf(items, 'bobGithub')(seed)
      expect(bob.reviewer_email).toBe(MGR)
      expect(bob.assigned_by_rule).toBe('manager')
      const snap = JSON.parse(bob.snapshot) as ItemSnapshot
      expect(snap.person).toMatchObject({ email: 'bob@northwind.example', title: 'Account executive', department: 'Sales', managerEmail: MGR })
      expect(snap.account?.entitlements).toEqual([{ kind: 'role', name: 'admin' }])
      expect(snap.lastActivityAt).toBe('2026-10-20T10:00:00.000Z')
      expect(snap.daysInactive).toBe(12)
      expect(snap.peers).toEqual({ department: 'Sales', withAccess: 4, total: 3 })
      expect(snap.target).toMatchObject({ source: 'okta', kind: 'account', externalId: bob.snapshot ? `0oa${seed.apps.github}/00u${seed.people.bob}` : '' })
      const grant = items.find((i) => i.kind === 'grant')!
      const g = JSON.parse(grant.snapshot) as ItemSnapshot
      expect(g.findings.map((f) => f.kind)).toEqual(['risky-grant'])
      expect(g.grant?.scopes[0]?.meaning).toMatch(/mail/i)
      expect(grant.finding_count).toBe(1)
      const observed = items.find((i) => i.kind === 'observed')!
      expect(JSON.parse(observed.snapshot)).toMatchObject({ sources: ['card'], spend: { person: [{ currency: 'USD', amountMinor: 2400 }] } })
      // The manager's own access goes to their manager; the boss has no manager, so the fallback.
      expect(items.find((i) => i.account_id === seed.accounts.mgrGithub)!.reviewer_email).toBe(BOSS)
      // Every reviewer got an account and an invitation (with a sign-in link minted only when sent).
      const reviewers = [...new Set(items.map((i) => i.reviewer_email))].sort()
      expect(launch.reviewers).toEqual(reviewers)
      const users = await db.selectFrom('ui_users').select(['email', 'role']).orderBy('email').execute()
      expect(users.map((u) => u.email)).toEqual(reviewers)
      expect(users.every((u) => u.role === 'reviewer')).toBe(true)
      const mail = await db.selectFrom('outbox').selectAll().where('kind', '=', 'invitation').execute()
      expect(mail.map((m) => m.to_email).sort()).toEqual(reviewers)
      expect(mail.every((m) => m.with_sign_in_link === 1 && !m.body.includes('/review/sign-in/'))).toBe(true)

      // A later scan removes bob's account and changes alice's role: the certified snapshot stays as it was.
      await db.updateTable('accounts').set({ gone_at: '2026-11-03T00:00:00.000Z' }).where('id', '=', seed.accounts.bobGithub).execute()
      await db.updateTable('entitlements').set({ name: 'owner' }).where('account_id', '=', seed.accounts.aliceGithub).execute()
      const after = await db.selectFrom('review_items').select(['id', 'snapshot']).where('campaign_id', '=', launch.campaign.id).orderBy('id').execute()
      expect(after.map((r) => r.snapshot)).toEqual(items.map((r) => r.snapshot))
      const audit = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
      expect(audit.map((a) => a.action)).toEqual(['campaign.create', ...reviewers.map(() => 'ui.user.add'), 'campaign.launch'])
      expect(JSON.parse(audit.at(-1)!.payload)).toMatchObject({ items: 7, byKind: { account: 5, grant: 1, observed: 1 } })
    })

    it('should scope by leavers, shadow apps, risky grants, inactivity and departments', async () => {
      t = await createTestStore(dialect)
      const db = t.store.db
      const seed = await seedCompany(db)
      const kinds = async (scope: string) => {
        const c = await createCampaign(db, input({ scope: parseScopeText(scope) }), 'cli:root', { now: T0 })
        await launchCampaign(db, c.id, 'cli:root', { now: LAUNCH })
        return (await db.selectFrom('review_items').select(['kind', 'person_id', 'app_id']).where('campaign_id', '=', c.id).execute())
      }
      expect((await kinds('leavers')).map((i) => i.person_id)).toEqual([seed.people.carol])
      expect((await kinds('status=shadow')).map((i) => i.kind).sort()).toEqual(['grant', 'observed'])
      expect((await kinds('risky-grants')).map((i) => i.kind)).toEqual(['grant'])
      expect((await kinds('inactive=30')).map((i) => i.kind).sort()).toEqual(['grant', 'observed']) // never seen active
      expect((await kinds('departments=leadership')).length).toBe(0)
      expect((await kinds('apps=slack')).map((i) => i.app_id)).toEqual([seed.apps.slack])
      expect(() => parseScopeText('colour=blue')).toThrow(/unknown term "colour"/)
    })

    it('should never let anyone review their own access, or read or decide another reviewer’s items by id', async () => {
      const { db, seed, items } = await setup({ reviewer: { kind: 'named', email: 'alice@northwind.example' } })
      const own = items.find((i) => i.account_id === seed.accounts.aliceGithub)!
      expect(own.reviewer_email).toBe(IT)
      expect(own.assigned_by_rule).toBe('fallback')
      const bobs = items.find((i) => i.account_id === seed.accounts.bobGithub)!
      expect(bobs.reviewer_email).toBe('alice@northwind.example')
      // IT may not decide alice's item by its id, nor read it; alice cannot take back her own access by reassigning it.
      expect((await rejection(decideItem(db, { itemId: bobs.id, decision: 'keep', version: bobs.version }, IT))).code).toBe('forbidden')
      expect((await rejection(reviewerItem(db, IT, bobs.id))).code).toBe('forbidden')
      expect((await reviewerInbox(db, IT)).map((i) => i.id)).not.toContain(bobs.id)
      expect((await rejection(reassignItem(db, { itemId: own.id, version: own.version, to: 'alice@northwind.example', reason: 'mine' }, IT))).message).toMatch(/own access/)
      // Even an item reassigned by an administrator cannot land on its subject.
      expect((await rejection(reassignItem(db, { itemId: bobs.id, version: bobs.version, to: 'bob@northwind.example', reason: 'x' }, 'cli:root', { asAdministrator: true }))).code).toBe('invalid-input')
      expect(await db.selectFrom('decisions').selectAll().execute()).toEqual([])
    })

    it('should let exactly one of two concurrent decisions win and tell the other why', async () => {
      const { db, seed, items } = await setup()
      const bob = itemOf(items, 'bobGithub')(seed)
      const results = await Promise.allSettled([
        decideItem(db, { itemId: bob.id, decision: 'keep', version: bob.version }, MGR),
        decideItem(db, { itemId: bob.id, decision: 'revoke', reason: 'left the team', version: bob.version }, MGR),
      ])
      const won = results.filter((r) => r.status === 'fulfilled')
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      expect(won).toHaveLength(1)
      expect(lost).toHaveLength(1)
      expect(lost[0]!.reason).toBeInstanceOf(DomainError)
      expect((lost[0]!.reason as DomainError).code).toBe('conflict')
      expect((lost[0]!.reason as DomainError).message).toMatch(/changed since you loaded it.*Reload/)
      const decisions = await db.selectFrom('decisions').selectAll().where('review_item_id', '=', bob.id).execute()
      expect(decisions).toHaveLength(1)
      const now = await db.selectFrom('review_items').selectAll().where('id', '=', bob.id).executeTakeFirstOrThrow()
      expect(now.version).toBe(bob.version + 1)
      expect(now.decision).toBe(decisions[0]!.decision)
      // a stale tab is refused too, and revoke needs a reason
      expect((await rejection(decideItem(db, { itemId: bob.id, decision: 'keep', version: bob.version }, MGR))).code).toBe('conflict')
      expect((await rejection(decideItem(db, { itemId: bob.id, decision: 'revoke', version: now.version }, MGR))).message).toMatch(/needs a reason/)
      const audit = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
      expect(audit.filter((a) => a.action === 'review_item.decide')).toHaveLength(1)
      expect(verifyAuditChain(audit).ok).toBe(true)
    })

    it('should bulk-decide, undo until sign-off, refuse after, and turn revokes into remediations', async () => {
      const { db, seed, campaign, items } = await setup()
      const mine = await reviewerInbox(db, MGR, { campaignId: campaign.id })
      expect(mine.map((i) => i.subjectEmail).sort()).toEqual(['alice@northwind.example', 'alice@northwind.example', 'alice@northwind.example', 'bob@northwind.example', 'bob@northwind.example', 'carol@northwind.example'])
      const alice = mine.filter((i) => i.subjectEmail === 'alice@northwind.example')
      const bulk = await bulkDecide(db, { items: alice.map((i) => ({ id: i.id, version: i.version })), decision: 'keep' }, MGR)
      expect(bulk).toEqual({ decided: alice.map((i) => i.id), conflicts: [] })
      const carol = itemOf(items, 'carolGithub')(seed)
      const decided = await decideItem(db, { itemId: carol.id, decision: 'revoke', reason: 'left in October', version: carol.version }, MGR)
      const undone = await undoDecision(db, { itemId: carol.id, version: decided.version }, MGR)
      expect(undone).toMatchObject({ status: 'pending', decision: null })
      const again = await decideItem(db, { itemId: carol.id, decision: 'revoke', reason: 'left in October', version: undone.version }, MGR)
      expect((await rejection(signOff(db, campaign.id, MGR))).message).toMatch(/2 of your items .* still undecided/)
      for (const i of mine.filter((x) => x.subjectEmail === 'bob@northwind.example')) {
        await decideItem(db, i.kind === 'grant' ? { itemId: i.id, decision: 'revoke', reason: 'reads all mail', version: i.version } : { itemId: i.id, decision: 'modify', reason: 'no admin', modification: 'remove the admin role', version: i.version }, MGR)
      }
      const signed = await signOff(db, campaign.id, MGR)
      expect(signed).toEqual({ items: 6, remediations: 3 })
      expect((await rejection(undoDecision(db, { itemId: carol.id, version: again.version + 1 }, MGR))).message).toMatch(/signed off/)
      const rems = await db.selectFrom('remediations').selectAll().orderBy('id').execute()
      expect(rems.map((r) => [r.mode, r.action, r.source, r.status]).sort()).toEqual([
        ['automatic', 'remove-account', 'okta', 'pending'],
        ['automatic', 'revoke-grant', 'google-workspace', 'pending'],
        ['manual', 'modify', null, 'pending'],
      ])
      const manual = rems.find((r) => r.mode === 'manual')!
      expect(manual.owner_email).toBe(IT) // GitHub's owner
      expect(manual.due_at).not.toBeNull()
      expect(await db.selectFrom('outbox').select('to_email').where('kind', '=', 'remediation-task').execute()).toEqual([{ to_email: IT }])
      const history = await db.selectFrom('decisions').selectAll().where('review_item_id', '=', carol.id).orderBy('id').execute()
      expect(history.map((h) => [h.decision, h.undone_at != null])).toEqual([['revoke', true], ['revoke', false]])
      const rubber = (await campaignDetail(db, campaign.id)).rubberStamp
      expect(rubber.find((r) => r.reviewer === MGR)).toMatchObject({ decided: 6, kept: 3 })
    })

    it('should close with defaults marked as defaults, and open stage 2 for what stage 1 kept', async () => {
      const { db, seed, campaign, items } = await setup({ stage2: { kind: 'owner' }, defaultOutcome: 'keep' })
      const bob = itemOf(items, 'bobGithub')(seed)
      await decideItem(db, { itemId: bob.id, decision: 'revoke', reason: 'moved team', version: bob.version }, MGR)
      const stage1 = await closeCampaign(db, campaign.id, 'cli:root', { now: '2026-12-01T00:00:00.000Z' })
      expect(stage1).toMatchObject({ defaulted: 6, remediations: 1, advancedToStage: 2, stage2Items: 6 })
      const defaults = await db.selectFrom('review_items').selectAll().where('campaign_id', '=', campaign.id).where('stage', '=', 1).where('is_default', '=', 1).execute()
      expect(defaults).toHaveLength(6)
      expect(defaults.every((d) => d.decision === 'keep' && d.decided_by === 'system:campaign-default')).toBe(true)
      const stage2 = await db.selectFrom('review_items').selectAll().where('campaign_id', '=', campaign.id).where('stage', '=', 2).execute()
      // GitHub's owner is IT; Slack's owner is alice, who cannot review her own Slack account, so IT (the fallback) does.
      expect(new Set(stage2.map((i) => i.reviewer_email))).toEqual(new Set([IT]))
      expect(stage2.find((i) => i.account_id === seed.accounts.aliceSlack)!.assigned_by_rule).toBe('fallback')
      expect(JSON.parse(stage2[0]!.previous!)).toMatchObject({ stage: 1, decision: 'keep', isDefault: true })
      const closed = await closeCampaign(db, campaign.id, 'cli:root', { now: '2026-12-02T00:00:00.000Z' })
      expect(closed.campaign.status).toBe('closed')
      expect(closed.advancedToStage).toBeNull()
      const late = stage2[0]!
      expect((await rejection(decideItem(db, { itemId: late.id, decision: 'keep', version: late.version + 1 }, IT))).message).toMatch(/closed/)
    })

    it('should put only what changed since the last closed campaign of the same scope in a delta, with the earlier decision', async () => {
      const { db, seed, campaign, items } = await setup({ scope: { apps: ['github'] } })
      const bob = itemOf(items, 'bobGithub')(seed)
      await decideItem(db, { itemId: bob.id, decision: 'keep', reason: 'needs admin for releases', version: bob.version }, MGR)
      await closeCampaign(db, campaign.id, 'cli:root', { now: '2026-12-01T00:00:00.000Z' })
      // Since then: bob's role changed, and a new person got an account. Alice, mgr, carol are unchanged.
      await db.updateTable('entitlements').set({ name: 'owner' }).where('account_id', '=', seed.accounts.bobGithub).execute()
      await db.insertInto('accounts').values({ app_id: seed.apps.github, person_id: seed.people.boss, source: 'okta', external_id: 'new', email: BOSS, status: 'ACTIVE', first_seen_at: T0, last_seen_at: T0 }).execute()
      const delta = await createCampaign(db, input({ scope: { apps: ['github'] }, delta: true, name: 'Q1 delta' }), 'cli:root', { now: '2026-12-05T00:00:00.000Z' })
      const launched = await launchCampaign(db, delta.id, 'cli:root', { now: '2026-12-05T00:00:00.000Z' })
      expect(launched).toMatchObject({ items: 2, unchanged: 3, baselineCampaignId: campaign.id })
      const rows = await db.selectFrom('review_items').selectAll().where('campaign_id', '=', delta.id).orderBy('id').execute()
      const changed = rows.find((r) => r.account_id === seed.accounts.bobGithub)!
      expect(JSON.parse(changed.previous!)).toMatchObject({ campaignId: campaign.id, decision: 'keep', reason: 'needs admin for releases', decidedBy: MGR, isDefault: false })
      expect(rows.find((r) => r.person_id === seed.people.boss)!.previous).toBeNull()
      // A different scope has no baseline: everything is in front of reviewers.
      const other = await createCampaign(db, input({ scope: { apps: ['github', 'slack'] }, delta: true }), 'cli:root')
      expect((await launchCampaign(db, other.id, 'cli:root')).baselineCampaignId).toBeNull()
    })

    it('should verify a remediation with the next completed run of its source, or reopen it as still present', async () => {
      const { db, seed, campaign, items } = await setup({ scope: { apps: ['github'] }, reviewer: { kind: 'named', email: MGR } })
      for (const key of ['bobGithub', 'carolGithub'] as const) {
        const i = itemOf(items, key)(seed)
        await decideItem(db, { itemId: i.id, decision: 'revoke', reason: 'not needed', version: i.version }, MGR)
      }
      await closeCampaign(db, campaign.id, 'cli:root', { now: '2026-12-01T00:00:00.000Z' })
      const rems = await db.selectFrom('remediations').selectAll().orderBy('id').execute()
      expect(rems).toHaveLength(2)
      // Both done by hand (no automatic dispatch here); IT records what it did.
      for (const r of rems) {
        await db.updateTable('remediations').set({ status: 'failed', attempts: 3, error: 'no credentials' }).where('id', '=', r.id).execute()
        await closeManualRemediation(db, { id: r.id, note: 'removed in the Okta admin console' }, IT, { now: '2026-12-02T00:00:00.000Z' })
      }
      expect((await rejection(closeManualRemediation(db, { id: rems[0]!.id, note: '' }, IT))).code).toBe('invalid-input')
      // The next completed Okta scan no longer sees bob's account, but still sees carol's.
      const run = await db.insertInto('scan_runs').values({ collector: 'okta', source_key: 'northwind.okta.com', mode: 'live', status: 'running', started_at: '2026-12-03T00:00:00.000Z', heartbeat_at: '2026-12-03T00:00:00.000Z', counts: '{}', item_errors: '[]' }).returning('id').executeTakeFirstOrThrow()
      await db.updateTable('accounts').set({ gone_at: '2026-12-03T00:05:00.000Z' }).where('id', '=', seed.accounts.bobGithub).execute()
      // An import that lists no accounts proves nothing about them.
      expect(await verifyRemediationsAfterRun(db, { source: 'okta', runId: run.id, kinds: ['signin'], at: '2026-12-03T00:05:00.000Z' })).toEqual({ verified: 0, stillPresent: 0 })
      expect(await verifyRemediationsAfterRun(db, { source: 'google-workspace', runId: run.id, kinds: ['account'], at: '2026-12-03T00:05:00.000Z' })).toEqual({ verified: 0, stillPresent: 0 })
      const result = await verifyRemediationsAfterRun(db, { source: 'okta', runId: run.id, kinds: ['person', 'app', 'account'], at: '2026-12-03T00:05:00.000Z' })
      expect(result).toEqual({ verified: 1, stillPresent: 1 })
      const after = await db.selectFrom('remediations as r').innerJoin('review_items as i', 'i.id', 'r.review_item_id').select(['i.account_id', 'r.status', 'r.verified_by_scan_run_id', 'r.checked_by_scan_run_id', 'r.reopened']).execute()
      expect(after.find((r) => r.account_id === seed.accounts.bobGithub)).toMatchObject({ status: 'verified', verified_by_scan_run_id: run.id })
      expect(after.find((r) => r.account_id === seed.accounts.carolGithub)).toMatchObject({ status: 'still-present', verified_by_scan_run_id: null, checked_by_scan_run_id: run.id, reopened: 1 })
      const audit = await db.selectFrom('audit_events').select('action').orderBy('seq').execute()
      expect(audit.map((a) => a.action).filter((a) => a.startsWith('remediation.'))).toEqual(['remediation.close', 'remediation.close', 'remediation.verify', 'remediation.still_present'])
    })
  })
}

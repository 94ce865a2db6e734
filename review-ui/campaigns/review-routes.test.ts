import { afterEach, describe, expect, it } from 'vitest'
import { countReviewerInbox, createCampaign, launchCampaign, mintSignInLink, reviewerInbox } from '../../data/campaigns/index.js'
import { seedCompany, type SeededCompany } from '../../data/campaigns/testing/seed.js'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, sessionCookieFrom, type UiTestKit } from '../testing/ui-test-kit.js'

const REVIEWER = 'reviewer@example.test'
const IT = 'it@example.test'

for (const dialect of DIALECTS) {
  describe(`reviewer inbox on ${dialect}`, () => {
    let kit: UiTestKit | undefined
    afterEach(async () => kit?.dispose())

    /** GitHub reviewed by the reviewer; their own GitHub account goes to IT (the fallback). */
    async function setup() {
      let seed!: SeededCompany
      kit = await createUiTestKit(dialect, {
        seed: async (store) => {
          seed = await seedCompany(store.db)
          const me = await store.db.insertInto('people').values({ email: REVIEWER, name: 'Rae Viewer', status: 'active', created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()
          await store.db.insertInto('accounts').values({ app_id: seed.apps.github, person_id: me.id, source: 'okta', external_id: 'own', email: REVIEWER, first_seen_at: '2026-11-01T00:00:00.000Z', last_seen_at: '2026-11-01T00:00:00.000Z' }).execute()
        },
      })
      const db = kit.store.db
      const c = await createCampaign(db, { name: 'GitHub review', scope: { apps: ['github'] }, reviewer: { kind: 'named', email: REVIEWER }, fallbackReviewer: IT }, 'cli:root')
      await launchCampaign(db, c.id, 'cli:root')
      const items = await db.selectFrom('review_items').selectAll().where('campaign_id', '=', c.id).orderBy('id').execute()
      return { db, seed, campaign: c, items, mine: items.filter((i) => i.reviewer_email === REVIEWER), own: items.find((i) => i.subject_email === REVIEWER)! }
    }

    it('should show a reviewer only their own items, with what makes the decision quick', async () => {
      const { mine, own } = await setup()
      expect(own.reviewer_email).toBe(IT)
      const agent = await kit!.signIn('reviewer')
      const page = await agent.get('/review')
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('GitHub review')
      expect(html).toContain(`of ${mine.length} items decided`)
      expect(html).toContain('bob@northwind.example')
      expect(html).toContain('Account executive, Sales')
      expect(html).toContain('days inactive')
      expect(html).toMatch(/\d+ of \d+ in Sales have GitHub/)
      expect(html).toContain('Keyboard shortcuts')
      expect(html).not.toContain(`/review/items/${own.id}/`)
    })

    it('should page the inbox in the same order as the whole list, count what matches, and clamp a page past the end', async () => {
      const { db, campaign, mine } = await setup()
      expect(mine.length).toBeGreaterThanOrEqual(2)
      const whole = await reviewerInbox(db, REVIEWER, { campaignId: campaign.id })
      expect(await countReviewerInbox(db, REVIEWER, { campaignId: campaign.id })).toBe(mine.length)
      const second = await reviewerInbox(db, REVIEWER, { campaignId: campaign.id, limit: 1, offset: 1 })
      expect(second.map((i) => i.id)).toEqual([whole[1]!.id])
      expect(await countReviewerInbox(db, REVIEWER, { campaignId: campaign.id, text: 'no-such-person' })).toBe(0)
      const agent = await kit!.signIn('reviewer')
      const page = await agent.get(`/review?campaign=${campaign.id}&page=999`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('bob@northwind.example')
    })

    it('should refuse to let a reviewer decide, undo or reassign another reviewer’s item by changing the id', async () => {
      const { db, mine, own } = await setup()
      const reviewer = await kit!.signIn('reviewer')
      const it = await kit!.signIn('it')
      // The reviewer tries the item about their own access (IT's item) and IT tries one of the reviewer's items.
      expect((await reviewer.post(`/review/items/${own.id}/decide`, { decision: 'keep', version: String(own.version) })).status).toBe(403)
      expect((await reviewer.post(`/review/items/${own.id}/reassign`, { to: REVIEWER, reason: 'mine', version: String(own.version) })).status).toBe(403)
      expect((await reviewer.get(`/review/items/${own.id}/reassign`)).status).toBe(403)
      const target = mine[0]!
      expect((await it.post(`/review/items/${target.id}/decide`, { decision: 'revoke', reason: 'x', version: String(target.version) })).status).toBe(403)
      expect((await it.post(`/review/items/${target.id}/undo`, { version: String(target.version) })).status).toBe(403)
      expect((await it.post('/review/bulk', { decision: 'keep', item: `${target.id}:${target.version}` })).status).toBe(403)
      expect(await (await it.get(`/review?text=${encodeURIComponent(target.subject_email!)}`)).text()).not.toContain(`/review/items/${target.id}/`)
      expect(await db.selectFrom('decisions').selectAll().execute()).toEqual([])
      // The rightful reviewers can.
      expect((await it.post(`/review/items/${own.id}/decide`, { decision: 'keep', version: String(own.version) })).status).toBe(303)
    })

    it('should hand an item on from its own page, linked from the inbox card, and only ever go back into the inbox', async () => {
      const { db, campaign, mine } = await setup()
      const target = mine[0]!
      const reviewer = await kit!.signIn('reviewer')
      const inbox = await (await reviewer.get(`/review?campaign=${campaign.id}`)).text()
      expect(inbox).toContain(`/review/items/${target.id}/reassign?back=%2Freview`)
      const page = await reviewer.get(`/review/items/${target.id}/reassign?back=${encodeURIComponent('//evil.example/review')}`)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain(`action="/review/items/${target.id}/reassign"`)
      expect(html).toContain(`name="version" value="${target.version}"`)
      expect(html).toContain('name="back" value="/review"')
      expect(html).not.toContain('evil.example')
      const handed = await reviewer.post(`/review/items/${target.id}/reassign`, { to: 'carol@northwind.example', reason: 'she owns it', version: String(target.version), back: '/review' })
      expect(handed.status).toBe(303)
      expect((await db.selectFrom('review_items').select('reviewer_email').where('id', '=', target.id).executeTakeFirstOrThrow()).reviewer_email).toBe('carol@northwind.example')
      // Once handed on, the old reviewer's link answers 403 like any other reviewer's item.
      expect((await reviewer.get(`/review/items/${target.id}/reassign`)).status).toBe(403)
    })

    it('should keep a reviewer to their own items: the app, people, findings and campaign pages behind them answer 403, nothing changes', async () => {
      const { db, seed, campaign, mine, own } = await setup()
      const reviewer = await kit!.signIn('reviewer')
      const inbox = await (await reviewer.get('/review')).text()
      // The inbox describes each item in place; it links to no page the reviewer could not open.
      expect(inbox).not.toMatch(/href="\/(apps|people|findings|campaigns|spend)\//)
      // Object ids the reviewer can learn from their own items (the app under review, the people on it, their
      // own person record, IT's item about them) open nothing beyond the inbox.
      const subjects = await db.selectFrom('people').select('id').where('email', 'in', [...mine.map((i) => i.subject_email!), REVIEWER]).execute()
      const finding = await db.selectFrom('findings').select('id').executeTakeFirst()
      const paths = [
        `/apps/${seed.apps.github}`, '/apps', ...subjects.map((p) => `/people/${p.id}`), '/people', `/campaigns/${campaign.id}`, '/campaigns', '/findings',
        ...(finding ? [`/findings/${finding.id}`] : []), '/spend', '/imports', '/evidence',
      ]
      for (const path of paths) expect([path, (await reviewer.get(path)).status]).toEqual([path, 403])
      const auditBefore = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect((await reviewer.post(`/apps/${seed.apps.github}/status`, { status: 'blocked' })).status).toBe(403)
      expect((await reviewer.post(`/campaigns/${campaign.id}/close`, {})).status).toBe(403)
      // IT's item about the reviewer's own access is not theirs to touch.
      expect((await reviewer.post(`/review/items/${own.id}/undo`, { version: String(own.version) })).status).toBe(403)
      const app = await db.selectFrom('apps').select('status').where('id', '=', seed.apps.github).executeTakeFirstOrThrow()
      expect(app.status).not.toBe('blocked')
      const auditAfter = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(Number(auditAfter.n)).toBe(Number(auditBefore.n))
      // And the overview sends them to their reviews, showing no inventory figures.
      const overview = await (await reviewer.get('/')).text()
      expect(overview).toContain('href="/review"')
      expect(overview).not.toContain('Open findings')
    })

    it('should let one of two tabs win and show the other a conflict; bulk, undo and sign-off work as forms', async () => {
      const { db, mine } = await setup()
      const agent = await kit!.signIn('reviewer')
      const [first, ...rest] = mine
      const a = await agent.post(`/review/items/${first!.id}/decide`, { decision: 'revoke', reason: 'left the team', version: String(first!.version), back: '/review?group=app' })
      expect(a.status).toBe(303)
      expect(a.headers.get('location')).toMatch(/^\/review\?group=app&notice=/)
      const b = await agent.post(`/review/items/${first!.id}/decide`, { decision: 'keep', version: String(first!.version) })
      expect(b.status).toBe(409)
      expect(await b.text()).toContain('changed since you loaded it')
      const bulk = await agent.post('/review/bulk', { decision: 'keep', all: rest.map((i) => `${i.id}:${i.version}`).join(',') })
      expect(bulk.status).toBe(303)
      expect(decodeURIComponent(bulk.headers.get('location')!)).toContain(`${rest.length} item(s): keep.`)
      const undo = await agent.post(`/review/items/${first!.id}/undo`, { version: String(first!.version + 1) })
      expect(undo.status).toBe(303)
      const again = await db.selectFrom('review_items').select('version').where('id', '=', first!.id).executeTakeFirstOrThrow()
      expect((await agent.post(`/review/items/${first!.id}/decide`, { decision: 'revoke', reason: 'left the team', version: String(again.version) })).status).toBe(303)
      expect(await (await agent.get('/review')).text()).toContain('Sign off my decisions')
      const signed = await agent.post(`/review/campaigns/${mine[0]!.campaign_id}/sign-off`)
      expect(signed.status).toBe(303)
      expect(await db.selectFrom('remediations').select('status').execute()).toEqual([{ status: 'pending' }])
      expect((await agent.post(`/review/items/${first!.id}/undo`, { version: String(again.version + 2) })).status).toBe(400)
    })

    it('should sign a reviewer in once with an emailed link and never from a used or unknown one', async () => {
      const { db, campaign } = await setup()
      const token = await mintSignInLink(db, { email: REVIEWER, campaignId: campaign.id, now: kit!.clock.now() })
      const page = await kit!.request(`/review/sign-in/${token}`)
      expect(page.status).toBe(200)
      expect(await db.selectFrom('reviewer_sign_in_links').select('used_at').executeTakeFirstOrThrow()).toEqual({ used_at: null })
      const signIn = await kit!.postForm(`/review/sign-in/${token}`, {})
      expect(signIn.status).toBe(303)
      expect(signIn.headers.get('location')).toBe('/review')
      const cookie = sessionCookieFrom(signIn)!
      const inbox = await kit!.request('/review', { headers: { Cookie: cookie } })
      expect(inbox.status).toBe(200)
      expect(await inbox.text()).toContain('GitHub review')
      expect((await kit!.postForm(`/review/sign-in/${token}`, {})).status).toBe(400)
      expect((await kit!.postForm('/review/sign-in/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {})).status).toBe(400)
      const session = await db.selectFrom('ui_sessions').select('auth_method').where('auth_method', '=', 'email-link').execute()
      expect(session).toHaveLength(1)
    })

    it('should let IT create, launch and close a campaign from the pages, and keep reviewers out of them', async () => {
      await setup()
      const it = await kit!.signIn('it')
      const bad = await it.post('/campaigns', { name: '', fallback: '' })
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain('Enter a name for the campaign')
      const created = await it.post('/campaigns', { name: 'Slack', apps: 'slack', reviewer: 'owner', fallback: IT, due: '2026-12-31', default: 'keep', then: 'launch' })
      expect(created.status).toBe(303)
      const dashboard = await it.get(created.headers.get('location')!)
      const html = await dashboard.text()
      expect(html).toContain('Launched: 1 items for 1 reviewers.')
      expect(html).toContain('Progress by reviewer')
      expect(html).toContain('invitation')
      const id = /\/campaigns\/(\d+)/.exec(created.headers.get('location')!)![1]
      expect((await it.post(`/campaigns/${id}/close`)).status).toBe(303)
      const reviewer = await kit!.signIn('reviewer')
      expect((await reviewer.get(`/campaigns/${id}`)).status).toBe(403)
      expect((await reviewer.post(`/campaigns/${id}/close`)).status).toBe(403)
      expect((await reviewer.get('/remediations')).status).toBe(403)
    })
  })
}

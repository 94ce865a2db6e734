import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, type SignedInAgent, type UiTestKit } from '../testing/ui-test-kit.js'
import { seedSmallCompany } from '../testing/seed.js'

describe.each(DIALECTS)('People pages (%s)', (dialect) => {
  let kit: UiTestKit
  let it_: SignedInAgent
  const personId = async (email: string): Promise<number> =>
    (await kit.store.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id

  beforeAll(async () => {
    kit = await createUiTestKit(dialect, { seed: seedSmallCompany })
    it_ = await kit.signIn('it')
  })
  afterAll(async () => kit?.dispose())

  it('should list everyone on the roster, with search and the leavers filter', async () => {
    const all = await (await it_.get('/people')).text()
    for (const name of ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson', 'Rosalind Franklin', 'Alan Turing']) expect(all).toContain(name)
    const search = await (await it_.get('/people?q=hopper')).text()
    expect(search).toContain('Grace Hopper')
    expect(search).not.toContain('Ada Lovelace')
    const leavers = await (await it_.get('/people?leavers=1')).text()
    expect(leavers).toContain('Rosalind Franklin')
    expect(leavers).toContain('left, still holds access')
    expect(leavers).not.toContain('Grace Hopper')
  })

  it("should show a leaver's page with what they still hold, their grant's scopes in plain words, and charges after leaving", async () => {
    const res = await it_.get(`/people/${await personId('rosalind@northwind.example')}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Left on 2026-09-30, still holds')
    expect(html).toContain('Zoom')
    expect(html).toMatch(/events on the user(&#39;|’|')s calendars/)
    expect(html).toContain('Charged after they left')
    expect(html).toContain('120.00 USD')
  })

  it('should list the people the HR roster stopped listing, with the date, and say so on their page', async () => {
    // As a roster import leaves it (data/people.ts marks who a newer roster no longer lists).
    await kit.store.db.updateTable('people').set({ roster_missing_since: '2026-11-02T08:00:00.000Z' }).where('email', '=', 'grace@northwind.example').execute()
    try {
      const html = await (await it_.get('/people?leavers=missing')).text()
      expect(html).toContain('Grace Hopper')
      expect(html).toContain('missing from the HR roster since 2026-11-02')
      expect(html).not.toContain('Ada Lovelace')
      expect(html).toContain('<option value="missing" selected')
      const page = await (await it_.get(`/people/${await personId('grace@northwind.example')}`)).text()
      expect(page).toContain('Missing from the HR roster since 2026-11-02')
      // Everyone else's rows and pages say nothing of it.
      expect(await (await it_.get('/people?q=lovelace')).text()).not.toContain('missing from the HR roster')
    } finally {
      await kit.store.db.updateTable('people').set({ roster_missing_since: null }).where('email', '=', 'grace@northwind.example').execute()
    }
  })

  it('should answer 404 for a person id that does not exist and for a non-numeric id', async () => {
    expect((await it_.get('/people/999999')).status).toBe(404)
    expect((await it_.get('/people/abc')).status).toBe(404)
  })

  it('should refuse finance and reviewers (they see no OAuth scopes or other people) and let auditors read', async () => {
    const id = await personId('grace@northwind.example')
    for (const role of ['finance', 'reviewer'] as const) {
      const agent = await kit.signIn(role)
      expect((await agent.get('/people')).status).toBe(403)
      expect((await agent.get(`/people/${id}`)).status).toBe(403)
    }
    const auditor = await kit.signIn('auditor')
    const html = await (await auditor.get(`/people/${id}`)).text()
    expect(html).toContain('reads every email')
  })
})

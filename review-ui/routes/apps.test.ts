import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, type UiTestKit } from '../testing/ui-test-kit.js'
import { seedSmallCompany } from '../testing/seed.js'

describe.each(DIALECTS)('Apps pages (%s)', (dialect) => {
  let kit: UiTestKit
  const appId = async (name: string): Promise<number> => (await kit.store.db.selectFrom('apps').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
  beforeAll(async () => {
    kit = await createUiTestKit(dialect, { seed: seedSmallCompany })
  })
  afterAll(async () => kit?.dispose())

  it('should list apps sorted by spend, searchable, with sortable headers as links', async () => {
    const it_ = await kit.signIn('finance')
    const html = await (await it_.get('/apps?sort=spend&dir=desc')).text()
    expect(html.indexOf('>Notion<')).toBeLessThan(html.indexOf('>Figma<'))
    expect(html).toContain('aria-sort="descending"')
    const found = await (await it_.get('/apps?q=fig')).text()
    expect(found).toContain('>Figma<')
    expect(found).not.toContain('>Notion<')
  })

  it("should show an app's users with last sign-in, grants in plain words, spend by month and cardholder, identifiers and findings", async () => {
    const it_ = await kit.signIn('it')
    const html = await (await it_.get(`/apps/${await appId('Slack')}`)).text()
    expect(html).toContain('reads every email')
    expect(html).toContain('How Sightline recognised it')
    const figma = await (await it_.get(`/apps/${await appId('Figma')}`)).text()
    expect(figma).toContain('By cardholder')
    expect(figma).toContain('Ada Lovelace')
    expect(figma).toContain('45.00 USD')
  })

  it('should hide OAuth scopes and people from finance on the app page', async () => {
    const finance = await kit.signIn('finance')
    const html = await (await finance.get(`/apps/${await appId('Slack')}`)).text()
    expect(html).not.toContain('reads every email')
    expect(html).not.toContain('Users and accounts')
  })

  it('should let IT set status and owner (audited with the user as actor), and refuse finance and auditors', async () => {
    const id = await appId('Figma')
    for (const role of ['finance', 'auditor'] as const) {
      const agent = await kit.signIn(role)
      expect((await agent.post(`/apps/${id}/status`, { status: 'blocked', owner: '' })).status).toBe(403)
    }
    const it_ = await kit.signIn('it')
    const res = await it_.post(`/apps/${id}/status`, { status: 'sanctioned', owner: 'Ada@Northwind.example' })
    expect(res.status).toBe(303)
    const row = await kit.store.db.selectFrom('apps').select(['status', 'owner_email']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'sanctioned', owner_email: 'ada@northwind.example' })
    const audit = await kit.store.db.selectFrom('audit_events').select('actor').where('action', '=', 'app.status.set').executeTakeFirstOrThrow()
    expect(audit.actor).toBe('it@example.test')
    expect((await it_.post(`/apps/${id}/status`, { status: 'loved' })).status).toBe(400)
    expect((await it_.post('/apps/999999/status', { status: 'blocked' })).status).toBe(404)
  })

  it("should map an unknown app's signal to a catalog app, and refuse a signal that is not this app's", async () => {
    const it_ = await kit.signIn('it')
    const tallyfox = await appId('Tallyfox Io')
    const ident = await kit.store.db.selectFrom('identifiers').select(['kind', 'example_raw']).where('app_id', '=', tallyfox).executeTakeFirstOrThrow()
    const notMine = await it_.post(`/apps/${tallyfox}/map`, { kind: 'merchant', raw: 'FIGMA SAN FRANCISCO CA', appKey: 'notion' })
    expect(notMine.status).toBe(404)
    const res = await it_.post(`/apps/${tallyfox}/map`, { kind: ident.kind, raw: ident.example_raw, appKey: 'notion' })
    expect(res.status).toBe(303)
    const line = await kit.store.db.selectFrom('spend_transactions as s').innerJoin('apps', 'apps.id', 's.app_id').select('apps.name').where('s.merchant_raw', '=', 'TALLYFOX IO').executeTakeFirstOrThrow()
    expect(line.name).toBe('Notion')
  })
})

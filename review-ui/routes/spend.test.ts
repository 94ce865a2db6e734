import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, type UiTestKit } from '../testing/ui-test-kit.js'
import { seedSmallCompany, SMALL_COMPANY } from '../testing/seed.js'

const hostileSpend = `${SMALL_COMPANY.spend}\n2026-11-05T10:00:00.000Z,2026-11-06T10:00:00.000Z,Transaction,9.99,403.99,Grace Hopper,=HYPERLINK("http://evil.example"),New York,Card,@SUM(1+1) PAYMENT,@SUM(1+1),Software,Software Subscriptions,3333,,tx-7`

describe.each(DIALECTS)('Spend page (%s)', (dialect) => {
  let kit: UiTestKit
  beforeAll(async () => {
    kit = await createUiTestKit(dialect, { seed: (store) => seedSmallCompany(store, { spend: hostileSpend }) })
  })
  afterAll(async () => kit?.dispose())

  it('should group spend by app within a month range, per currency', async () => {
    const finance = await kit.signIn('finance')
    const html = await (await finance.get('/spend?by=app&from=2026-10&to=2026-11')).text()
    expect(html).toContain('Figma')
    expect(html).toContain('90.00 USD') // October and November Figma charges only
    expect(html).not.toContain('135.00 USD')
  })

  it('should export the report as CSV with formula cells neutralised', async () => {
    const finance = await kit.signIn('finance')
    const res = await finance.get('/spend/export.csv?by=department')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sightline-spend-by-department.csv"')
    const csv = await res.text()
    expect(csv.split('\r\n')[0]).toBe('department,currency,total,lines,monthly_run_rate,annual_run_rate,first_date,last_date')
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`)
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m)
  })

  it('should answer 400 with the field named for a malformed month, and 403 for IT and reviewers', async () => {
    const finance = await kit.signIn('finance')
    const bad = await finance.get('/spend?from=2026-13')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('From month: enter it as YYYY-MM')
    for (const role of ['it', 'reviewer'] as const) {
      const agent = await kit.signIn(role)
      expect((await agent.get('/spend')).status).toBe(403)
      expect((await agent.get('/spend/export.csv')).status).toBe(403)
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, type UiTestKit } from '../testing/ui-test-kit.js'
import { seedSmallCompany } from '../testing/seed.js'

describe.each(DIALECTS)('Overview (%s)', (dialect) => {
  let kit: UiTestKit
  beforeAll(async () => {
    kit = await createUiTestKit(dialect, { seed: seedSmallCompany })
  })
  afterAll(async () => kit?.dispose())

  it('should show app counts, open findings by severity, spend by month and source freshness, with SVG charts', async () => {
    const admin = await kit.signIn('admin')
    const res = await admin.get('/')
    expect(res.status).toBe(200)
    const html = await res.text()
    const apps = await kit.store.db.selectFrom('apps').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(html).toContain(`<p class="card__label">Apps discovered</p><p class="card__value"><a href="/apps">${Number(apps.n)}</a>`)
    expect(html).toContain('<svg class="chart" role="img" aria-labelledby="apps-by-status-title apps-by-status-desc"')
    expect(html).toContain('Open findings by severity')
    // Figma 45.00 a month; Notion 120.00 in October and November; Tallyfox 19.00 in October.
    expect(html).toContain('2026-09: 45.00 USD; 2026-10: 184.00 USD; 2026-11: 165.00 USD')
    for (const source of ['hr', 'google', 'signin-csv', 'spend']) expect(html).toContain(`<td>${source}</td>`)
    expect(html).not.toMatch(/<script|style=/)
  })

  it('should show finance spend but not findings, and a reviewer only their own work', async () => {
    const finance = await (await (await kit.signIn('finance')).get('/')).text()
    expect(finance).toContain('Spend by month')
    expect(finance).not.toContain('Open findings by severity')
    const reviewer = await (await kit.signIn('reviewer')).get('/')
    expect(reviewer.status).toBe(200)
    const html = await reviewer.text()
    expect(html).toContain('Your reviews')
    expect(html).not.toContain('Spend by month')
  })

  it('should mark a source stale when its last completed run is older than a week', async () => {
    kit.clock.advance(10 * 86_400_000)
    const html = await (await (await kit.signIn('it')).get('/')).text()
    expect(html).toContain('stale')
    expect(html).not.toContain('>fresh<')
  })
})

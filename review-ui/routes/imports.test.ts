import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { createUiTestKit, type UiTestKit } from '../testing/ui-test-kit.js'
import { seedSmallCompany } from '../testing/seed.js'

describe.each(DIALECTS)('Imports & scans page (%s)', (dialect) => {
  let kit: UiTestKit
  beforeAll(async () => {
    kit = await createUiTestKit(dialect, { seed: seedSmallCompany })
  })
  afterAll(async () => kit?.dispose())

  it('should list every run newest first with its counts and who started it, and filter by source', async () => {
    const it_ = await kit.signIn('it')
    const html = await (await it_.get('/imports')).text()
    expect(html).toContain('brex.csv')
    expect(html).toContain('spend read 6')
    expect(html).toContain('roster.csv')
    expect(html).toContain('command line')
    expect(html.indexOf('analyzer')).toBeLessThan(html.indexOf('roster.csv'))
    expect(html).not.toContain('/tmp/') // file names only, never the server's directories
    const spendOnly = await (await it_.get('/imports?collector=spend')).text()
    expect(spendOnly).toContain('brex.csv')
    expect(spendOnly).not.toContain('roster.csv')
  })

  it('should link finance and admin to the statement upload, and refuse reviewers', async () => {
    const finance = await (await (await kit.signIn('finance')).get('/imports')).text()
    expect(finance).toContain('href="/spend/uploads"')
    expect(await (await (await kit.signIn('auditor')).get('/imports')).text()).not.toContain('href="/spend/uploads"')
    expect((await (await kit.signIn('reviewer')).get('/imports')).status).toBe(403)
  })
})

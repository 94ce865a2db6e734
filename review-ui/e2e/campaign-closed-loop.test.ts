// The whole closed loop of an access review in Debian's Chromium, against the real `sightline serve` and the real
// CLI, with the company's access coming from a live scan of a (fake, wire-true) Okta org:
// IT creates and launches a campaign in the browser → the server's own clock mails the invitations (local SMTP
// server), reminders, and an escalation for an overdue campaign → one manager signs in from the emailed link, the
// other through single sign-on (OpenID Connect against a local issuer) → they decide, one revoke and one modify,
// the rest kept in bulk, and sign off → the revoke is carried out at Okta by the server's clock → IT closes the
// manual task → the next `sightline scan okta` verifies the revoke → IT closes the campaign.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OAuth2Server } from 'oauth2-mock-server'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mailSubject, mailText, startSmtpSink, type SmtpSink } from '../../data/campaigns/testing/smtp-sink.js'
import { openStore } from '../../data/connection.js'
import type { ItemSnapshot } from '../../data/campaigns/snapshot.js'
import { startFakeOkta, type FakeOkta } from '../../collectors/okta/testing/fake-okta.js'
import { APPS, seedOrg } from '../../collectors/okta/testing/seed-org.js'
import { e2eWorkDir, ensureScreenshotDir, signedInPage, freePort, launchBrowser, runSightline, runSightlineAsync, startSightline, type RunningSightline } from './browser.js'

const IT = 'it-admin@northwind.example'
const LINK_REVIEWER = 'rae.manager@northwind.example'
const SSO_REVIEWER = 'sam.manager@northwind.example'
const BOSS = 'boss@northwind.example'
const PASSWORD = 'correct horse battery staple'
const OKTA_TOKEN = 'e2e-okta-token'
const SLACK = APPS[0]!.id

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

describe('an access review closed loop in the browser', () => {
  const work = e2eWorkDir()
  let okta: FakeOkta
  let issuer: OAuth2Server
  let sink: SmtpSink
  let server: RunningSightline
  let browser: Browser
  let oktaEnv: NodeJS.ProcessEnv

  beforeAll(async () => {
    okta = await startFakeOkta({ apiToken: OKTA_TOKEN })
    seedOrg(okta, { users: 8, signins: 0 })
    oktaEnv = { SIGHTLINE_OKTA_ORG_URL: okta.url, SIGHTLINE_OKTA_API_TOKEN: OKTA_TOKEN }

    // HR: person0–3 report to Rae, person4–7 to Sam; both managers report to the boss.
    const roster = join(work.dir, 'roster.csv')
    const rows = ['Work Email,Name,Department,Job Title,Manager Email,Status']
    for (let i = 0; i < 8; i++) rows.push(`person${i}@northwind.example,Person ${i},Sales,Account executive,${i < 4 ? LINK_REVIEWER : SSO_REVIEWER},Active`)
    rows.push(`${LINK_REVIEWER},Rae Manager,Sales,Sales lead,${BOSS},Active`, `${SSO_REVIEWER},Sam Manager,Sales,Sales lead,${BOSS},Active`)
    rows.push(`${BOSS},Bo Boss,Leadership,CEO,,Active`, `${IT},Ira Admin,IT,IT admin,${BOSS},Active`)
    writeFileSync(roster, `${rows.join('\n')}\n`)
    runSightline(work.dbPath, ['import', 'people', roster])
    await runSightlineAsync(work.dbPath, ['scan', 'okta'], oktaEnv)
    runSightline(work.dbPath, ['users', 'add', IT, '--role', 'it', '--password-stdin'], `${PASSWORD}\n`)
    // A campaign already overdue (launched from the CLI): the server's clock must escalate it to the boss.
    runSightline(work.dbPath, ['campaigns', 'create', '--name', 'Zoom review', '--scope', 'apps=zoom', '--reviewer', 'manager', '--fallback', IT, '--due', day(-2), '--launch'])

    issuer = new OAuth2Server()
    await issuer.issuer.keys.generate('RS256')
    await issuer.start(0, '127.0.0.1')
    issuer.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
      Object.assign(token.payload, { sub: 'okta|sam', email: SSO_REVIEWER, email_verified: true })
    })
    sink = await startSmtpSink()
    const port = await freePort()
    server = await startSightline(work.dbPath, {
      ...oktaEnv,
      SIGHTLINE_SMTP_URL: sink.url, SIGHTLINE_MAIL_FROM: 'sightline@northwind.example',
      SIGHTLINE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      SIGHTLINE_OIDC_ISSUER: issuer.issuer.url!, SIGHTLINE_OIDC_CLIENT_ID: 'sightlinee2e', SIGHTLINE_OIDC_CLIENT_SECRET: 'e2e-secret',
      SIGHTLINE_CAMPAIGN_TICK_SECONDS: '1',
    }, port)
    browser = await launchBrowser()
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await sink?.close()
    await issuer?.stop()
    await okta?.close()
    work.cleanup()
  })

  const mailsTo = (email: string, subject: RegExp) => sink.mails.filter((m) => m.to.includes(email) && subject.test(mailSubject(m.raw)))

  it('should run create → launch → mail → link and SSO sign-in → decide → automatic and manual remediation → verify → close', async () => {
    const shots = ensureScreenshotDir()
    // The overdue CLI campaign: its invitations and the escalation to the boss go out on the server's clock.
    await expect.poll(() => mailsTo(BOSS, /^Overdue access review: /).length, { timeout: 30_000 }).toBeGreaterThan(0)

    // IT creates and launches the quarterly Slack review in the browser, due tomorrow.
    const admin = await signedInPage(browser, server.url, IT, PASSWORD)
    const itContext = admin.context()
    await admin.goto('/campaigns/new')
    await admin.fill('#name', 'Q4 Slack review')
    await admin.fill('#apps', 'Slack')
    await admin.selectOption('#reviewer', 'manager')
    await admin.fill('#fallback', IT)
    await admin.fill('#due', day(1))
    await admin.click('button[value="launch"]')
    await expect.poll(() => admin.locator('.notice').textContent()).toMatch(/Launched: 4 items for 2 reviewers/)
    const campaignUrl = admin.url()
    const campaignId = /\/campaigns\/(\d+)/.exec(campaignUrl)![1]!

    // Invitations, then reminders (due tomorrow) for both managers, all from the server's clock.
    for (const reviewer of [LINK_REVIEWER, SSO_REVIEWER]) {
      await expect.poll(() => mailsTo(reviewer, /Q4 Slack review/).length, { timeout: 30_000 }).toBeGreaterThan(0)
      await expect.poll(() => mailsTo(reviewer, /^Reminder: .*Q4 Slack review/).length, { timeout: 30_000 }).toBeGreaterThan(0)
    }

    // Which of Rae's items is a direct (USER) Okta assignment: that one is revoked and removed automatically.
    const store = await openStore(work.dbPath)
    const items = await store.db.selectFrom('review_items').selectAll().where('campaign_id', '=', Number(campaignId)).execute()
    await store.close()
    const scopeOf = (snapshot: string) => (JSON.parse(snapshot) as ItemSnapshot).account?.entitlements[0]?.name
    const toRevoke = items.find((i) => i.reviewer_email === LINK_REVIEWER && scopeOf(i.snapshot) === 'USER')!
    const revokedUser = (JSON.parse(toRevoke.snapshot) as ItemSnapshot).target!.externalId.split('/')[1]!
    expect(okta.appUsers.get(SLACK)!.some((u) => u.id === revokedUser)).toBe(true)

    // Rae signs in from the link in her invitation, revokes one access and keeps the rest in bulk.
    const invitation = mailText(mailsTo(LINK_REVIEWER, /Q4 Slack review/)[0]!.raw)
    const link = /(http:\/\/\S+\/review\/sign-in\/[A-Za-z0-9_-]+)/.exec(invitation)![1]!
    const raeContext = await browser.newContext()
    const rae = await raeContext.newPage()
    await rae.goto(link)
    await rae.click('button[type="submit"]')
    await rae.waitForURL(/\/review$/)
    await rae.goto(`${server.url}/review?campaign=${campaignId}`)
    const card = rae.locator(`#item-${toRevoke.id}`)
    await rae.fill(`#item-${toRevoke.id}-reason`, 'moved to the partner team in October')
    await card.locator('.decide button[value="revoke"]').click()
    await rae.waitForURL(/notice=Revoke/)
    await rae.goto(`${server.url}/review?campaign=${campaignId}`)
    await rae.check('#bulk-all')
    await rae.selectOption('#bulk-decision', 'keep')
    await rae.click('#bulk button[type="submit"]')
    await rae.waitForURL(/notice=/)
    await rae.goto(`${server.url}/review?campaign=${campaignId}`)
    await rae.screenshot({ path: `${shots}/closed-loop-inbox.png`, fullPage: true })
    await rae.click('text=Sign off my decisions')
    await rae.waitForURL(/notice=Signed/)

    // Sam has no password: single sign-on through the company's issuer makes him a reviewer session.
    const samContext = await browser.newContext({ baseURL: server.url })
    const sam = await samContext.newPage()
    await sam.goto('/sign-in')
    await sam.click('text=Sign in with single sign-on')
    await sam.waitForURL(/\/review$/)
    expect(await sam.locator('body').textContent()).toContain(SSO_REVIEWER)
    await sam.goto(`/review?campaign=${campaignId}`)
    const first = sam.locator('[data-item][data-pending="1"]').first()
    await first.locator('.decide input[name="reason"]').fill('needs guest access only')
    await first.locator('.decide input[name="modification"]').fill('downgrade to a single-channel guest')
    await first.locator('.decide button[value="modify"]').click()
    await sam.waitForURL(/notice=/)
    await sam.goto(`/review?campaign=${campaignId}`)
    await sam.check('#bulk-all')
    await sam.selectOption('#bulk-decision', 'keep')
    await sam.click('#bulk button[type="submit"]')
    await sam.waitForURL(/notice=/)
    await sam.click('text=Sign off my decisions')
    await sam.waitForURL(/notice=Signed/)

    // The server's clock carries out the revoke at Okta.
    await expect.poll(() => okta.appUsers.get(SLACK)!.some((u) => u.id === revokedUser), { timeout: 30_000 }).toBe(false)
    expect(okta.requests.some((r) => r.method === 'DELETE' && r.url.includes(`/api/v1/apps/${SLACK}/users/${revokedUser}`))).toBe(true)

    // IT closes the manual task (the modify) with a note.
    await admin.goto('/remediations')
    const manual = admin.locator('tr', { hasText: 'change: downgrade to a single-channel guest' })
    await manual.locator('input[name="note"]').fill('made a single-channel guest in Slack admin')
    await manual.locator('button', { hasText: 'Mark done' }).click()
    await admin.waitForURL(/\/remediations/)
    expect(await admin.locator('tr', { hasText: 'note: made a single-channel guest' }).count()).toBe(1)

    // The next completed Okta scan proves the revoked assignment is gone.
    await runSightlineAsync(work.dbPath, ['scan', 'okta'], oktaEnv)
    await admin.goto('/remediations')
    const automatic = admin.locator('tr', { hasText: `DELETE /api/v1/apps/${SLACK}/users/${revokedUser}` })
    expect(await automatic.locator('.tag').textContent()).toBe('verified')
    expect(await automatic.textContent()).toMatch(/by scan run \d+/)
    await admin.screenshot({ path: `${shots}/closed-loop-remediations.png`, fullPage: true })

    await admin.goto(campaignUrl)
    await admin.screenshot({ path: `${shots}/closed-loop-dashboard.png`, fullPage: true })
    await admin.click('text=Close the campaign')
    await expect.poll(() => admin.locator('.notice').textContent()).toMatch(/Closed\. 0 undecided/)

    const after = await openStore(work.dbPath)
    try {
      const sso = await after.db.selectFrom('ui_users').select(['role', 'oidc_subject']).where('email', '=', SSO_REVIEWER).executeTakeFirstOrThrow()
      expect(sso).toEqual({ role: 'reviewer', oidc_subject: 'okta|sam' })
      const actions = (await after.db.selectFrom('audit_events').select('action').execute()).map((e) => e.action)
      for (const action of ['campaign.launch', 'campaign.escalate', 'campaign.remind', 'remediation.done', 'remediation.close', 'remediation.verify', 'campaign.close', 'ui.user.sso.link']) {
        expect(actions, action).toContain(action)
      }
    } finally {
      await after.close()
    }
    await itContext.close()
    await raeContext.close()
    await samContext.close()
  })
})

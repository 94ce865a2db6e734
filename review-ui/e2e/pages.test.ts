import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { e2eWorkDir, ensureScreenshotDir, launchBrowser, runSightline, startSightline, type RunningSightline } from './browser.js'

const PASSWORD = 'e2e passphrase, long enough'

/**
 * The real server on a real SQLite file seeded by `sightline demo`, driven by Debian's Chromium: sign in,
 * every main page with data, an IDOR attempt, and an accessibility check of each page (no serious or critical
 * axe violations). Screenshots go to review-ui/e2e/screenshots (gitignored).
 */
describe('web app in a browser', () => {
  const work = e2eWorkDir()
  let server: RunningSightline
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    runSightline(work.dbPath, ['demo', '--people', '60', '--days', '14', '--out', `${work.dir}/demo-out`])
    runSightline(work.dbPath, ['users', 'add', 'admin@e2e.example', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`)
    runSightline(work.dbPath, ['users', 'add', 'finance@e2e.example', '--role', 'finance', '--password-stdin'], `${PASSWORD}\n`)
    server = await startSightline(work.dbPath)
    browser = await launchBrowser()
    // axe-core needs pages from an explicit context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    work.cleanup()
  })

  const signIn = async (email: string): Promise<void> => {
    await page.goto(`${server.url}/sign-in`)
    await page.fill('#email', email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
  }

  it('should refuse a wrong password with a clear message', async () => {
    await page.goto(`${server.url}/sign-in`)
    await page.fill('#email', 'admin@e2e.example')
    await page.fill('#password', 'wrong password entirely')
    await page.click('button[type=submit]')
    await page.waitForSelector('.error-summary')
    expect(await page.locator('.error-summary').innerText()).toContain('Enter a correct email address and password')
  })

  it('should sign in and render every main page with data, accessibly', async () => {
    await signIn('admin@e2e.example')
    expect(new URL(page.url()).pathname).toBe('/')
    const dir = ensureScreenshotDir()
    const firstApp = async (): Promise<string> => (await page.locator('table a[href^="/apps/"]').first().getAttribute('href'))!
    const firstPerson = async (): Promise<string> => (await page.locator('table a[href^="/people/"]').first().getAttribute('href'))!
    const pages: [string, string, () => Promise<string>][] = [
      ['overview', 'Overview', async () => '/'],
      ['apps', 'Apps', async () => '/apps?sort=spend&dir=desc'],
      ['app', '', async () => (await page.goto(`${server.url}/apps?sort=users&dir=desc`), firstApp())],
      ['people', 'People', async () => '/people'],
      ['person', '', async () => (await page.goto(`${server.url}/people?leavers=1`), firstPerson())],
      ['findings', 'Findings', async () => '/findings'],
      ['spend', 'Spend', async () => '/spend'],
      ['imports', 'Imports & scans', async () => '/imports'],
      ['users', 'Users', async () => '/admin/users'],
    ]
    for (const [name, heading, path] of pages) {
      const target = await path()
      const res = await page.goto(`${server.url}${target}`)
      expect([name, res?.status()]).toEqual([name, 200])
      if (heading) expect(await page.locator('h1').innerText()).toBe(heading)
      expect(await page.locator('main table tbody tr, main .card, main dl').count()).toBeGreaterThan(0)
      await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true })
      const axe = await new AxeBuilder({ page }).analyze()
      const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${name}: ${v.id} (${v.nodes.length})`)
      expect(bad).toEqual([])
    }
  }, 400_000)

  it('should refuse finance the people pages and OAuth scopes (an IDOR attempt by URL)', async () => {
    const context = await browser.newContext()
    const other = await context.newPage()
    await other.goto(`${server.url}/sign-in`)
    await other.fill('#email', 'finance@e2e.example')
    await other.fill('#password', PASSWORD)
    await other.click('button[type=submit]')
    const res = await other.goto(`${server.url}/people/1`)
    expect(res?.status()).toBe(403)
    expect(await other.locator('h1').innerText()).toBe('You do not have access to this')
    const users = await other.goto(`${server.url}/admin/users`)
    expect(users?.status()).toBe(403)
    await context.close()
  })
})

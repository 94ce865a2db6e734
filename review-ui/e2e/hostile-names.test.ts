import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { e2eWorkDir, ensureScreenshotDir, launchBrowser, runSightline, startSightline, type RunningSightline } from './browser.js'

const PASSWORD = 'e2e passphrase, long enough'

/** Names an attacker controls: a vendor's OAuth client name, a merchant descriptor, an SSO app label. */
const HOSTILE = {
  script: '<script>alert("sl-script")</script>',
  img: '"><img src=x onerror=alert("sl-img")>',
  js: 'javascript:alert("sl-js")',
  formula: '=HYPERLINK("http://evil.example/leak","open")',
  at: '@SUM(1+1)*cmd|calc',
} as const
/** The host the formula points at: no request may go there. */
const INJECTED_HOST = 'evil.example'

const csvQuote = (s: string) => `"${s.replace(/"/g, '""')}"`

/**
 * Hostile names go in through the real collectors (spend statement, sign-in log, Google OAuth tokens) into a
 * real SQLite file, and the analyzer runs over them; then Chromium visits every main page. Nothing may execute
 * (no dialog, no script error, no request to an injected URL) and the CSV exports neutralise formula cells.
 */
describe('hostile names in a browser', () => {
  const work = e2eWorkDir()
  let server: RunningSightline
  let browser: Browser
  let page: Page
  const dialogs: string[] = []
  const consoleErrors: string[] = []
  const pageErrors: string[] = []
  const requests: string[] = []
  const failedLoads: string[] = []
  let people: { id: number; email: string }[] = []

  beforeAll(async () => {
    runSightline(work.dbPath, ['demo', '--people', '40', '--days', '7', '--out', join(work.dir, 'demo-out')])
    const db = new Database(work.dbPath, { readonly: true })
    people = db.prepare("select id, email from people where status = 'active' order by id limit 3").all() as { id: number; email: string }[]
    db.close()
    expect(people).toHaveLength(3)

    // A Brex statement: hostile merchant descriptors charged monthly (so analysis promotes them to apps) and a hostile cardholder.
    const brexHeader = 'Swipe Date (UTC),Posted Date,Type,Amount,Outstanding Balance,User,Department,Location,Transaction Source,Statement Descriptor,Merchant Name,Brex Category,Integration Category,Last 4,Memo,Id'
    const spendLines = [brexHeader]
    let n = 0
    for (const [i, name] of Object.values(HOSTILE).entries()) {
      for (const month of ['09', '10', '11']) {
        const day = `2026-${month}-1${i}`
        spendLines.push(
          [`${day}T10:00:00.000Z`, `${day}T12:00:00.000Z`, 'Transaction', `${20 + i}.00`, '0', i === 0 ? HOSTILE.img : 'Dana Whitfield', HOSTILE.formula, 'Remote', 'Card', name, name, 'Software', 'Software Subscriptions', '4417', HOSTILE.at, `hostile_${++n}`]
            .map(csvQuote)
            .join(','),
        )
      }
    }
    const spendFile = join(work.dir, 'hostile-brex.csv')
    writeFileSync(spendFile, `${spendLines.join('\n')}\n`)
    runSightline(work.dbPath, ['import', 'spend', spendFile])

    // An SSO sign-in log whose app labels are hostile.
    const signins = ['Event ID,Created At,User Name,App Name,Status,IP Address,User Agent,Country']
    Object.values(HOSTILE).forEach((label, i) => {
      for (const p of people) signins.push([`h${i}-${p.id}`, `2026-12-0${(i % 5) + 1}T09:00:00Z`, p.email, label, 'Success', '198.51.100.7', 'Mozilla/5.0', 'US'].map(csvQuote).join(','))
    })
    const signinFile = join(work.dir, 'hostile-signins.csv')
    writeFileSync(signinFile, `${signins.join('\n')}\n`)
    runSightline(work.dbPath, ['import', 'signins', '--format', 'csv', '--source', 'onelogin', signinFile])

    // Google OAuth tokens whose client display names are hostile.
    const tokens = Object.values(HOSTILE).flatMap((displayText, i) =>
      people.map((p) => JSON.stringify({ kind: 'admin#directory#token', clientId: `99${i}-hostile.apps.googleusercontent.com`, displayText, scopes: ['https://mail.google.com/', 'openid'], userKey: p.email, anonymous: false, nativeApp: false })),
    )
    const tokenFile = join(work.dir, 'hostile-tokens.jsonl')
    writeFileSync(tokenFile, `${tokens.join('\n')}\n`)
    runSightline(work.dbPath, ['import', 'grants', '--format', 'google-tokens', tokenFile])
    runSightline(work.dbPath, ['analyze'])
    runSightline(work.dbPath, ['users', 'add', 'admin@e2e.example', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`)

    server = await startSightline(work.dbPath)
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    context.on('request', (r) => requests.push(r.url()))
    context.on('response', (r) => {
      if (r.status() >= 400) failedLoads.push(`${r.status()} ${new URL(r.url()).pathname}`)
    })
    await page.goto(`${server.url}/sign-in`)
    await page.fill('#email', 'admin@e2e.example')
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    work.cleanup()
  })

  it('should show the hostile names as text on every main page and run none of them', async () => {
    const appLinks = async (): Promise<string[]> => page.locator('main table a[href^="/apps/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))
    await page.goto(`${server.url}/apps?q=${encodeURIComponent('alert')}`)
    const hostileApps = [...new Set(await appLinks())]
    const listed = await page.locator('main table').innerText()
    // The names arrived as apps (through the collectors and the analyzer); app names are tidied, raw values kept.
    expect(listed).toMatch(/Script Alert/)
    expect(listed).toMatch(/Img Src X Onerror Alert/)
    expect(hostileApps.length).toBeGreaterThanOrEqual(3)
    let seenText = ''

    const paths = [
      '/', '/apps', '/apps?sort=spend&dir=desc', ...hostileApps, '/people', ...people.map((p) => `/people/${p.id}`), '/findings',
      '/spend?by=app', '/spend?by=cardholder', '/spend?by=department', '/imports', '/spend/uploads', '/admin/users', '/evidence',
    ]
    const dir = ensureScreenshotDir()
    for (const path of paths) {
      const res = await page.goto(`${server.url}${path}`)
      expect([path, res?.status()]).toEqual([path, 200])
      seenText += await page.locator('main').innerText()
      // An injected element would be in the DOM: there is none, whatever the text says.
      expect([path, await page.locator('main script, main img[src="x"], main [onerror], a[href^="javascript:"]').count()]).toEqual([path, 0])
      if (path === '/spend?by=cardholder' || path === hostileApps[0]) await page.screenshot({ path: `${dir}/hostile-${path === '/spend?by=cardholder' ? 'spend' : 'app'}.png`, fullPage: true })
    }
    // The raw strings (OAuth client names, descriptors, the cardholder) are on the pages as plain text.
    for (const raw of [HOSTILE.script, HOSTILE.img, HOSTILE.js]) expect(seenText).toContain(raw)
    // Findings list one of them, with its evidence rendered readably.
    const findingLinks = await page.goto(`${server.url}/findings`).then(() => page.locator('main table a[href^="/findings/"]').evaluateAll((as) => as.slice(0, 10).map((a) => a.getAttribute('href')!)))
    for (const path of findingLinks) expect([path, (await page.goto(`${server.url}${path}`))?.status()]).toEqual([path, 200])

    expect(dialogs).toEqual([])
    expect(pageErrors).toEqual([])
    // The CSP would log a refused inline script or handler as a console error; there must be none.
    // A failed load logs "Failed to load resource" without its URL: those are checked by URL below (the browser's
    // own favicon request may 404; an injected <img src=x> would show as /x).
    expect(consoleErrors.filter((e) => !e.startsWith('Failed to load resource')).join('\n')).toBe('')
    expect(failedLoads.filter((l) => l !== '404 /favicon.ico')).toEqual([])
    const origin = new URL(server.url).origin
    expect(requests.filter((u) => u.includes(INJECTED_HOST) || !u.startsWith(origin) || new URL(u).pathname === '/x')).toEqual([])
  }, 400_000)

  it('should neutralise the hostile names in the CSV exports', async () => {
    for (const path of ['/spend/export.csv?by=app', '/spend/export.csv?by=department', '/spend/export.csv?by=cardholder', '/findings/export.csv']) {
      const res = await page.request.get(`${server.url}${path}`)
      expect([path, res.status()]).toEqual([path, 200])
      const csv = await res.text()
      // No cell starts a formula: every = + - @ at the start of a cell got an apostrophe.
      const cells = csv.split(/\r\n/).flatMap((line) => line.match(/("(?:[^"]|"")*"|[^,]*)(?=,|$)/g) ?? [])
      const unquote = (c: string) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)
      expect([path, cells.map(unquote).filter((c) => /^[=+@\t\r]/.test(c) || (/^-/.test(c) && !/^-\d+(\.\d+)?$/.test(c)))]).toEqual([path, []])
    }
    const byDepartment = await (await page.request.get(`${server.url}/spend/export.csv?by=department`)).text()
    expect(byDepartment).toContain(`"'=HYPERLINK(""http://evil.example/leak"",""open"")"`)
  })
})

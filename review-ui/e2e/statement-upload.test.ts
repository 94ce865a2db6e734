import { AxeBuilder } from '@axe-core/playwright'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { e2eWorkDir, ensureScreenshotDir, launchBrowser, runSightline, startSightline, type RunningSightline } from './browser.js'

const PASSWORD = 'e2e passphrase, long enough'
const FIXTURES = 'collectors/spend-csv/fixtures'

/** A bank export whose header no layout knows and the inference cannot read (it names no date or amount). */
const UNKNOWN = `When,Who,What,HowMuch,Money\n${Array.from({ length: 12 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')},Dana,SHOP NUMBER ${i + 1},${i + 1}.50,USD`).join('\n')}\n`

/**
 * A finance user uploads statements in Chromium against the real server: a known layout (a Brex and a Chase real
 * export) and an unknown one, whose columns they map from its header row, save as a profile and import.
 */
describe('statement upload in a browser', () => {
  const work = e2eWorkDir()
  let server: RunningSightline
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    runSightline(work.dbPath, ['users', 'add', 'finance@e2e.example', '--role', 'finance', '--password-stdin'], `${PASSWORD}\n`)
    server = await startSightline(work.dbPath, { SIGHTLINE_PROFILE_DIR: join(work.dir, 'profiles') })
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await page.goto(`${server.url}/sign-in`)
    await page.fill('#email', 'finance@e2e.example')
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    work.cleanup()
  })

  const noSeriousAxe = async (name: string): Promise<void> => {
    const axe = await new AxeBuilder({ page }).analyze()
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${name}: ${v.id}`)).toEqual([])
  }

  it('should import known layouts from the Spend area and show the detected layout and counts', async () => {
    await page.goto(`${server.url}/spend`)
    await page.click('text=Upload card or expense statements')
    expect(await page.locator('h1').innerText()).toBe('Statement uploads')
    await noSeriousAxe('upload form')
    await page.setInputFiles('#files', [join(FIXTURES, 'brex.csv'), join(FIXTURES, 'chase.csv')])
    await page.click('button:has-text("Upload and import")')
    // The page reloads itself (meta refresh, no script) until both jobs have ended.
    await page.waitForFunction(
      () => {
        const doc = (globalThis as any).document
        return doc.querySelectorAll('main tbody tr').length === 2 && !/queued|running/.test(doc.querySelector('main tbody').textContent)
      },
      null,
      { timeout: 120_000 },
    )
    const rows = await page.locator('main tbody tr').allInnerTexts()
    const brex = rows.find((r) => r.includes('brex.csv'))!
    const chase = rows.find((r) => r.includes('chase.csv'))!
    expect(brex).toMatch(/completed\s+brex/i)
    expect(brex).toMatch(/imported [1-9]/)
    expect(chase).toMatch(/completed\s+chase/i)
    expect(chase).toMatch(/skipped [1-9]/) // the card payment line is not spend
    await page.screenshot({ path: `${ensureScreenshotDir()}/uploads.png`, fullPage: true })
    await page.click('a:has-text("chase.csv")')
    expect(await page.locator('dl.summary-list').innerText()).toMatch(/Layout\s+chase/)
    expect(await page.locator('section[aria-labelledby=counts]').innerText()).toMatch(/Imported\s+\d/)
  }, 180_000)

  it('should let the user map an unknown layout from its header, save the mapping, and import it', async () => {
    const file = join(work.dir, 'first-national.csv')
    writeFileSync(file, UNKNOWN)
    await page.goto(`${server.url}/spend/uploads`)
    await page.setInputFiles('#files', file)
    await page.click('button:has-text("Upload and import")')
    await page.waitForSelector('#map-date', { timeout: 120_000 })
    expect(await page.locator('.error-summary').innerText()).toContain('Nothing from this file was imported')
    expect(await page.locator('#map-date option').allInnerTexts()).toEqual(['Not in this file', 'When', 'Who', 'What', 'HowMuch', 'Money'])
    await noSeriousAxe('mapping form')
    await page.screenshot({ path: `${ensureScreenshotDir()}/upload-mapping.png`, fullPage: true })
    await page.selectOption('#map-date', 'When')
    await page.selectOption('#map-merchant', 'What')
    await page.selectOption('#map-amount', 'HowMuch')
    await page.selectOption('#map-currency', 'Money')
    await page.selectOption('#map-cardholder', 'Who')
    await page.fill('#saveAs', 'first-national')
    await page.click('button:has-text("Import with these columns")')
    await page.waitForSelector('#counts', { timeout: 120_000 })
    const counts = await page.locator('section[aria-labelledby=counts]').innerText()
    expect(counts).toMatch(/Rows read\s+12/)
    expect(counts).toMatch(/Imported\s+12/)
    expect(await page.locator('dl.summary-list').innerText()).toMatch(/Layout\s+generic/)
    const profile = join(work.dir, 'profiles', 'first-national.json')
    expect(existsSync(profile)).toBe(true)
    expect(JSON.parse(readFileSync(profile, 'utf8')).mapping.merchant).toBe('What')
    await page.screenshot({ path: `${ensureScreenshotDir()}/upload-mapped.png`, fullPage: true })
    // The same runs are on the Imports page, started by the uploader.
    await page.goto(`${server.url}/imports?collector=spend`)
    expect(await page.locator('main tbody').innerText()).toContain('finance@e2e.example')
  }, 180_000)
})

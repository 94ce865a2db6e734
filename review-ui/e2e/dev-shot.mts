import { launchBrowser, startSightline } from './browser.js'
const [db, ...paths] = process.argv.slice(2)
await (async () => {})()
const server = await startSightline(db!)
const browser = await launchBrowser()
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  await page.goto(`${server.url}/sign-in`)
  await page.fill('#email', 'admin@example.test')
  await page.fill('#password', 'a long enough passphrase')
  await page.click('button[type=submit]')
  for (const p of paths) {
    await page.goto(`${server.url}${p}`)
    const name = p.replace(/[^a-z0-9]+/gi, '_') || 'root'
    await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true })
    console.log('shot', p, page.url())
  }
} finally {
  await browser.close()
  await server.stop()
}

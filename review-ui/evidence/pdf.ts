
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium'

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/**
 * Prints the report to PDF with Chromium (Debian's, through playwright). Scripts are off and the page has no
 * external resources (its CSP allows none), so printing needs no network and runs nothing from the data.
 */
export async function printHtmlToPdf(html: string, options: { executablePath?: string } = {}): Promise<Buffer> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH
  let browser
  try {
    // Loaded here, not at start-up: `serve` and the CLI print a PDF rarely, and playwright costs ~0.7 s of CPU to load.
    const { chromium } = await import('playwright')
    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS })
  } catch (cause) {
    throw new Error(`evidence: PDF: cannot start Chromium at ${executablePath}: ${(cause as Error).message.split('\n')[0]}`, { cause })
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true })
    const page = await context.newPage()
    await page.setContent(html, { waitUntil: 'load' })
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } })
  } finally {
    await browser.close()
  }
}

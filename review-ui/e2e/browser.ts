import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright'

export const CHROMIUM_PATH = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
]

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const CLI = join(ROOT, 'scripts/bin/sightline.js')

/** Screenshots go here (gitignored). */
export const SCREENSHOT_DIR = join(ROOT, 'review-ui/e2e/screenshots')

/**
 * Debian's Chromium through the `playwright` package. A missing browser is an error, never a skip: CI installs
 * it (`.ci/run`), and an e2e suite that silently skipped would prove nothing. Playwright gives each launch a
 * fresh temporary profile (its own user-data-dir), removed on close.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e: Chromium is required at ${CHROMIUM_PATH} (apt-get install chromium; never "playwright install")`)
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true })
}

/** Runs the real CLI (`sightline --db FILE …`) to completion, e.g. `demo` or `users add`. */
export function runSightline(dbPath: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): { stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, '--db', dbPath, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 600_000, env: { ...process.env, ...env } })
  if (run.status !== 0) throw new Error(`e2e: sightline ${args.join(' ')} exited ${run.status}: ${run.stderr}`)
  return { stdout: run.stdout, stderr: run.stderr }
}

/**
 * Runs the real CLI without blocking this process: needed when the command talks to a server the test itself
 * runs (a fake vendor API), which a synchronous spawn would starve.
 */
export function runSightlineAsync(dbPath: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, '--db', dbPath, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolveRun({ stdout, stderr })
      else reject(new Error(`e2e: sightline ${args.join(' ')} exited ${code}: ${stderr}`))
    })
  })
}

export interface RunningSightline {
  url: string
  dbPath: string
  process: ChildProcess
  /** What the server wrote to stderr (JSON-line logs). */
  logs(): string
  stop(): Promise<void>
}

/** A fresh directory for one e2e run's SQLite file and demo output. */
export function e2eWorkDir(): { dir: string; dbPath: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-e2e-'))
  return { dir, dbPath: join(dir, 'sightline.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Starts the real `sightline serve` on a loopback port (random unless `port` is given, e.g. when an OpenID issuer
 * must know the redirect address beforehand) against a real SQLite file; resolves once it listens.
 */
export async function startSightline(dbPath: string, env: NodeJS.ProcessEnv = {}, port = 0): Promise<RunningSightline> {
  const child = spawn(process.execPath, [CLI, '--db', dbPath, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`e2e: sightline serve did not start within 60 s: ${stderr}`)), 60_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
      const match = /serving at (http:\/\/\S+)/.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolveUrl(match[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`e2e: sightline serve exited ${code}: ${stderr}`))
    })
  })
  return {
    url, dbPath, process: child, logs: () => stderr,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}

export function ensureScreenshotDir(): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return SCREENSHOT_DIR
}

/** A loopback port that was free a moment ago (for a server whose address must be known before it starts). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolvePort(port))
    })
  })
}

/** A new browser context on the server, signed in with email and password: its page, on the page after sign-in. */
export async function signedInPage(browser: Browser, baseURL: string, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL })
  const page = await context.newPage()
  await page.goto('/sign-in')
  await page.fill('#email', email)
  await page.fill('#password', password)
  await page.click('button[type="submit"]')
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
  return page
}

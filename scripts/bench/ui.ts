// `npm run bench -- ui`: the web app's main pages under 20 concurrent clients on loopback (autocannon), against the
// real `sightline serve` process on a demo company, with the stylesheet (no database work) as the same-run baseline.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const CLI = join(ROOT, 'scripts/bin/sightline.js')
const PASSWORD = 'bench passphrase, long enough'
const EMAIL = 'bench-admin@example.test'

export interface UiBenchOptions {
  people: number
  days: number
  /** Seconds per page per run. */
  seconds: number
  runs: number
  connections: number
  /** Reuse a seeded SQLite file (skips the demo); it must hold EMAIL with PASSWORD. */
  dbPath?: string
}

function sightline(db: string, args: string[], input?: string): void {
  const run = spawnSync(process.execPath, [CLI, '--db', db, ...args], { cwd: ROOT, input, encoding: 'utf8', stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
  if (run.status !== 0) throw new Error(`bench ui: sightline ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`)
}

async function startServer(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, '--db', db, 'serve', '--host', '127.0.0.1', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
  const url = await new Promise<string>((done, fail) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const match = /serving at (http:\/\/\S+)/.exec(out)
      if (match) done(match[1]!)
    })
    child.once('exit', (code) => fail(new Error(`bench ui: serve exited ${code}`)))
  })
  return { url, child }
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ email: EMAIL, password: PASSWORD, next: '/' }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url },
  })
  const cookie = res.headers.getSetCookie().find((c) => /sightline_session=/.test(c))
  if (res.status !== 303 || !cookie) throw new Error(`bench ui: sign in: status ${res.status}`)
  return cookie.split(';')[0]!
}

/** The busiest app (most accounts) and person (most accounts), as the per-app and per-person pages to measure. */
function busiest(db: string): { app: number; person: number } {
  const sqlite = new Database(db, { readonly: true })
  try {
    const app = sqlite.prepare('select app_id as id from accounts where app_id is not null group by app_id order by count(*) desc limit 1').get() as { id: number }
    const person = sqlite.prepare('select person_id as id from accounts where person_id is not null group by person_id order by count(*) desc limit 1').get() as { id: number }
    return { app: app.id, person: person.id }
  } finally {
    sqlite.close()
  }
}

interface Sample {
  p50: number
  p99: number
  rps: number
  non2xx: number
}

async function measure(url: string, cookie: string, seconds: number, connections: number): Promise<Sample> {
  // Bounded in time (autocannon ignores duration when amount is set), each request in 10 s.
  const result = await autocannon({ url, connections, duration: seconds, headers: { cookie }, timeout: 10 })
  return { p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.average), non2xx: result.non2xx + result.errors }
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

export async function benchUi(options: UiBenchOptions): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-ui-'))
  const db = options.dbPath ?? join(dir, 'bench.db')
  let server: { url: string; child: ChildProcess } | undefined
  try {
    const seedStarted = performance.now()
    if (!options.dbPath) {
      sightline(db, ['demo', '--people', String(options.people), '--days', String(options.days), '--out', join(dir, 'demo-out')])
      sightline(db, ['users', 'add', EMAIL, '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`)
    }
    const seedSeconds = Math.round((performance.now() - seedStarted) / 1000)
    const step = (what: string) => process.stderr.write(`bench ui: ${what}\n`)
    const ids = busiest(db)
    step(`busiest app ${ids.app}, person ${ids.person}; starting the server`)
    server = await startServer(db)
    const cookie = await signIn(server.url)
    step(`serving at ${server.url}, signed in`)
    const home = await (await fetch(`${server.url}/`, { headers: { cookie } })).text()
    const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(home)?.[1]
    if (!stylesheet) throw new Error('bench ui: no stylesheet link on the overview')
    const pages: [string, string][] = [
      ['baseline (stylesheet)', stylesheet],
      ['overview', '/'],
      ['apps by spend, page 50', '/apps?sort=spend&dir=desc&page=50'],
      [`app ${ids.app}`, `/apps/${ids.app}`],
      [`person ${ids.person}`, `/people/${ids.person}`],
    ]
    const samples = new Map<string, Sample[]>(pages.map(([name]) => [name, []]))
    // Alternate the pages within each run, so load on the shared machine spreads over all of them.
    for (let run = 0; run < options.runs; run++) {
      for (const [name, path] of pages) step(`run ${run + 1}: ${name}`), samples.get(name)!.push(await measure(`${server.url}${path}`, cookie, options.seconds, options.connections))
    }
    const figures: Record<string, number | string> = {
      seeded: options.dbPath ? `reused ${options.dbPath}` : `${options.people} people x ${options.days} days in ${seedSeconds} s`,
      clients: options.connections,
      runs: `${options.runs} x ${options.seconds} s per page (median shown)`,
    }
    for (const [name] of pages) {
      const s = samples.get(name)!
      figures[name] = `p50 ${median(s.map((x) => x.p50))} ms, p99 ${median(s.map((x) => x.p99))} ms, ${median(s.map((x) => x.rps))} req/s${s.some((x) => x.non2xx) ? `, ${s.reduce((n, x) => n + x.non2xx, 0)} non-2xx/errors` : ''}`
    }
    return figures
  } finally {
    server?.child.kill('SIGTERM')
    if (!options.dbPath) rmSync(dir, { recursive: true, force: true })
  }
}

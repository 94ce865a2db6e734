// `npm run bench -- campaigns`: an all-apps access review over the demo company, timed as a user runs it.
// - launch: the whole `sightline campaigns create --scope all --launch` process, against the CLI's own floor (the
//   whole `sightline campaigns list` process on the same file), alternating, median of BENCH_RUNS (3);
// - bulk decisions: 1,000 items decided in bulk, reviewer by reviewer, through the same function the inbox posts to;
// - close: the whole `sightline campaigns close` process;
// - the reviewer inbox under 20 concurrent reviewers (each with their own session) on the real `sightline serve`,
//   against the sign-in page (no session, no query) as the server's own floor, alternating.
// Ratios are against the floors measured in the same run; nothing here passes or fails.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bulkDecide } from '../../data/campaigns/index.js'
import { openStore } from '../../data/connection.js'
import { createSession } from '../../data/ui-sessions.js'

const CLI = 'scripts/bin/sightline.js'
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/** Runs the CLI to completion and returns its wall time (start-up included) and peak RSS. */
function timeCli(db: string, args: string[]): { ms: number; stdout: string; rssMb: number } {
  const started = performance.now()
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, '--db', db, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const ms = performance.now() - started
  if (run.status !== 0) throw new Error(`bench campaigns: sightline ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`)
  const rssKb = Number(run.stderr.trim().split('\n').pop())
  return { ms, stdout: run.stdout, rssMb: Math.round(rssKb / 1024) }
}

async function inboxLoad(url: string, cookies: readonly string[], path: (i: number) => string, requestsEach: number): Promise<{ p50: number; p99: number; rps: number; errors: number }> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  await Promise.all(cookies.map(async (cookie, i) => {
    for (let k = 0; k < requestsEach; k++) {
      const t = performance.now()
      const res = await fetch(`${url}${path(i)}`, { headers: { Cookie: cookie }, redirect: 'manual' })
      await res.arrayBuffer()
      latencies.push(performance.now() - t)
      if (res.status !== 200) errors++
    }
  }))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), rps: latencies.length / seconds, errors }
}

export async function benchCampaigns(options: { people: number; days: number; runs: number; reviewers: number; requestsEach: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-campaigns-'))
  const db = join(dir, 'bench.db')
  const figures: Record<string, number | string> = { people: options.people, days: options.days, cores: (await import('node:os')).cpus().length }
  try {
    const seeded = performance.now()
    timeCli(db, ['demo', '--people', String(options.people), '--days', String(options.days), '--out', join(dir, 'demo-out')])
    figures['seed.demoMs'] = Math.round(performance.now() - seeded)

    const launches: number[] = []
    const floors: number[] = []
    const rss: number[] = []
    let campaignId = 0
    for (let run = 0; run < options.runs; run++) {
      floors.push(timeCli(db, ['campaigns', 'list', '--json']).ms)
      const launch = timeCli(db, ['campaigns', 'create', '--name', `Bench all apps ${run + 1}`, '--scope', 'all', '--reviewer', 'manager', '--fallback', 'it@demo.sightline.example', '--launch'])
      launches.push(launch.ms)
      rss.push(launch.rssMb)
      const store = await openStore(db)
      campaignId = (await store.db.selectFrom('campaigns').select('id').where('name', '=', `Bench all apps ${run + 1}`).executeTakeFirstOrThrow()).id
      await store.close()
    }
    const store = await openStore(db)
    const items = await store.db.selectFrom('review_items').select(['id', 'version', 'reviewer_email']).where('campaign_id', '=', campaignId).where('status', '=', 'pending').orderBy('id').execute()
    figures['launch.items'] = items.length
    figures['launch.ms'] = Math.round(median(launches))
    figures['launch.floorMs'] = Math.round(median(floors))
    figures['launch.ratioToFloor'] = round(median(launches) / median(floors))
    figures['launch.itemsPerSec'] = Math.round(items.length / (median(launches) / 1000))
    figures['launch.peakRssMb'] = median(rss)

    // 1,000 items decided in bulk, one reviewer's selection at a time (a reviewer decides only their own items).
    const byReviewer = new Map<string, { id: number; version: number }[]>()
    for (const i of items) byReviewer.set(i.reviewer_email, [...(byReviewer.get(i.reviewer_email) ?? []), { id: i.id, version: i.version }])
    let decided = 0
    const bulkStarted = performance.now()
    for (const [reviewer, selection] of byReviewer) {
      if (decided >= 1000) break
      const take = selection.slice(0, 1000 - decided)
      decided += (await bulkDecide(store.db, { items: take, decision: 'keep' }, reviewer)).decided.length
    }
    figures['bulkDecide.items'] = decided
    figures['bulkDecide.ms'] = Math.round(performance.now() - bulkStarted)

    // The inbox with 20 reviewers at once, each with their own session, against the sign-in page as the floor.
    const busiest = [...byReviewer.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, options.reviewers).map(([email]) => email)
    const cookies: string[] = []
    for (const email of busiest) {
      const user = await store.db.selectFrom('ui_users').select(['id', 'email']).where('email', '=', email).executeTakeFirstOrThrow()
      const session = await createSession(store.db, { user, method: 'password', address: '127.0.0.1', at: new Date().toISOString() })
      cookies.push(`sightline_session=${session.token}`)
    }
    figures['inbox.reviewers'] = cookies.length
    figures['inbox.itemsOfBusiestReviewer'] = byReviewer.get(busiest[0]!)?.length ?? 0
    await store.close()

    const server = spawn(process.execPath, [CLI, '--db', db, 'serve', '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, SIGHTLINE_CAMPAIGN_TICK_SECONDS: '0' } })
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      server.stdout!.on('data', (c: Buffer) => {
        out += c.toString('utf8')
        const m = /serving at (http:\/\/\S+)/.exec(out)
        if (m) resolve(m[1]!)
      })
      server.once('exit', (code) => reject(new Error(`bench campaigns: serve exited ${code}`)))
    })
    try {
      const inbox: Awaited<ReturnType<typeof inboxLoad>>[] = []
      const floor: Awaited<ReturnType<typeof inboxLoad>>[] = []
      await inboxLoad(url, cookies, () => `/review?campaign=${campaignId}`, 2) // warm-up
      for (let run = 0; run < options.runs; run++) {
        floor.push(await inboxLoad(url, cookies, () => '/sign-in', options.requestsEach))
        inbox.push(await inboxLoad(url, cookies, () => `/review?campaign=${campaignId}`, options.requestsEach))
      }
      figures['inbox.p50Ms'] = round(median(inbox.map((r) => r.p50)), 1)
      figures['inbox.p99Ms'] = round(median(inbox.map((r) => r.p99)), 1)
      figures['inbox.requestsPerSec'] = Math.round(median(inbox.map((r) => r.rps)))
      figures['inbox.errors'] = inbox.reduce((n, r) => n + r.errors, 0)
      figures['floor.p99Ms'] = round(median(floor.map((r) => r.p99)), 1)
      figures['inbox.p99RatioToFloor'] = round(median(inbox.map((r) => r.p99)) / median(floor.map((r) => r.p99)))
    } finally {
      server.kill('SIGTERM')
    }

    const close = timeCli(db, ['campaigns', 'close', String(campaignId)])
    figures['close.ms'] = Math.round(close.ms)
    figures['close.ratioToFloor'] = round(close.ms / median(floors))
    figures.load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

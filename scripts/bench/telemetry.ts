// `npm run bench -- telemetry`: 200 simulated devices, each with its own token, post batches on loopback for a
// bounded time to the ingest endpoint (its own process, SQLite) and, alternately, to a floor server that only parses
// the body. Reports accepted events/s, p50/p99 latency and server memory, as medians of alternating runs.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createDeviceToken } from '../../data/api-tokens.js'
import { openStore } from '../../data/connection.js'

interface RunFigures { acceptedEventsPerSec: number; p50Ms: number; p99Ms: number; statuses: Record<string, number>; serverMaxRssMb: number; drainWaitMs: number; stored: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

async function startServer(mode: 'ingest' | 'floor', db: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/telemetry-server.ts', mode, db], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench telemetry: server exited with ${code}`)))
  })
  return { child, port: (JSON.parse(line) as { port: number }).port }
}

async function load(port: number, tokens: readonly string[], opts: { seconds: number; eventsPerBatch: number; batchesPerSecond: number; run: string }): Promise<RunFigures> {
  const url = `http://127.0.0.1:${port}/api/v1/telemetry`
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  let accepted = 0
  const deadline = performance.now() + opts.seconds * 1000
  const at = new Date().toISOString()
  const domains = ['zoom.us', 'slack.com', 'notion.so', 'app.tallyfox.io', 'figma.com', 'github.com', 'linear.app', 'miro.com']
  await Promise.all(tokens.map(async (token, d) => {
    let n = 0
    // Devices start spread over one interval, then keep their own pace.
    await new Promise((r) => setTimeout(r, (d / tokens.length) * (1000 / opts.batchesPerSecond)))
    while (performance.now() < deadline) {
      const started = performance.now()
      const events = Array.from({ length: opts.eventsPerBatch }, (_, i) => ({ eventId: `${opts.run}-${n}-${i}`, kind: 'visit', domain: domains[(d + i) % domains.length], userEmail: `user${d}@northwind.example`, occurredAt: at }))
      let status = 'error'
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ batchId: `${opts.run}-${d}-${n}`, deviceId: `bench-${d}`, events }) })
        await res.arrayBuffer()
        status = String(res.status)
      } catch {
        // a refused or reset connection counts as a failed request, not a crash of the benchmark
      }
      const ms = performance.now() - started
      latencies.push(ms)
      statuses[status] = (statuses[status] ?? 0) + 1
      if (status === '202') accepted += opts.eventsPerBatch
      n += 1
      const wait = 1000 / opts.batchesPerSecond - ms
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
  }))
  latencies.sort((a, b) => a - b)
  let stats: { drainWaitMs: number; events: number; maxRssMb: number }
  try {
    stats = (await (await fetch(`http://127.0.0.1:${port}/bench/stats`)).json()) as typeof stats
  } catch (error) {
    throw new Error(`bench telemetry: read server stats: ${(error as Error).message} (${String((error as { cause?: unknown }).cause)})`)
  }
  return { acceptedEventsPerSec: Math.round(accepted / opts.seconds), p50Ms: Math.round(pct(latencies, 50) * 10) / 10, p99Ms: Math.round(pct(latencies, 99) * 10) / 10, statuses, serverMaxRssMb: stats.maxRssMb, drainWaitMs: stats.drainWaitMs, stored: stats.events }
}

export async function benchTelemetry(options: { devices: number; seconds: number; eventsPerBatch: number; batchesPerSecond: number; runs: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-telemetry-'))
  const db = join(dir, 'bench.db')
  try {
    const store = await openStore(db)
    const tokens: string[] = []
    for (let d = 0; d < options.devices; d++) tokens.push((await createDeviceToken(store.db, { name: `bench-${d}`, actor: 'system:bench' })).token)
    await store.close()
    const ingest: RunFigures[] = []
    const floor: RunFigures[] = []
    for (let r = 0; r < options.runs; r++) {
      for (const mode of ['floor', 'ingest'] as const) {
        const server = await startServer(mode, db)
        try {
          const figures = await load(server.port, tokens, { ...options, run: `${mode}${r}` })
          ;(mode === 'ingest' ? ingest : floor).push(figures)
        } finally {
          server.child.kill('SIGTERM')
          await new Promise((resolve) => server.child.once('exit', resolve))
        }
      }
    }
    const m = (list: RunFigures[], key: 'acceptedEventsPerSec' | 'p50Ms' | 'p99Ms' | 'serverMaxRssMb' | 'drainWaitMs') => median(list.map((f) => f[key]))
    return {
      devices: options.devices,
      'offered events/s': options.devices * options.eventsPerBatch * options.batchesPerSecond,
      'seconds per run': options.seconds,
      runs: `${options.runs} alternating (floor, ingest)`,
      'ingest accepted events/s': m(ingest, 'acceptedEventsPerSec'),
      'ingest p50 ms': m(ingest, 'p50Ms'),
      'ingest p99 ms': m(ingest, 'p99Ms'),
      'ingest server max RSS MB': m(ingest, 'serverMaxRssMb'),
      'drain caught up after ms': m(ingest, 'drainWaitMs'),
      'ingest statuses (last run)': JSON.stringify(ingest.at(-1)?.statuses ?? {}),
      'events stored (last run)': ingest.at(-1)?.stored ?? 0,
      'floor accepted events/s': m(floor, 'acceptedEventsPerSec'),
      'floor p99 ms': m(floor, 'p99Ms'),
      'ratio events/s ingest/floor': Math.round((m(ingest, 'acceptedEventsPerSec') / Math.max(1, m(floor, 'acceptedEventsPerSec'))) * 100) / 100,
      'ratio p99 ingest/floor': Math.round((m(ingest, 'p99Ms') / Math.max(0.1, m(floor, 'p99Ms'))) * 100) / 100,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

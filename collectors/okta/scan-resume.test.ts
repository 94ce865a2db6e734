import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { OktaConfig } from './config.js'
import { scanOkta } from './scan.js'
import { startFakeOkta, type FakeOkta } from './testing/fake-okta.js'
import { catalogResolver, FAST_RETRY, signinCounts } from './testing/helpers.js'
import { expectedSignins, seedOrg } from './testing/seed-org.js'

const CHILD = fileURLToPath(new URL('./testing/scan-child.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

describe.each(DIALECTS)('an Okta scan killed with SIGKILL on %s', (dialect) => {
  let t: TestStore
  let fake: FakeOkta
  beforeEach(async () => {
    t = await createTestStore(dialect)
    // A slow System Log so the child is surely mid-log when it dies.
    fake = await startFakeOkta({ apiToken: 'kill-token', logDelayMs: 150 })
    seedOrg(fake, { users: 10, signins: 200 })
  })
  afterEach(async () => {
    await fake.close()
    await t.dispose()
  })

  it('should resume from its checkpoint and store every event exactly once', async () => {
    const config: OktaConfig = { orgUrl: fake.url, auth: { kind: 'api-token', token: 'kill-token' }, logSince: '2026-01-01T00:00:00.000Z', pageSize: { logs: 10 } }
    // node --import tsx, not npx tsx: npx and tsx's CLI each fork, and SIGKILL must hit the scanning process itself.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, t.url, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)))
    const deadline = Date.now() + 45_000
    let pages = 0
    while (Date.now() < deadline) {
      const row = await t.store.db.selectFrom('scan_checkpoints').select('pages').where('kind', '=', 'signin').executeTakeFirst()
      pages = row?.pages ?? 0
      if (pages >= 3) break
      if (child.exitCode !== null) throw new Error(`scan child exited early: ${stderr}`)
      await sleep(25)
    }
    expect(pages).toBeGreaterThanOrEqual(3)
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    const killed = await t.store.db.selectFrom('scan_runs').select(['id', 'status']).executeTakeFirstOrThrow()
    expect(killed.status).toBe('running')
    const checkpoint = await t.store.db.selectFrom('scan_checkpoints').select(['cursor', 'pages']).where('scan_run_id', '=', killed.id).where('kind', '=', 'signin').executeTakeFirstOrThrow()
    const before = await signinCounts(t.store.db, 'okta')
    expect(before.events).toBeGreaterThan(0)
    expect(before.events).toBeLessThan(expectedSignins(fake))

    fake.options.logDelayMs = 0
    fake.requests.length = 0
    const resumed = await scanOkta(t.store, config, { resolver: catalogResolver(), retry: FAST_RETRY })
    expect(resumed.error).toBeNull()
    expect(resumed.status).toBe('completed')
    const runs = await t.store.db.selectFrom('scan_runs').select(['id', 'status', 'resumed_from_run_id']).orderBy('id').execute()
    expect(runs).toEqual([
      { id: killed.id, status: 'interrupted', resumed_from_run_id: null },
      { id: resumed.runId, status: 'completed', resumed_from_run_id: killed.id },
    ])
    // Resumed, not restarted: no listing started from scratch, the log continued at the saved `after` cursor.
    const logRequests = fake.requests.filter((r) => r.url.includes('/api/v1/logs'))
    expect(logRequests[0]?.url).toBe(checkpoint.cursor)
    expect(new URL(logRequests[0]!.url).searchParams.get('after')).toBeTruthy()
    expect(fake.requests.some((r) => /\/api\/v1\/apps\?limit=\d+$/.test(r.url))).toBe(false)
    const after = await signinCounts(t.store.db, 'okta')
    expect(after).toEqual({ events: expectedSignins(fake), distinct: expectedSignins(fake), rolledUp: expectedSignins(fake) })
  })
})

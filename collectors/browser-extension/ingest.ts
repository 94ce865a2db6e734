import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import { bodyLimit } from 'hono/body-limit'
import { authenticateDeviceToken, hashToken, type AuthenticatedDevice } from '../../data/api-tokens.js'
import type { Store } from '../../data/connection.js'
import { acceptTelemetryBatch } from '../../data/telemetry-inbox.js'
import type { SignalResolver } from '../sdk/app-resolution.js'
import type { RunResult } from '../sdk/runner.js'
import { describeBatchIssues, MAX_BATCH_BYTES, telemetryBatchSchema } from './batch-schema.js'
import { drainTelemetryInbox } from './inbox.js'
import { RateLimiter, type RateLimitOptions } from './rate-limit.js'

export const TELEMETRY_PATH = '/api/v1/telemetry'

export interface TelemetryIngestOptions {
  store: Store
  resolver: SignalResolver
  /** Largest body accepted, in bytes (default 256 KiB). */
  maxBodyBytes?: number
  /** Per device token (default: bursts of 20, 5 requests a second). */
  rateLimit?: RateLimitOptions
  /**
   * `background` (default): accepted batches are written into the inventory by a drain run that starts shortly
   * after, one at a time, off the request. `manual`: only `drain()` writes them (tests, benchmarks of the accept path).
   */
  drain?: 'background' | 'manual'
  /** How long a background drain waits for more batches to gather (default 100 ms). */
  drainDelayMs?: number
  onDrainError?: (error: Error) => void
  now?: () => Date
}

export interface TelemetryIngest {
  /** A Hono sub-app serving `POST /api/v1/telemetry`; mount it with `app.route('/', ingest.app)`. */
  readonly app: Hono<{ Variables: { device: AuthenticatedDevice } }>
  /** Writes every accepted batch into the inventory now (waits for a background drain in progress first). */
  drain(): Promise<RunResult | null>
  /** Resolves when no drain is running or scheduled. */
  idle(): Promise<void>
  /** Stops scheduling drains and waits for the one running. */
  close(): Promise<void>
}

export type Admission =
  | { status: 'accepted' | 'replay'; batchId: string; events: number }
  | { status: 'invalid'; reason: string }

/**
 * Validates one posted batch and puts it in the inbox unless this device sent it before. The endpoint calls it
 * for each request and the batch-file import for each line, so both store exactly the same thing.
 */
export async function admitTelemetryBatch(db: Kysely<Database>, device: { name: string; tokenId: number | null }, json: unknown, receivedAt: string): Promise<Admission> {
  const parsed = telemetryBatchSchema.safeParse(json)
  if (!parsed.success) return { status: 'invalid', reason: describeBatchIssues(parsed.error) }
  const batch = parsed.data
  if (new Set(batch.events.map((e) => e.eventId)).size !== batch.events.length) return { status: 'invalid', reason: 'events: an event id appears twice in the batch' }
  // The token names the device (or deployment); the extension names its browser profile within it.
  const deviceId = `${device.name}/${batch.deviceId}`
  const accepted = await acceptTelemetryBatch(db, { deviceId, batchId: batch.batchId, tokenId: device.tokenId, events: batch.events, receivedAt })
  return { status: accepted ? 'accepted' : 'replay', batchId: batch.batchId, events: batch.events.length }
}

type Reason = { error: string; reason: string }
const reason = (error: string, why: string): Reason => ({ error, reason: why })

/**
 * The telemetry endpoint as a Hono sub-app (no listen, no env). Order of checks: bearer present → per-token rate
 * limit (before any database work) → token known and not revoked → body size → JSON → schema → idempotent accept.
 * A request that fails any check stores nothing.
 */
export function createTelemetryIngest(options: TelemetryIngestOptions): TelemetryIngest {
  const { store, resolver } = options
  const maxBytes = options.maxBodyBytes ?? MAX_BATCH_BYTES
  const limiter = new RateLimiter(options.rateLimit ?? { burst: 20, perSecond: 5 })
  const clock = options.now ?? (() => new Date())
  const mode = options.drain ?? 'background'
  const delay = options.drainDelayMs ?? 100
  const onDrainError = options.onDrainError ?? ((e: Error) => process.stderr.write(`${JSON.stringify({ event: 'telemetry.drain.failed', message: e.message })}\n`))

  let running: Promise<RunResult | null> | null = null
  let timer: NodeJS.Timeout | null = null
  let again = false
  let closed = false

  const runDrain = (): Promise<RunResult | null> => {
    const p = (async () => {
      let last: RunResult | null = null
      do {
        again = false
        last = await drainTelemetryInbox(store, { resolver, now: options.now })
        if (last.error) onDrainError(last.error)
      } while (again && !closed)
      return last
    })()
    running = p.finally(() => {
      running = null
    })
    return running
  }

  const schedule = (): void => {
    if (mode !== 'background' || closed) return
    if (running) {
      again = true
      return
    }
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      if (!closed) runDrain().catch((e: Error) => onDrainError(e))
    }, delay)
  }

  const app = new Hono<{ Variables: { device: AuthenticatedDevice } }>()

  app.post(
    TELEMETRY_PATH,
    async function deviceAuth(c, next) {
      const header = c.req.header('authorization') ?? ''
      const match = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header)
      c.header('Cache-Control', 'no-store')
      if (!match) {
        c.header('WWW-Authenticate', 'Bearer realm="sightline-telemetry"')
        return c.json(reason('unauthorized', 'a device token is required: Authorization: Bearer <token>'), 401)
      }
      const token = match[1] as string
      const decision = limiter.take(hashToken(token))
      if (!decision.allowed) {
        c.header('Retry-After', String(decision.retryAfterSeconds))
        return c.json(reason('rate_limited', `too many requests from this device token; retry in ${decision.retryAfterSeconds} s`), 429)
      }
      const device = await authenticateDeviceToken(store.db, token, clock().toISOString())
      if (!device) {
        c.header('WWW-Authenticate', 'Bearer realm="sightline-telemetry", error="invalid_token"')
        return c.json(reason('unauthorized', 'the device token is unknown or revoked'), 401)
      }
      c.set('device', device)
      await next()
    },
    bodyLimit({ maxSize: maxBytes, onError: (c) => c.json(reason('too_large', `the batch is larger than ${maxBytes} bytes`), 400) }),
    async (c) => {
      const type = c.req.header('content-type') ?? ''
      if (!/^application\/json(;|$)/i.test(type)) return c.json(reason('bad_request', 'Content-Type must be application/json'), 400)
      const text = await c.req.text()
      if (Buffer.byteLength(text) > maxBytes) return c.json(reason('too_large', `the batch is larger than ${maxBytes} bytes`), 400)
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch (error) {
        return c.json(reason('bad_request', `the body is not JSON: ${(error as Error).message}`), 400)
      }
      const device = c.get('device')
      const admitted = await admitTelemetryBatch(store.db, { name: device.deviceId, tokenId: device.tokenId }, json, clock().toISOString())
      if (admitted.status === 'invalid') return c.json(reason('invalid_batch', admitted.reason), 400)
      if (admitted.status === 'replay') return c.json({ accepted: false, replay: true, batchId: admitted.batchId }, 200)
      schedule()
      return c.json({ accepted: true, batchId: admitted.batchId, events: admitted.events }, 202)
    },
  )

  return {
    app,
    async drain() {
      if (timer) {
        clearTimeout(timer)
        timer = null
      }
      if (running) await running
      return runDrain()
    },
    async idle() {
      while (timer || running) {
        if (running) await running.catch(() => undefined)
        else await new Promise((r) => setTimeout(r, delay))
      }
    },
    async close() {
      closed = true
      if (timer) {
        clearTimeout(timer)
        timer = null
      }
      if (running) await running.catch(() => undefined)
    },
  }
}

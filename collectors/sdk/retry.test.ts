import { describe, expect, it } from 'vitest'
import { mapSettledWithConcurrency } from './concurrency.js'
import { codeForHttpStatus, CollectorError, isTransientNetworkError, parseRetryAfter } from './errors.js'
import { DEFAULT_RETRY_POLICY, retryDelay, withRetry } from './retry.js'

describe('parseRetryAfter', () => {
  it('should read delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:10 GMT', Date.parse('2026-11-28T12:00:00Z'))).toBe(10_000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(null)).toBeUndefined()
  })
})

describe('codeForHttpStatus', () => {
  it('should map statuses to the closed set of codes', () => {
    expect([401, 403, 404, 429, 500, 503, 400].map(codeForHttpStatus)).toEqual([
      'unauthenticated', 'permission-denied', 'not-found', 'rate-limited', 'unavailable', 'unavailable', 'bad-data',
    ])
  })
})

describe('isTransientNetworkError', () => {
  it('should find a reset socket in the cause chain', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    expect(isTransientNetworkError(new Error('request failed', { cause: reset }))).toBe(true)
    expect(isTransientNetworkError(new Error('bad json'))).toBe(false)
  })
})

describe('withRetry', () => {
  const noWait = { sleep: async () => undefined, random: () => 0.5 }

  it('should retry retryable errors and return the eventual value', async () => {
    let calls = 0
    const value = await withRetry(async () => {
      calls += 1
      if (calls < 3) throw new CollectorError('unavailable', 'x: 503')
      return 'ok'
    }, noWait)
    expect(value).toBe('ok')
    expect(calls).toBe(3)
  })

  it('should not retry an unauthenticated error', async () => {
    let calls = 0
    await expect(withRetry(async () => {
      calls += 1
      throw new CollectorError('unauthenticated', 'x: 401')
    }, noWait)).rejects.toThrow('x: 401')
    expect(calls).toBe(1)
  })

  it('should give up after maxAttempts with the last error', async () => {
    let calls = 0
    await expect(withRetry(async () => {
      calls += 1
      throw new CollectorError('rate-limited', `x: 429 #${calls}`)
    }, { ...noWait, policy: { maxAttempts: 4 } })).rejects.toThrow('x: 429 #4')
    expect(calls).toBe(4)
  })

  it('should give up at once when the vendor asks for a longer wait than allowed', async () => {
    const slept: number[] = []
    await expect(withRetry(async () => {
      throw new CollectorError('rate-limited', 'x: 429', { retryAfterMs: 10 * 60_000 })
    }, { sleep: async (ms) => { slept.push(ms) } })).rejects.toThrow('x: 429')
    expect(slept).toEqual([])
  })
})

describe('retryDelay', () => {
  it('should grow exponentially with jitter and honour Retry-After', () => {
    const p = DEFAULT_RETRY_POLICY
    expect(retryDelay(1, new Error('x'), p, () => 0)).toBe(250)
    expect(retryDelay(3, new Error('x'), p, () => 1)).toBe(2000)
    expect(retryDelay(20, new Error('x'), p, () => 1)).toBe(p.maxDelayMs)
    expect(retryDelay(1, new CollectorError('rate-limited', 'x', { retryAfterMs: 7000 }), p, () => 0)).toBe(7000)
  })
})

describe('mapSettledWithConcurrency', () => {
  it('should keep order, bound the calls in flight and keep each failure to its item', async () => {
    let inFlight = 0
    let peak = 0
    const results = await mapSettledWithConcurrency([1, 2, 3, 4, 5, 6], 2, async (n) => {
      inFlight += 1
      peak = Math.max(peak, inFlight)
      await new Promise((r) => setTimeout(r, 5))
      inFlight -= 1
      if (n === 4) throw new Error('user 4: 403')
      return n * 10
    })
    expect(peak).toBe(2)
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 30, 'user 4: 403', 50, 60])
  })
})

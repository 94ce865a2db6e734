import { setTimeout as sleep } from 'node:timers/promises'

interface Window {
  limit: number
  remaining: number
  resetAtMs: number
}

/** Okta rate limits are per endpoint family; ids in a path do not make a new bucket. */
export function rateLimitBucket(method: string, pathname: string): string {
  const template = pathname
    .split('/')
    .map((s) => (/^(00u|0oa|00g|0ua)[A-Za-z0-9]+$/.test(s) || /^[A-Za-z0-9]{15,}$/.test(s) ? '{id}' : s))
    .join('/')
  return `${method} ${template}`
}

/**
 * Spaces requests out when an endpoint's X-Rate-Limit-Remaining runs low, so a long scan slows down before
 * Okta answers 429 (which would also eat into the org-wide limit other integrations share).
 */
export class OktaRateLimiter {
  private readonly windows = new Map<string, Window>()
  /** Total time waited proactively, for tests and progress. */
  waitedMs = 0

  constructor(
    private readonly slowDownBelow: number = 0.1,
    private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = (ms, signal) => sleep(ms, undefined, { signal }),
    private readonly now: () => number = Date.now,
  ) {}

  async beforeRequest(bucket: string, signal?: AbortSignal): Promise<void> {
    const w = this.windows.get(bucket)
    if (!w) return
    const left = w.resetAtMs - this.now()
    if (left <= 0) {
      this.windows.delete(bucket)
      return
    }
    if (w.remaining > Math.max(1, Math.floor(w.limit * this.slowDownBelow))) return
    // Spread what is left of the window over the remaining calls; with none left, wait for the reset.
    const delay = Math.min(left, w.remaining <= 0 ? left : Math.ceil(left / (w.remaining + 1)))
    this.waitedMs += delay
    await this.wait(delay, signal)
    w.remaining = Math.max(0, w.remaining - 1)
  }

  afterResponse(bucket: string, headers: Headers): void {
    const limit = Number(headers.get('x-rate-limit-limit'))
    const remaining = Number(headers.get('x-rate-limit-remaining'))
    const reset = Number(headers.get('x-rate-limit-reset'))
    if (!headers.has('x-rate-limit-remaining') || !Number.isFinite(remaining) || !Number.isFinite(reset)) return
    this.windows.set(bucket, { limit: Number.isFinite(limit) && limit > 0 ? limit : remaining, remaining, resetAtMs: reset * 1000 })
  }
}

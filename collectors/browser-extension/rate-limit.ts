/**
 * Token buckets keyed by a string (a device token's hash): each key has its own bucket, so a flood from one
 * token empties only its own and others go on at full speed. Checked before any database work.
 */
export interface RateLimitOptions {
  /** Requests a key may make at once. */
  burst: number
  /** Requests per second a key earns back. */
  perSecond: number
  /** Buckets kept at most; full (idle) ones are dropped first when the map is full. */
  maxKeys?: number
}

export interface RateDecision {
  allowed: boolean
  /** Seconds until one request is allowed again (for Retry-After). */
  retryAfterSeconds: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly maxKeys: number

  constructor(private readonly options: RateLimitOptions, private readonly clock: () => number = () => Date.now()) {
    if (!(options.burst >= 1) || !(options.perSecond > 0)) throw new Error('rate limit: burst must be ≥ 1 and perSecond > 0')
    this.maxKeys = options.maxKeys ?? 100_000
  }

  take(key: string): RateDecision {
    const now = this.clock()
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evict(now)
      bucket = { tokens: this.options.burst, at: now }
      this.buckets.set(key, bucket)
    } else {
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond)
      bucket.at = now
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { allowed: true, retryAfterSeconds: 0 }
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond)) }
  }

  private evict(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.options.perSecond >= this.options.burst) this.buckets.delete(key)
    }
    // Everyone is busy: forget the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) {
      let n = Math.floor(this.buckets.size / 2)
      for (const key of this.buckets.keys()) {
        if (n-- <= 0) break
        this.buckets.delete(key)
      }
    }
  }
}

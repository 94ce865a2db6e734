import { setTimeout as sleep } from 'node:timers/promises'
import { CollectorError, isTransientNetworkError } from './errors.js'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Longest single wait we accept from a Retry-After header before giving up on this call. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
})

export interface RetryOptions {
  policy?: Partial<RetryPolicy>
  signal?: AbortSignal
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void
  /** Injected for tests; defaults to a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof CollectorError) return error.retryable
  return isTransientNetworkError(error)
}

/** Exponential backoff with full jitter, but never shorter than what the vendor asked for. */
export function retryDelay(attempt: number, error: unknown, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2))
  const asked = error instanceof CollectorError ? error.retryAfterMs : undefined
  return asked === undefined ? jittered : Math.max(asked, Math.min(jittered, 1000))
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy }
  const wait = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleep(ms, undefined, { signal }))
  const random = options.random ?? Math.random
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted()
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryable(error)) throw error
      const delayMs = retryDelay(attempt, error, policy, random)
      if (delayMs > policy.maxRetryAfterMs) throw error
      options.onRetry?.({ attempt, delayMs, error })
      await wait(delayMs, options.signal)
    }
  }
}

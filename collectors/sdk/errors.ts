/** The closed set of failure kinds every vendor error is mapped to; the code decides retryability. */
export type CollectorErrorCode =
  | 'unauthenticated'
  | 'permission-denied'
  | 'not-found'
  | 'rate-limited'
  | 'unavailable'
  | 'bad-data'
  | 'invalid-config'
  | 'cancelled'

const RETRYABLE: ReadonlySet<CollectorErrorCode> = new Set(['rate-limited', 'unavailable'])

export class CollectorError extends Error {
  override readonly name = 'CollectorError'
  readonly code: CollectorErrorCode
  readonly retryable: boolean
  /** How long the vendor asked us to wait (Retry-After, X-Rate-Limit-Reset), if it said. */
  readonly retryAfterMs: number | undefined
  readonly status: number | undefined

  constructor(code: CollectorErrorCode, message: string, options: { cause?: unknown; retryAfterMs?: number; status?: number } = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.retryable = RETRYABLE.has(code)
    this.retryAfterMs = options.retryAfterMs
    this.status = options.status
  }
}

/** Maps an HTTP status to the error code; the one switch every HTTP collector shares. */
export function codeForHttpStatus(status: number): CollectorErrorCode {
  switch (true) {
    case status === 401:
      return 'unauthenticated'
    case status === 403:
      return 'permission-denied'
    case status === 404 || status === 410:
      return 'not-found'
    case status === 429:
      return 'rate-limited'
    case status === 408 || status >= 500:
      return 'unavailable'
    default:
      return 'bad-data'
  }
}

/** Parses a Retry-After header: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT'])

/** True for socket-level failures (reset mid-page, refused) that are worth retrying. */
export function isTransientNetworkError(error: unknown): boolean {
  let e: unknown = error
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true
    if (e instanceof Error && /socket hang up|other side closed|fetch failed|ECONNRESET/i.test(e.message)) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

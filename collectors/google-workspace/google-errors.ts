import { CollectorError, codeForHttpStatus, errorMessage, isTransientNetworkError, parseRetryAfter } from '../sdk/errors.js'

/** The parts of a GaxiosError we read; structural, so no direct dependency on gaxios' types. */
interface HttpFailure {
  status?: number
  config?: { url?: unknown }
  response?: { status?: number; headers?: { get?(name: string): string | null }; data?: unknown }
}

/** Google's JSON error body: `{"error":{"code":403,"message":…,"status":"PERMISSION_DENIED","errors":[{"reason":…}]}}`. */
function googleError(data: unknown): { message?: string; status?: string; reasons: string[] } {
  const error = (data as { error?: unknown } | null)?.error
  if (typeof error === 'string') {
    // The token endpoint answers OAuth-style: {"error":"invalid_grant","error_description":"…"}.
    const description = (data as { error_description?: unknown }).error_description
    return { message: typeof description === 'string' ? `${error}: ${description}` : error, status: error, reasons: [] }
  }
  if (!error || typeof error !== 'object') return { reasons: [] }
  const e = error as { message?: unknown; status?: unknown; errors?: unknown }
  const reasons = Array.isArray(e.errors) ? e.errors.map((x) => String((x as { reason?: unknown }).reason ?? '')).filter(Boolean) : []
  return { message: typeof e.message === 'string' ? e.message : undefined, status: typeof e.status === 'string' ? e.status : undefined, reasons }
}

// The Directory API reports quota exhaustion as 403 with these reasons, not only as 429.
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded'])

/**
 * Maps whatever the Google client threw to a CollectorError with the closed code set: HTTP failures by status
 * (and Retry-After), a failed access-token exchange as unauthenticated, socket failures as unavailable.
 */
export function toCollectorError(error: unknown, action: string, options: { tokenUri?: string | null } = {}): CollectorError {
  if (error instanceof CollectorError) return error
  const failure = error as HttpFailure
  const status = failure?.response?.status
  if (typeof status === 'number') {
    const body = googleError(failure.response?.data)
    const url = String(failure.config?.url ?? '')
    const detail = `${status}${body.status ? ` ${body.status}` : ''}: ${body.message ?? errorMessage(error)}`
    if (options.tokenUri && url === options.tokenUri) {
      // A refused JWT exchange: bad key, wrong subject, or scopes not granted in domain-wide delegation.
      const code = status === 429 ? 'rate-limited' : status >= 500 ? 'unavailable' : 'unauthenticated'
      return new CollectorError(code, `google-workspace: ${action}: get access token: ${detail} (check the key file, the admin subject and the domain-wide delegation scopes)`, {
        cause: error,
        status,
        retryAfterMs: parseRetryAfter(failure.response?.headers?.get?.('retry-after')),
      })
    }
    const rateLimited = status === 403 && body.reasons.some((r) => RATE_LIMIT_REASONS.has(r))
    return new CollectorError(rateLimited ? 'rate-limited' : codeForHttpStatus(status), `google-workspace: ${action}: ${detail}`, {
      cause: error,
      status,
      retryAfterMs: parseRetryAfter(failure.response?.headers?.get?.('retry-after')),
    })
  }
  if (isTransientNetworkError(error)) return new CollectorError('unavailable', `google-workspace: ${action}: ${errorMessage(error)}`, { cause: error })
  if ((error as { name?: unknown })?.name === 'AbortError') return new CollectorError('cancelled', `google-workspace: ${action}: cancelled`, { cause: error })
  // Other socket-level failures (ENOTFOUND, EHOSTUNREACH) may pass; anything else (a key that will not sign) will not.
  const code = (error as { code?: unknown })?.code
  const network = typeof code === 'string' && /^E[A-Z]+$/.test(code)
  return new CollectorError(network ? 'unavailable' : 'bad-data', `google-workspace: ${action}: ${errorMessage(error)}`, { cause: error })
}

import { CollectorError, codeForHttpStatus, parseRetryAfter } from '../sdk/errors.js'
import type { OktaErrorBody } from './wire-types.js'

/** When the window of X-Rate-Limit-Reset (epoch seconds) ends, as a wait from now; Retry-After if Okta sent one. */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const reset = Number(headers.get('x-rate-limit-reset'))
  if (headers.has('x-rate-limit-reset') && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now)
  return parseRetryAfter(headers.get('retry-after'), now)
}

function parseErrorBody(text: string): OktaErrorBody | null {
  try {
    const body = JSON.parse(text) as unknown
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as OktaErrorBody) : null
  } catch {
    return null
  }
}

/** Maps a non-2xx Okta response to the closed error set; the message carries Okta's errorCode and summary, never a token. */
export function oktaHttpError(action: string, status: number, headers: Headers, bodyText: string): CollectorError {
  const body = parseErrorBody(bodyText)
  const code = codeForHttpStatus(status)
  const detail = body?.errorCode
    ? `${body.errorCode} ${body.errorSummary ?? ''}`.trim()
    : bodyText.trim().slice(0, 200) || 'no body'
  const retryAfterMs = code === 'rate-limited' || code === 'unavailable' ? retryAfterFromHeaders(headers) : undefined
  return new CollectorError(code, `okta: ${action}: HTTP ${status} ${detail}`, {
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  })
}


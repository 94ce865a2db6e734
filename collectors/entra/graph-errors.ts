import { CollectorError, codeForHttpStatus, isTransientNetworkError, parseRetryAfter, type CollectorErrorCode } from '../sdk/errors.js'

/** Thrown by the transport middleware so the SDK's GraphError keeps what went wrong on the socket. */
export class GraphNetworkError extends Error {
  constructor(
    readonly transient: boolean,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options)
    // GraphErrorHandler copies `name` into GraphError.code; the code is how we recognise it again.
    this.name = transient ? 'TransientNetworkError' : 'NetworkError'
  }
}

/** Thrown by the auth provider; `name` survives into GraphError.code like above. */
export class GraphTokenError extends Error {
  constructor(
    readonly transient: boolean,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options)
    this.name = transient ? 'TransientTokenError' : 'TokenError'
  }
}

interface GraphErrorLike {
  statusCode: number
  code: string | null
  message: string
  headers?: { get(name: string): string | null } | undefined
}

function isGraphError(e: unknown): e is GraphErrorLike {
  return e instanceof Error && typeof (e as { statusCode?: unknown }).statusCode === 'number'
}

const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/

/** Describes a fetch failure with its socket-level cause (undici hides it in `cause`). */
export function describeNetworkFailure(error: unknown): GraphNetworkError {
  const parts: string[] = []
  let tls = false
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && TLS_FAILURE.test(code)) tls = true
    if (e instanceof Error) parts.push(typeof code === 'string' ? `${code} ${e.message}` : e.message)
  }
  const transient = !tls && (isTransientNetworkError(error) || /terminated|aborted|closed/i.test(parts.join(' ')))
  return new GraphNetworkError(transient, parts.join(': ') || String(error), { cause: error })
}

/**
 * The one place a Graph failure becomes a CollectorError: HTTP status → code (429/5xx retryable with the
 * vendor's Retry-After), socket failures → unavailable, token failures → unauthenticated.
 */
export function toCollectorError(error: unknown, action: string): CollectorError {
  if (error instanceof CollectorError) return error
  if (isGraphError(error)) {
    const where = `entra: ${action}`
    if (error.statusCode > 0) {
      const code: CollectorErrorCode = codeForHttpStatus(error.statusCode)
      const retryAfterMs = parseRetryAfter(error.headers?.get?.('retry-after'))
      const vendor = error.code ? `${error.code}: ` : ''
      return new CollectorError(code, `${where}: HTTP ${error.statusCode} ${vendor}${error.message || '(no message)'}`, { cause: error, status: error.statusCode, retryAfterMs })
    }
    switch (error.code) {
      case 'TransientNetworkError':
        return new CollectorError('unavailable', `${where}: network: ${error.message}`, { cause: error })
      case 'NetworkError':
        return new CollectorError('invalid-config', `${where}: network: ${error.message}`, { cause: error })
      case 'TransientTokenError':
        return new CollectorError('unavailable', `${where}: get token: ${error.message}`, { cause: error })
      case 'TokenError':
        return new CollectorError('unauthenticated', `${where}: get token: ${error.message}`, { cause: error })
      default:
        return new CollectorError('bad-data', `${where}: ${error.code ?? 'error'}: ${error.message}`, { cause: error })
    }
  }
  if (isTransientNetworkError(error)) return new CollectorError('unavailable', `entra: ${action}: network: ${(error as Error).message}`, { cause: error })
  const message = error instanceof Error ? error.message : String(error)
  return new CollectorError('bad-data', `entra: ${action}: ${message}`, { cause: error })
}

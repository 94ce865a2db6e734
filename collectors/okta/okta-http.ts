import { CollectorError, isTransientNetworkError } from '../sdk/errors.js'
import type { OktaConfig } from './config.js'
import { nextLink } from './link-header.js'
import { oktaHttpError } from './okta-errors.js'
import { OktaTokenProvider } from './oauth-token.js'
import { OktaRateLimiter, rateLimitBucket } from './rate-limit.js'
import { scopeForRequest } from './scopes.js'

export interface OktaResponse<T> {
  status: number
  body: T
  /** Absolute URL of the next page (Link rel="next"), or null. */
  next: string | null
}

export interface OktaHttpOptions {
  /** The scopes an OAuth token is asked for; defaults to the scope of each call. */
  tokenScopes?: readonly string[]
  rateLimiter?: OktaRateLimiter
}

/**
 * Okta's Management API over Node's fetch: authentication (SSWS token or OAuth bearer), Link paging,
 * rate-limit headers and Okta's error bodies mapped to CollectorError. It never retries: the runner does.
 */
export class OktaHttp {
  readonly limiter: OktaRateLimiter
  readonly tokens: OktaTokenProvider | null
  /** Scopes the calls made so far needed (checked against the manifest in tests). */
  readonly usedScopes = new Set<string>()

  constructor(
    private readonly config: Readonly<OktaConfig>,
    private readonly options: OktaHttpOptions = {},
  ) {
    this.limiter = options.rateLimiter ?? new OktaRateLimiter(config.slowDownBelow)
    this.tokens = config.auth.kind === 'private-key-jwt' ? new OktaTokenProvider(config.orgUrl, config.auth) : null
  }

  /** Resolves a path or a next-link against the org; a link to any other origin is refused (it would get our token). */
  private url(pathOrUrl: string): URL {
    const url = new URL(pathOrUrl, this.config.orgUrl)
    if (url.origin !== this.config.orgUrl) {
      throw new CollectorError('bad-data', `okta: follow link: refusing to send credentials to ${url.origin} (org is ${this.config.orgUrl})`)
    }
    return url
  }

  async request<T>(method: string, pathOrUrl: string, signal: AbortSignal, init: { body?: unknown } = {}): Promise<OktaResponse<T>> {
    const url = this.url(pathOrUrl)
    const action = `${method} ${url.pathname}`
    const scope = scopeForRequest(method, url.pathname)
    this.usedScopes.add(scope)
    const bucket = rateLimitBucket(method, url.pathname)
    await this.limiter.beforeRequest(bucket, signal)
    const tokenScopes = this.options.tokenScopes ?? [scope]
    const send = async (): Promise<{ response: Response; text: string }> => {
      const authorization = this.tokens ? `Bearer ${await this.tokens.token(tokenScopes, signal)}` : `SSWS ${(this.config.auth as { token: string }).token}`
      const response = await fetch(url, {
        method,
        headers: { accept: 'application/json', authorization, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal,
        redirect: 'error',
      })
      // Reading the body is part of the fetch: a reset mid-page fails here, never as a short page.
      return { response, text: await response.text() }
    }
    let result: { response: Response; text: string }
    try {
      result = await send()
      if (result.response.status === 401 && this.tokens) {
        // An access token can be revoked or expire early; ask for a new one once before giving up.
        this.tokens.invalidate(tokenScopes)
        result = await send()
      }
    } catch (cause) {
      if (cause instanceof CollectorError || signal.aborted) throw cause
      const transient = isTransientNetworkError(cause) || /terminated|aborted/i.test((cause as Error).message ?? '')
      throw new CollectorError(transient ? 'unavailable' : 'bad-data', `okta: ${action}: ${(cause as Error).message}`, { cause })
    }
    const { response, text } = result
    this.limiter.afterResponse(bucket, response.headers)
    if (!response.ok) throw oktaHttpError(action, response.status, response.headers, text)
    let body: T
    try {
      body = (text === '' ? null : JSON.parse(text)) as T
    } catch (cause) {
      throw new CollectorError('bad-data', `okta: ${action}: the response is not JSON`, { cause, status: response.status })
    }
    return { status: response.status, body, next: nextLink(response.headers.get('link')) }
  }

  /** GET of one page of a listing; a non-array body is an error, never an empty page. */
  async page<T>(pathOrUrl: string, signal: AbortSignal): Promise<{ items: T[]; next: string | null }> {
    const r = await this.request<unknown>('GET', pathOrUrl, signal)
    if (!Array.isArray(r.body)) throw new CollectorError('bad-data', `okta: GET ${this.url(pathOrUrl).pathname}: expected a JSON array`)
    return { items: r.body as T[], next: r.next }
  }
}

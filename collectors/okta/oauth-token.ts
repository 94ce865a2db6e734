import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto'
import { CollectorError } from '../sdk/errors.js'
import { registerSecrets } from '../sdk/redact.js'
import { oktaHttpError } from './okta-errors.js'

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url')
}

/** RS256 for RSA keys, ES256 for P-256 keys: the two Okta accepts for private_key_jwt. */
function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256'
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256'
  throw new CollectorError('invalid-config', `okta: client assertion: unsupported key type ${key.asymmetricKeyType ?? 'unknown'} (use RSA or EC P-256)`)
}

/** A signed client assertion (RFC 7523) whose audience is the org's token endpoint. */
export function signClientAssertion(options: { clientId: string; privateKeyPem: string; keyId?: string; audience: string; now?: number }): string {
  let key: KeyObject
  try {
    key = createPrivateKey(options.privateKeyPem)
  } catch (cause) {
    throw new CollectorError('invalid-config', 'okta: client assertion: the private key is not a readable PEM key', { cause })
  }
  const alg = algorithmOf(key)
  const iat = Math.floor((options.now ?? Date.now()) / 1000)
  const header = { alg, typ: 'JWT', ...(options.keyId ? { kid: options.keyId } : {}) }
  // Okta rejects assertions valid for more than an hour; five minutes is plenty for one token request.
  const payload = { iss: options.clientId, sub: options.clientId, aud: options.audience, iat, exp: iat + 300, jti: randomUUID() }
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  const signature = sign('sha256', Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key)
  return `${input}.${base64url(signature)}`
}

interface CachedToken {
  accessToken: string
  expiresAtMs: number
}

/** Fetches and caches client-credentials access tokens per scope set from `{org}/oauth2/v1/token`. */
export class OktaTokenProvider {
  private readonly cache = new Map<string, CachedToken>()
  /** Every scope ever asked of the token endpoint (the manifest test checks them). */
  readonly requestedScopes = new Set<string>()

  constructor(
    private readonly orgUrl: string,
    private readonly auth: { clientId: string; privateKeyPem: string; keyId?: string },
  ) {}

  invalidate(scopes: readonly string[]): void {
    this.cache.delete([...scopes].sort().join(' '))
  }

  async token(scopes: readonly string[], signal?: AbortSignal): Promise<string> {
    const scope = [...scopes].sort().join(' ')
    const cached = this.cache.get(scope)
    if (cached && cached.expiresAtMs - 60_000 > Date.now()) return cached.accessToken
    const endpoint = `${this.orgUrl}/oauth2/v1/token`
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: signClientAssertion({ ...this.auth, audience: endpoint }),
    })
    for (const s of scopes) this.requestedScopes.add(s)
    let response: Response
    let text: string
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        signal,
      })
      text = await response.text()
    } catch (cause) {
      if (signal?.aborted) throw cause
      // Any network failure reaching the token endpoint is worth another try; the runner bounds the attempts.
      throw new CollectorError('unavailable', `okta: get access token: ${(cause as Error).message}`, { cause })
    }
    if (!response.ok) {
      const body = safeJson(text) as { error?: string; error_description?: string } | null
      // The token endpoint answers OAuth errors (invalid_client …), not Okta's errorCode bodies.
      if (body?.error) {
        const status = response.status === 400 ? 401 : response.status
        const mapped = oktaHttpError('get access token', status, response.headers, JSON.stringify({ errorCode: body.error, errorSummary: body.error_description ?? '' }))
        throw mapped
      }
      throw oktaHttpError('get access token', response.status, response.headers, text)
    }
    const body = safeJson(text) as { access_token?: string; expires_in?: number; token_type?: string } | null
    if (!body?.access_token) throw new CollectorError('bad-data', 'okta: get access token: the token response has no access_token')
    registerSecrets(body.access_token)
    this.cache.set(scope, { accessToken: body.access_token, expiresAtMs: Date.now() + (body.expires_in ?? 3600) * 1000 })
    return body.access_token
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

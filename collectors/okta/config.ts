import { readFileSync } from 'node:fs'
import type { ConfigField } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { registerSecrets } from '../sdk/redact.js'

export type OktaAuth =
  | { kind: 'api-token'; token: string }
  /** An OAuth 2.0 service app authenticating with a private-key JWT (client credentials). */
  | { kind: 'private-key-jwt'; clientId: string; privateKeyPem: string; keyId?: string }

export interface OktaConfig {
  /** `https://northwind.okta.com` — the org, without a path. */
  orgUrl: string
  auth: OktaAuth
  /** Where the System Log is read from when no checkpoint says otherwise (ISO-8601). Set by `scanOkta`. */
  logSince?: string
  /** Page sizes; Okta's maxima are 200 users, 200 apps, 500 app users, 1000 log events. */
  pageSize?: Partial<Record<'users' | 'apps' | 'appUsers' | 'logs', number>>
  /** Apps whose assignments are listed at once. */
  appConcurrency?: number
  /** Below this share of X-Rate-Limit-Limit left, requests are spaced out until the window resets. */
  slowDownBelow?: number
}

export const OKTA_CONFIG_FIELDS: readonly ConfigField[] = [
  { key: 'orgUrl', env: 'SIGHTLINE_OKTA_ORG_URL', description: 'Okta org URL, e.g. https://example.okta.com', required: true },
  { key: 'apiToken', env: 'SIGHTLINE_OKTA_API_TOKEN', description: 'API token of a read-only admin (sent as `Authorization: SSWS …`); or use the OAuth service app below', secret: true },
  { key: 'clientId', env: 'SIGHTLINE_OKTA_CLIENT_ID', description: 'Client id of an OAuth 2.0 service app using private-key JWT client authentication' },
  { key: 'privateKeyPath', env: 'SIGHTLINE_OKTA_PRIVATE_KEY_PATH', description: 'PEM file of the service app private key (RSA or EC)', secret: true },
  { key: 'keyId', env: 'SIGHTLINE_OKTA_KEY_ID', description: 'Key id (kid) of that key in the service app, if it has several' },
  { key: 'logLookbackDays', env: 'SIGHTLINE_OKTA_LOG_LOOKBACK_DAYS', description: 'Days of System Log read by the first scan (Okta keeps 90)', default: '30' },
]

/** Validates and freezes a config; org URLs must be https except on the loopback (the test fake). */
export function normalizeOktaConfig(config: OktaConfig): Readonly<OktaConfig> {
  let url: URL
  try {
    url = new URL(config.orgUrl)
  } catch (cause) {
    throw new CollectorError('invalid-config', `okta: config: org URL is not a URL: ${config.orgUrl}`, { cause })
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
    throw new CollectorError('invalid-config', `okta: config: org URL must use https: ${url.origin}`)
  }
  const auth = config.auth
  if (auth.kind === 'api-token' && auth.token.trim() === '') throw new CollectorError('invalid-config', 'okta: config: the API token is empty')
  if (auth.kind === 'private-key-jwt' && (auth.clientId.trim() === '' || !auth.privateKeyPem.includes('PRIVATE KEY'))) {
    throw new CollectorError('invalid-config', 'okta: config: the service app needs a client id and a PEM private key')
  }
  registerSecrets(auth.kind === 'api-token' ? auth.token : auth.privateKeyPem)
  return Object.freeze({ ...config, orgUrl: url.origin })
}

/** Builds the config from SIGHTLINE_OKTA_* variables (called by scripts, which own the environment). */
export function oktaConfigFromEnv(env: Readonly<Record<string, string | undefined>>, now: Date = new Date()): Readonly<OktaConfig> {
  const orgUrl = env.SIGHTLINE_OKTA_ORG_URL
  if (!orgUrl) throw new CollectorError('invalid-config', 'okta: config: SIGHTLINE_OKTA_ORG_URL is not set')
  let auth: OktaAuth
  if (env.SIGHTLINE_OKTA_API_TOKEN) {
    auth = { kind: 'api-token', token: env.SIGHTLINE_OKTA_API_TOKEN }
  } else if (env.SIGHTLINE_OKTA_CLIENT_ID && env.SIGHTLINE_OKTA_PRIVATE_KEY_PATH) {
    let privateKeyPem: string
    try {
      privateKeyPem = readFileSync(env.SIGHTLINE_OKTA_PRIVATE_KEY_PATH, 'utf8')
    } catch (cause) {
      throw new CollectorError('invalid-config', `okta: config: cannot read SIGHTLINE_OKTA_PRIVATE_KEY_PATH (${env.SIGHTLINE_OKTA_PRIVATE_KEY_PATH})`, { cause })
    }
    auth = { kind: 'private-key-jwt', clientId: env.SIGHTLINE_OKTA_CLIENT_ID, privateKeyPem, ...(env.SIGHTLINE_OKTA_KEY_ID ? { keyId: env.SIGHTLINE_OKTA_KEY_ID } : {}) }
  } else {
    throw new CollectorError('invalid-config', 'okta: config: set SIGHTLINE_OKTA_API_TOKEN, or SIGHTLINE_OKTA_CLIENT_ID and SIGHTLINE_OKTA_PRIVATE_KEY_PATH')
  }
  const days = Number(env.SIGHTLINE_OKTA_LOG_LOOKBACK_DAYS ?? '30')
  if (!Number.isFinite(days) || days <= 0 || days > 90) throw new CollectorError('invalid-config', 'okta: config: SIGHTLINE_OKTA_LOG_LOOKBACK_DAYS must be between 1 and 90')
  return normalizeOktaConfig({ orgUrl, auth, logSince: new Date(now.getTime() - days * 86_400_000).toISOString() })
}

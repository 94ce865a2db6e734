import { readFileSync } from 'node:fs'
import { admin, type admin_directory_v1, type admin_reports_v1 } from '@googleapis/admin'
import { JWT, type OAuth2Client } from 'google-auth-library'
import { CollectorError } from '../sdk/errors.js'
import { GOOGLE_SCOPE_LIST, type GoogleConfig } from './config.js'

/** The token endpoint google-auth-library (gtoken) always posts to, whatever the key file says. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token'

export interface GoogleClients {
  readonly directory: admin_directory_v1.Admin
  readonly reports: admin_reports_v1.Admin
  readonly auth: OAuth2Client
  /** Where access tokens come from, to tell credential failures from API failures. */
  readonly tokenUri: string | null
}

interface ServiceAccountKey {
  client_email: string
  private_key: string
  token_uri: string
}

function readKeyFile(path: string): ServiceAccountKey {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    const detail = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable JSON'
    throw new CollectorError('invalid-config', `google-workspace: read key file: ${path}: ${detail}`, { cause })
  }
  const key = raw as Partial<Record<string, unknown>>
  if (key.type !== 'service_account') {
    throw new CollectorError('invalid-config', `google-workspace: read key file: ${path}: field type must be "service_account", got ${JSON.stringify(key.type ?? null)}`)
  }
  for (const field of ['client_email', 'private_key'] as const) {
    if (typeof key[field] !== 'string' || key[field] === '') {
      throw new CollectorError('invalid-config', `google-workspace: read key file: ${path}: field ${field} is missing`)
    }
  }
  const tokenUri = typeof key.token_uri === 'string' && key.token_uri !== '' ? key.token_uri : GOOGLE_TOKEN_URL
  return { client_email: key.client_email as string, private_key: key.private_key as string, token_uri: tokenUri }
}

/**
 * The runner owns retries: gaxios' own retry (3 tries on 429/5xx/resets by default, token POSTs included)
 * would hide failures from it and multiply attempts, so every request through this auth client has it off.
 * The same interceptor sends the JWT exchange to the key file's `token_uri` (gtoken ignores it).
 */
const prepared = new WeakSet<OAuth2Client>()

function disableRetriesAndHonourTokenUri(auth: OAuth2Client, tokenUri: string | null): void {
  if (prepared.has(auth)) return
  prepared.add(auth)
  auth.transporter.interceptors.request.add({
    resolved: async (options) => {
      options.retry = false
      options.retryConfig = { ...options.retryConfig, retry: 0, noResponseRetries: 0 }
      if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL && String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(tokenUri)
      return options
    },
  })
}

/** Builds the Directory and Reports clients: service account with domain-wide delegation, acting as the admin subject. */
export function createGoogleClients(config: GoogleConfig): GoogleClients {
  let auth: OAuth2Client
  let tokenUri: string | null = null
  if (config.authClient) {
    auth = config.authClient
  } else {
    if (!config.keyFile) throw new CollectorError('invalid-config', 'google-workspace: build client: no key file configured (SIGHTLINE_GOOGLE_KEY_FILE)')
    if (!config.adminSubject) throw new CollectorError('invalid-config', 'google-workspace: build client: no admin subject configured (SIGHTLINE_GOOGLE_ADMIN_SUBJECT)')
    const key = readKeyFile(config.keyFile)
    tokenUri = key.token_uri
    auth = new JWT({ email: key.client_email, key: key.private_key, scopes: [...GOOGLE_SCOPE_LIST], subject: config.adminSubject })
  }
  disableRetriesAndHonourTokenUri(auth, tokenUri)
  const common = { auth, retry: false, timeout: config.timeoutMs ?? 60_000, ...(config.rootUrl ? { rootUrl: config.rootUrl } : {}) }
  return {
    directory: admin({ version: 'directory_v1', ...common }),
    reports: admin({ version: 'reports_v1', ...common }),
    auth,
    tokenUri: tokenUri ?? GOOGLE_TOKEN_URL,
  }
}

import type { OAuth2Client } from 'google-auth-library'
import type { ConfigField } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'

/**
 * The OAuth scopes to grant the service account in domain-wide delegation
 * (Admin console → Security → API controls → Domain-wide delegation), exactly these and no more.
 */
export const GOOGLE_SCOPES = Object.freeze({
  /** users.list: people, status, org unit, manager. */
  users: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  /** tokens.list and tokens.delete (remediation): "admin.directory.user.security" per the Directory API reference. */
  tokens: 'https://www.googleapis.com/auth/admin.directory.user.security',
  /** activities.list for login, token and saml. */
  reports: 'https://www.googleapis.com/auth/admin.reports.audit.readonly',
})

export const GOOGLE_SCOPE_LIST: readonly string[] = Object.freeze(Object.values(GOOGLE_SCOPES))

export const GOOGLE_CONFIG_FIELDS: readonly ConfigField[] = Object.freeze([
  { key: 'keyFile', env: 'SIGHTLINE_GOOGLE_KEY_FILE', description: 'Path to the service account JSON key file (domain-wide delegation enabled)', secret: true, required: true },
  { key: 'adminSubject', env: 'SIGHTLINE_GOOGLE_ADMIN_SUBJECT', description: 'Email of a Workspace admin the service account acts as (users, tokens and reports need admin rights)', required: true },
  { key: 'customer', env: 'SIGHTLINE_GOOGLE_CUSTOMER', description: 'Workspace customer id; my_customer means the admin subject’s own account', default: 'my_customer' },
  { key: 'lookbackDays', env: 'SIGHTLINE_GOOGLE_LOOKBACK_DAYS', description: 'How many days of login, token and SAML events the first scan reads (the Reports API keeps about 180)', default: '30' },
  { key: 'concurrency', env: 'SIGHTLINE_GOOGLE_CONCURRENCY', description: 'How many users’ tokens are fetched at once', default: '8' },
])

export interface GoogleConfig {
  readonly keyFile: string | null
  readonly adminSubject: string | null
  readonly customer: string
  readonly lookbackDays: number
  readonly concurrency: number
  /** Reports `startTime`: events older than this are not read. scanGoogle sets it from the last finished scan. */
  readonly startTime?: string
  /** API origin (default https://admin.googleapis.com/); tests point it at a local fake. */
  readonly rootUrl?: string
  /** A ready auth client in place of the key file (tests, or callers that manage credentials themselves). */
  readonly authClient?: OAuth2Client
  /** Users per users.list page (max 500). */
  readonly pageSize?: number
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number
}

function positiveInt(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new CollectorError('invalid-config', `google-workspace: read config: ${name} must be a whole number from 1 to ${max}, got "${value}"`)
  }
  return n
}

/** Builds the frozen config from environment-like values (the CLI passes `process.env`). */
export function googleConfigFromEnv(env: Readonly<Record<string, string | undefined>>): GoogleConfig {
  const keyFile = env.SIGHTLINE_GOOGLE_KEY_FILE?.trim() || null
  const adminSubject = env.SIGHTLINE_GOOGLE_ADMIN_SUBJECT?.trim().toLowerCase() || null
  if (!keyFile) throw new CollectorError('invalid-config', 'google-workspace: read config: SIGHTLINE_GOOGLE_KEY_FILE is not set (path to the service account key file)')
  if (!adminSubject || !adminSubject.includes('@')) {
    throw new CollectorError('invalid-config', 'google-workspace: read config: SIGHTLINE_GOOGLE_ADMIN_SUBJECT must be the email of a Workspace admin')
  }
  return Object.freeze({
    keyFile,
    adminSubject,
    customer: env.SIGHTLINE_GOOGLE_CUSTOMER?.trim() || 'my_customer',
    lookbackDays: positiveInt('SIGHTLINE_GOOGLE_LOOKBACK_DAYS', env.SIGHTLINE_GOOGLE_LOOKBACK_DAYS, 30, 180),
    concurrency: positiveInt('SIGHTLINE_GOOGLE_CONCURRENCY', env.SIGHTLINE_GOOGLE_CONCURRENCY, 8, 64),
  })
}

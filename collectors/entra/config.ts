import type { ConfigField } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import { registerSecrets } from '../sdk/redact.js'

/** What the Entra collector needs; built once by the CLI from the environment and frozen. */
export interface EntraConfig {
  readonly tenantId: string
  readonly clientId: string
  readonly clientSecret?: string | undefined
  /** PEM file holding the certificate and its private key (app registration certificate credential). */
  readonly certificatePath?: string | undefined
  /** https://login.microsoftonline.com, or a national cloud's authority. */
  readonly authorityHost?: string | undefined
  /** https://graph.microsoft.com, or a national cloud's Graph endpoint. */
  readonly graphBaseUrl?: string | undefined
  /** Sign-ins at or after this time are read; the scanner sets it from the last imported sign-in. */
  readonly signinsSince?: string | undefined
  /** Service principals handled per page of the app and grant listings (each costs one call per principal). */
  readonly servicePrincipalPageSize?: number | undefined
  /** Calls in flight during the per-service-principal fan-out. */
  readonly concurrency?: number | undefined
}

/** Where rows of this collector are stamped, in live and file mode alike (so "gone" compares like with like). */
export const ENTRA_SOURCE = 'entra'

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com'
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com'

/** Declared once: the CLI builds the config, docs and `.env.example` from this list. */
export const ENTRA_CONFIG_FIELDS: readonly ConfigField[] = Object.freeze([
  { key: 'tenantId', env: 'SIGHTLINE_ENTRA_TENANT_ID', description: 'Directory (tenant) ID of the Microsoft Entra tenant', required: true },
  { key: 'clientId', env: 'SIGHTLINE_ENTRA_CLIENT_ID', description: 'Application (client) ID of the app registration Sightline signs in as', required: true },
  { key: 'clientSecret', env: 'SIGHTLINE_ENTRA_CLIENT_SECRET', description: 'Client secret of the app registration (or use a certificate)', secret: true },
  {
    key: 'certificatePath',
    env: 'SIGHTLINE_ENTRA_CERTIFICATE_PATH',
    description: 'PEM file with the app registration certificate and its private key (instead of a client secret)',
    secret: true,
  },
  { key: 'authorityHost', env: 'SIGHTLINE_ENTRA_AUTHORITY_HOST', description: 'Sign-in authority (national clouds only)', default: DEFAULT_AUTHORITY_HOST },
  { key: 'graphBaseUrl', env: 'SIGHTLINE_ENTRA_GRAPH_URL', description: 'Microsoft Graph endpoint (national clouds only)', default: DEFAULT_GRAPH_BASE_URL },
])

/**
 * Microsoft Graph application permissions a scan uses, one per kind of call (least privileged that the
 * Graph reference lists for each: users, service principals + app role assignments, delegated grants,
 * sign-ins; Directory.Read.All for /organization and, per the signIn reference, alongside AuditLog.Read.All).
 */
export const ENTRA_SCAN_PERMISSIONS = Object.freeze([
  'User.Read.All',
  'Application.Read.All',
  'DelegatedPermissionGrant.Read.All',
  'AuditLog.Read.All',
  'Directory.Read.All',
] as const)

/** Extra permissions only the remediation functions use (grant them only if Sightline may revoke). */
export const ENTRA_REMEDIATION_PERMISSIONS = Object.freeze(['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'] as const)

export type EntraPermission = (typeof ENTRA_SCAN_PERMISSIONS)[number] | (typeof ENTRA_REMEDIATION_PERMISSIONS)[number]

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Validates and freezes a config (from env values the CLI read); a bad value fails before any call. */
export function entraConfigFrom(values: Partial<Record<keyof EntraConfig, string | undefined>>): EntraConfig {
  const need = (key: 'tenantId' | 'clientId', env: string): string => {
    const v = values[key]?.trim()
    if (!v) throw new CollectorError('invalid-config', `entra: config: ${env} is not set`)
    return v
  }
  const tenantId = need('tenantId', 'SIGHTLINE_ENTRA_TENANT_ID')
  const clientId = need('clientId', 'SIGHTLINE_ENTRA_CLIENT_ID')
  if (!GUID.test(clientId)) throw new CollectorError('invalid-config', `entra: config: SIGHTLINE_ENTRA_CLIENT_ID must be a GUID, got "${clientId}"`)
  const clientSecret = values.clientSecret?.trim() || undefined
  const certificatePath = values.certificatePath?.trim() || undefined
  registerSecrets(clientSecret)
  if (!clientSecret && !certificatePath) {
    throw new CollectorError('invalid-config', 'entra: config: set SIGHTLINE_ENTRA_CLIENT_SECRET or SIGHTLINE_ENTRA_CERTIFICATE_PATH')
  }
  for (const [key, env] of [['authorityHost', 'SIGHTLINE_ENTRA_AUTHORITY_HOST'], ['graphBaseUrl', 'SIGHTLINE_ENTRA_GRAPH_URL']] as const) {
    const v = values[key]
    if (v && !/^https:\/\/[^/]+\/?$/.test(v.trim())) throw new CollectorError('invalid-config', `entra: config: ${env} must be an https origin, got "${v}"`)
  }
  return Object.freeze({
    tenantId,
    clientId,
    clientSecret,
    certificatePath,
    authorityHost: values.authorityHost?.trim() || undefined,
    graphBaseUrl: values.graphBaseUrl?.trim() || undefined,
  })
}

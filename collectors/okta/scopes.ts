/** OAuth scopes of the Okta Management API, by what Sightline does with them. */
export const OKTA_READ_SCOPES = ['okta.users.read', 'okta.apps.read', 'okta.logs.read'] as const
export const OKTA_REMEDIATION_SCOPES = ['okta.apps.manage', 'okta.users.manage'] as const
export const OKTA_SCOPES: readonly string[] = [...OKTA_READ_SCOPES, ...OKTA_REMEDIATION_SCOPES]

/** The one scope an endpoint needs, so every call can be checked against the manifest. */
export function scopeForRequest(method: string, pathname: string): string {
  const write = method !== 'GET' && method !== 'HEAD'
  if (pathname.startsWith('/api/v1/logs')) return 'okta.logs.read'
  if (/^\/api\/v1\/apps\/[^/]+\/users/.test(pathname)) return write ? 'okta.apps.manage' : 'okta.apps.read'
  if (pathname.startsWith('/api/v1/apps')) return write ? 'okta.apps.manage' : 'okta.apps.read'
  if (pathname.startsWith('/api/v1/users')) return write ? 'okta.users.manage' : 'okta.users.read'
  throw new Error(`okta: scope for request: no scope declared for ${method} ${pathname}`)
}

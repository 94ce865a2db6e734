import { CollectorError } from '../sdk/errors.js'
import { failedRemediation, unsupportedTarget, type RemediationContext, type RemediationResult, type RemediationTarget, type Remediator } from '../sdk/remediator.js'
import { withRetry, type RetryPolicy } from '../sdk/retry.js'
import { ENTRA_REMEDIATION_PERMISSIONS, ENTRA_SCAN_PERMISSIONS, type EntraConfig } from './config.js'
import { createGraphSession, type EntraConnection, type GraphSession } from './graph-client.js'
import type { GraphAppRoleAssignment, GraphOAuth2PermissionGrant, GraphPage, GraphServicePrincipal } from './graph-types.js'
import { UNRESOLVED_CLIENT_PREFIX } from './map-records.js'

export interface EntraRemediationOptions {
  connection?: EntraConnection
  retry?: Partial<RetryPolicy>
  signal?: AbortSignal
}

/** `removed`: this call deleted it; `not-found`: it was already gone (someone else revoked it). */
export type EntraDeleteOutcome = 'removed' | 'not-found'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// oauth2PermissionGrant ids are base64url strings, not GUIDs.
const GRANT_ID = /^[A-Za-z0-9_-]{10,200}$/

function session(config: EntraConfig, options: EntraRemediationOptions): GraphSession {
  return createGraphSession(config, [...ENTRA_SCAN_PERMISSIONS, ...ENTRA_REMEDIATION_PERMISSIONS], options.connection)
}

async function deleteOnce(s: GraphSession, path: string, permission: (typeof ENTRA_REMEDIATION_PERMISSIONS)[number], action: string, options: EntraRemediationOptions): Promise<EntraDeleteOutcome> {
  try {
    await withRetry(() => s.delete(path, permission, action, options.signal), { policy: options.retry, signal: options.signal })
    return 'removed'
  } catch (error) {
    if (error instanceof CollectorError && error.code === 'not-found') return 'not-found'
    throw error
  }
}

/** Revokes one delegated permission grant (DELETE /oauth2PermissionGrants/{id}). */
export async function revokeEntraGrant(config: EntraConfig, grantId: string, options: EntraRemediationOptions = {}): Promise<EntraDeleteOutcome> {
  if (!GRANT_ID.test(grantId)) throw new CollectorError('invalid-config', `entra: revoke grant: "${grantId}" is not an oauth2PermissionGrant id`)
  return deleteOnce(session(config, options), `/oauth2PermissionGrants/${grantId}`, 'DelegatedPermissionGrant.ReadWrite.All', `revoke grant ${grantId}`, options)
}

/** Removes one app role assignment of a user or group (DELETE /servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}). */
export async function removeEntraAppRoleAssignment(config: EntraConfig, servicePrincipalId: string, assignmentId: string, options: EntraRemediationOptions = {}): Promise<EntraDeleteOutcome> {
  if (!GUID.test(servicePrincipalId)) throw new CollectorError('invalid-config', `entra: remove assignment: "${servicePrincipalId}" is not a service principal id`)
  if (!GRANT_ID.test(assignmentId)) throw new CollectorError('invalid-config', `entra: remove assignment: "${assignmentId}" is not an assignment id`)
  return deleteOnce(
    session(config, options),
    `/servicePrincipals/${servicePrincipalId}/appRoleAssignedTo/${assignmentId}`,
    'AppRoleAssignment.ReadWrite.All',
    `remove assignment ${assignmentId}`,
    options,
  )
}

async function listAll<T>(s: GraphSession, url: string, permission: 'Application.Read.All' | 'DelegatedPermissionGrant.Read.All', action: string, options: EntraRemediationOptions): Promise<T[]> {
  const items: T[] = []
  for (let next: string | undefined = url; next; ) {
    const page: GraphPage<T> = await withRetry(() => s.get<GraphPage<T>>(next!, permission, action, options.signal), { policy: options.retry, signal: options.signal })
    items.push(...(page.value ?? []))
    next = page['@odata.nextLink']
  }
  return items
}

async function servicePrincipalByAppId(s: GraphSession, appId: string, options: EntraRemediationOptions): Promise<GraphServicePrincipal | null> {
  if (!GUID.test(appId)) throw new CollectorError('invalid-config', `entra: find app: "${appId}" is not an application id`)
  const sps = await listAll<GraphServicePrincipal>(s, `/servicePrincipals?$filter=appId eq '${appId}'&$select=id,appId,displayName`, 'Application.Read.All', `find service principal of ${appId}`, options)
  return sps[0] ?? null
}

/**
 * Revokes what Sightline shows as one grant: every delegated grant the client app holds for that user
 * (or, for `tenant:…`, the tenant-wide consent). Returns the Graph grant ids it deleted.
 */
export async function revokeEntraConsent(
  config: EntraConfig,
  grant: { clientId: string; userExternalId: string },
  options: EntraRemediationOptions = {},
): Promise<{ revoked: string[] }> {
  const s = session(config, options)
  // A grant imported without its service principals names its client by object id (`sp:<id>`).
  const objectId = grant.clientId.startsWith(UNRESOLVED_CLIENT_PREFIX) ? grant.clientId.slice(UNRESOLVED_CLIENT_PREFIX.length) : null
  if (objectId !== null && !GUID.test(objectId)) throw new CollectorError('invalid-config', `entra: revoke consent: "${grant.clientId}" is not a service principal id`)
  const sp = objectId !== null ? { id: objectId } : await servicePrincipalByAppId(s, grant.clientId, options)
  if (!sp) return { revoked: [] }
  const tenantWide = grant.userExternalId.startsWith('tenant:')
  const grants = await listAll<GraphOAuth2PermissionGrant>(s, `/servicePrincipals/${sp.id}/oauth2PermissionGrants`, 'DelegatedPermissionGrant.Read.All', `list grants of ${sp.id}`, options)
  const mine = grants.filter((g) => (tenantWide ? g.consentType === 'AllPrincipals' : g.consentType === 'Principal' && g.principalId === grant.userExternalId))
  const revoked: string[] = []
  for (const g of mine) if ((await deleteOnce(s, `/oauth2PermissionGrants/${g.id}`, 'DelegatedPermissionGrant.ReadWrite.All', `revoke grant ${g.id}`, options)) === 'removed') revoked.push(g.id)
  return { revoked }
}

/** Removes a user's direct assignments to an enterprise app (what Sightline shows as one account). */
export async function removeEntraAppAccess(
  config: EntraConfig,
  account: { appId: string; userExternalId: string },
  options: EntraRemediationOptions = {},
): Promise<{ removed: string[] }> {
  const s = session(config, options)
  const sp = await servicePrincipalByAppId(s, account.appId, options)
  if (!sp) return { removed: [] }
  const assignments = await listAll<GraphAppRoleAssignment>(s, `/servicePrincipals/${sp.id}/appRoleAssignedTo?$top=999`, 'Application.Read.All', `list assignments of ${sp.id}`, options)
  const removed: string[] = []
  for (const a of assignments.filter((x) => x.principalId === account.userExternalId)) {
    if ((await deleteOnce(s, `/servicePrincipals/${sp.id}/appRoleAssignedTo/${a.id}`, 'AppRoleAssignment.ReadWrite.All', `remove assignment ${a.id}`, options)) === 'removed') removed.push(a.id)
  }
  return { removed }
}

/**
 * Entra behind the one Remediator contract: `remove-access` removes the user's direct assignments to the
 * enterprise app; `revoke-grant` revokes every delegated grant the client holds for the user (or tenant-wide).
 */
export function createEntraRemediator(config: EntraConfig, options: Omit<EntraRemediationOptions, 'signal'> = {}): Remediator {
  return {
    source: 'entra',
    actions: ['remove-access', 'revoke-grant'],
    async remediate(target: RemediationTarget, ctx: RemediationContext = {}): Promise<RemediationResult> {
      const opts = { ...options, ...(ctx.signal ? { signal: ctx.signal } : {}) }
      if (target.action === 'remove-access') {
        if (!target.app) return unsupportedTarget('entra', target, 'the application id (target.app) is missing')
        const request = `DELETE /servicePrincipals/{id of ${target.app}}/appRoleAssignedTo/{assignments of ${target.user}}`
        try {
          const { removed } = await removeEntraAppAccess(config, { appId: target.app, userExternalId: target.user }, opts)
          return removed.length > 0
            ? { outcome: 'done', request, detail: `entra: removed ${removed.length} assignment(s) of ${target.user} to ${target.app}` }
            : { outcome: 'already-done', request, detail: `entra: ${target.user} had no direct assignment to ${target.app}` }
        } catch (error) {
          return failedRemediation(error, request)
        }
      }
      if (!target.client) return unsupportedTarget('entra', target, 'the client application id (target.client) is missing')
      const request = `DELETE /oauth2PermissionGrants/{grants of ${target.client} for ${target.user}}`
      try {
        const { revoked } = await revokeEntraConsent(config, { clientId: target.client, userExternalId: target.user }, opts)
        return revoked.length > 0
          ? { outcome: 'done', request, detail: `entra: revoked ${revoked.length} grant(s): ${revoked.join(', ')}` }
          : { outcome: 'already-done', request, detail: `entra: ${target.client} holds no grant for ${target.user}` }
      } catch (error) {
        return failedRemediation(error, request)
      }
    },
  }
}

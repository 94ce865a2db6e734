import { CollectorError } from '../sdk/errors.js'
import { failedRemediation, unsupportedTarget, type RemediationContext, type RemediationResult, type RemediationTarget, type Remediator } from '../sdk/remediator.js'
import { normalizeOktaConfig, type OktaConfig } from './config.js'
import { OktaHttp } from './okta-http.js'
import { OKTA_REMEDIATION_SCOPES } from './scopes.js'
import type { OktaAppUser } from './wire-types.js'

export interface OktaRemediationResult {
  outcome: 'done' | 'already-done'
  /** What Okta was asked, for the remediation record (never a credential). */
  request: string
}

function client(config: OktaConfig): OktaHttp {
  return new OktaHttp(normalizeOktaConfig(config), { tokenScopes: OKTA_REMEDIATION_SCOPES })
}

function idPart(value: string, what: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new CollectorError('invalid-config', `okta: remediation: ${what} is not an Okta id: ${value}`)
  return value
}

/**
 * Removes a user's assignment to an app (`DELETE /api/v1/apps/{appId}/users/{userId}`). With provisioning on,
 * Okta then deactivates the user's account in the app. An assignment that no longer exists counts as done;
 * one made through a group cannot be removed per user and fails as permission-denied (remove the group).
 */
export async function unassignOktaUserFromApp(config: OktaConfig, appId: string, userId: string, signal: AbortSignal = new AbortController().signal): Promise<OktaRemediationResult> {
  const path = `/api/v1/apps/${idPart(appId, 'app id')}/users/${idPart(userId, 'user id')}`
  const request = `DELETE ${path}`
  try {
    await client(config).request('DELETE', `${path}?sendEmail=false`, signal)
    return { outcome: 'done', request }
  } catch (error) {
    if (error instanceof CollectorError && error.code === 'not-found' && error.message.includes('(AppUser)')) return { outcome: 'already-done', request }
    throw error
  }
}

/**
 * Okta has no "deactivate" for one app assignment: deprovisioning an app account is what unassigning does
 * when the app has provisioning. This first reads the assignment (so a group-based one is reported clearly,
 * and an unknown app is an error rather than "done"), then unassigns it.
 */
export async function deactivateOktaAppUser(config: OktaConfig, appId: string, userId: string, signal: AbortSignal = new AbortController().signal): Promise<OktaRemediationResult> {
  const http = client(config)
  const path = `/api/v1/apps/${idPart(appId, 'app id')}/users`
  const page = await http.page<OktaAppUser>(`${path}?limit=500`, signal).catch((error: unknown) => {
    throw error instanceof CollectorError && error.code === 'not-found'
      ? new CollectorError('not-found', `okta: deactivate app user: app ${appId} does not exist`, { cause: error })
      : error
  })
  let assignment = page.items.find((u) => u.id === userId)
  let next = page.next
  while (!assignment && next) {
    const more = await http.page<OktaAppUser>(next, signal)
    assignment = more.items.find((u) => u.id === userId)
    next = more.next
  }
  if (!assignment) return { outcome: 'already-done', request: `GET ${path}` }
  if (assignment.scope === 'GROUP') {
    throw new CollectorError('permission-denied', `okta: deactivate app user: ${userId} is assigned to app ${appId} through a group; remove them from the group instead`)
  }
  return unassignOktaUserFromApp(config, appId, userId, signal)
}

/** Okta behind the one Remediator contract: `remove-access` unassigns the user from the app (deactivateOktaAppUser). */
export function createOktaRemediator(config: OktaConfig): Remediator {
  return {
    source: 'okta',
    actions: ['remove-access'],
    async remediate(target: RemediationTarget, ctx: RemediationContext = {}): Promise<RemediationResult> {
      if (!target.app) return unsupportedTarget('okta', target, 'the Okta app id (target.app) is missing')
      const request = `DELETE /api/v1/apps/${target.app}/users/${target.user}`
      try {
        const r = await deactivateOktaAppUser(config, target.app, target.user, ctx.signal)
        return { outcome: r.outcome, request: r.request, detail: r.outcome === 'done' ? `okta: unassigned ${target.user} from app ${target.app}` : `okta: ${target.user} was no longer assigned to app ${target.app}` }
      } catch (error) {
        return failedRemediation(error, request)
      }
    },
  }
}

// Interim bridge from the campaign remediation queue (data/campaigns) to the collectors' remediation functions,
// until collectors/sdk/remediator.ts (issue 11) registers them per source. data/ never imports a collector.
import type { DispatchResult, RemediationDispatch } from '../data/campaigns/remediation-queue.js'
import type { RemediationTarget } from '../data/campaigns/snapshot.js'
import type { EntraConfig } from './entra/config.js'
import { removeEntraAppAccess, revokeEntraConsent } from './entra/remediation.js'
import type { GoogleConfig } from './google-workspace/config.js'
import { revokeGoogleToken } from './google-workspace/remediation.js'
import type { OktaConfig } from './okta/config.js'
import { deactivateOktaAppUser } from './okta/remediation.js'
import { CollectorError } from './sdk/errors.js'

export interface RemediationCredentials {
  okta?: OktaConfig
  google?: GoogleConfig
  entra?: EntraConfig
}

function oktaIds(target: RemediationTarget): [string, string] {
  const [appId, userId] = target.externalId.split('/')
  if (!appId || !userId) throw new CollectorError('bad-data', `okta: remediation: account id "${target.externalId}" is not appId/userId`)
  return [appId, userId]
}

/** A dispatch over the sources that have credentials: Okta unassign, Google token revoke, Entra grant / assignment delete. */
export function createRemediationDispatch(credentials: RemediationCredentials): RemediationDispatch {
  return {
    supports(target, action) {
      if (target.source === 'okta') return Boolean(credentials.okta) && target.kind === 'account' && action === 'remove-account'
      if (target.source === 'google-workspace') return Boolean(credentials.google) && target.kind === 'grant' && action === 'revoke-grant'
      if (target.source === 'entra') return Boolean(credentials.entra) && ((target.kind === 'grant' && action === 'revoke-grant') || (target.kind === 'account' && action === 'remove-account' && target.sourceAppIds.length > 0))
      return false
    },
    async remediate(target, action, signal): Promise<DispatchResult> {
      if (target.source === 'okta' && credentials.okta && action === 'remove-account') {
        const [appId, userId] = oktaIds(target)
        // Reads the assignment first, so a group assignment fails by name instead of as a bare 403.
        return deactivateOktaAppUser(credentials.okta, appId, userId, signal)
      }
      if (target.source === 'google-workspace' && credentials.google && action === 'revoke-grant' && target.clientId) {
        const userKey = target.userExternalId ?? target.userEmail
        if (!userKey) throw new CollectorError('bad-data', 'google-workspace: revoke token: the grant names no user')
        const r = await revokeGoogleToken(credentials.google, userKey, target.clientId, { signal })
        return { outcome: r.outcome === 'revoked' ? 'done' : 'already-done', request: `DELETE users/${userKey}/tokens/${target.clientId}` }
      }
      if (target.source === 'entra' && credentials.entra) {
        if (action === 'revoke-grant' && target.clientId) {
          const r = await revokeEntraConsent(credentials.entra, { clientId: target.clientId, userExternalId: target.externalId }, { signal })
          return { outcome: r.revoked.length ? 'done' : 'already-done', request: `DELETE /oauth2PermissionGrants (${r.revoked.length}) of client ${target.clientId}` }
        }
        if (action === 'remove-account') {
          let removed = 0
          for (const appId of target.sourceAppIds) removed += (await removeEntraAppAccess(credentials.entra, { appId, userExternalId: target.externalId }, { signal })).removed.length
          return { outcome: removed ? 'done' : 'already-done', request: `DELETE appRoleAssignedTo (${removed}) of ${target.sourceAppIds.join(', ')}` }
        }
      }
      throw new CollectorError('invalid-config', `remediation: no automatic ${action} for ${target.source} ${target.kind}s`)
    },
  }
}

// The campaign remediation queue (data/campaigns) reaches the vendors through the collectors' Remediator registry
// (collectors/sdk/remediator.ts): one remediator per configured source. data/ never imports a collector; this
// module turns a frozen review-item target into the registry's targets and the registry's answers into the
// queue's.
import type { DispatchResult, RemediationDispatch } from '../data/campaigns/remediation-queue.js'
import type { RemediationTarget as ItemTarget } from '../data/campaigns/snapshot.js'
import type { EntraConfig } from './entra/config.js'
import { createEntraRemediator } from './entra/remediation.js'
import type { GoogleConfig } from './google-workspace/config.js'
import { createGoogleRemediator } from './google-workspace/remediation.js'
import type { OktaConfig } from './okta/config.js'
import { createOktaRemediator } from './okta/remediation.js'
import { CollectorError } from './sdk/errors.js'
import { RemediatorRegistry, type RemediationAction, type RemediationTarget } from './sdk/remediator.js'

export interface RemediationCredentials {
  okta?: OktaConfig
  google?: GoogleConfig
  entra?: EntraConfig
}

/** A remediator for each source that has credentials. */
export function remediatorsFor(credentials: RemediationCredentials): RemediatorRegistry {
  const registry = new RemediatorRegistry()
  if (credentials.okta) registry.register(createOktaRemediator(credentials.okta))
  if (credentials.google) registry.register(createGoogleRemediator(credentials.google))
  if (credentials.entra) registry.register(createEntraRemediator(credentials.entra))
  return registry
}

/** Inventory sources are named after collectors; the registry after vendors. */
const REGISTRY_SOURCE: Record<string, string> = { okta: 'okta', entra: 'entra', 'google-workspace': 'google' }

/** The queue's action names (`remove-account`, `revoke-grant`) in the registry's words. */
function registryAction(action: string): RemediationAction | null {
  if (action === 'remove-account') return 'remove-access'
  if (action === 'revoke-grant') return 'revoke-grant'
  return null
}

/**
 * The registry targets that carry out one queue action on one frozen item: none when the item lacks the ids a
 * vendor needs (then a person does it), several for an Entra account assigned through more than one application.
 */
export function registryTargets(item: ItemTarget, action: string): RemediationTarget[] {
  const source = REGISTRY_SOURCE[item.source]
  const act = registryAction(action)
  if (!source || !act) return []
  if (act === 'remove-access' && item.kind === 'account') {
    if (source === 'okta') {
      const [app, user] = item.externalId.split('/')
      return app && user ? [{ action: act, source, user, app }] : []
    }
    if (source === 'entra') return item.sourceAppIds.map((app) => ({ action: act, source, user: item.externalId, app }))
    return []
  }
  if (act === 'revoke-grant' && item.kind === 'grant' && item.clientId) {
    if (source === 'entra') return [{ action: act, source, user: item.externalId, client: item.clientId }]
    if (source === 'google') {
      const user = item.userExternalId ?? item.userEmail
      return user ? [{ action: act, source, user, client: item.clientId }] : []
    }
  }
  return []
}

/** The queue's dispatch over a registry: `supports` when every target has a remediator for its action. */
export function dispatchThrough(registry: RemediatorRegistry): RemediationDispatch {
  return {
    supports(item, action) {
      const targets = registryTargets(item, action)
      return targets.length > 0 && targets.every((t) => registry.get(t.source)?.actions.includes(t.action) === true)
    },
    async remediate(item, action, signal): Promise<DispatchResult> {
      const targets = registryTargets(item, action)
      if (targets.length === 0) throw new CollectorError('invalid-config', `remediation: no automatic ${action} for ${item.source} ${item.kind}s`)
      let done = false
      const requests: string[] = []
      for (const target of targets) {
        const result = await registry.remediate(target, { signal })
        if (result.request) requests.push(result.request)
        // The queue records a failure from what was thrown: its message becomes the remediation's error.
        if (result.outcome === 'failed') throw new CollectorError(result.code ?? 'bad-data', result.detail)
        done ||= result.outcome === 'done'
      }
      return { outcome: done ? 'done' : 'already-done', request: requests.join('; ') }
    },
  }
}

/** A dispatch over the sources that have credentials: Okta unassign, Google token revoke, Entra grant / assignment delete. */
export function createRemediationDispatch(credentials: RemediationCredentials): RemediationDispatch {
  return dispatchThrough(remediatorsFor(credentials))
}

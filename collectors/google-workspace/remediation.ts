import { CollectorError } from '../sdk/errors.js'
import { failedRemediation, unsupportedTarget, type RemediationContext, type RemediationResult, type RemediationTarget, type Remediator } from '../sdk/remediator.js'
import { withRetry, type RetryPolicy } from '../sdk/retry.js'
import { createGoogleClients } from './client.js'
import type { GoogleConfig } from './config.js'
import { toCollectorError } from './google-errors.js'

export interface RevokeResult {
  userKey: string
  clientId: string
  /** `revoked` now, or `already-gone` when Google had no such token (404): the outcome the reviewer wanted either way. */
  outcome: 'revoked' | 'already-gone'
}

/**
 * Revokes the OAuth token a user gave an app (Directory API tokens.delete), the remediation of a "revoke" decision.
 * Throttling and outages are retried; permission and credential failures throw a CollectorError.
 */
export async function revokeGoogleToken(
  config: GoogleConfig,
  userKey: string,
  clientId: string,
  options: { signal?: AbortSignal; retry?: Partial<RetryPolicy> } = {},
): Promise<RevokeResult> {
  if (!userKey.trim() || !clientId.trim()) throw new CollectorError('invalid-config', 'google-workspace: revoke token: userKey and clientId are required')
  const clients = createGoogleClients(config)
  return withRetry(
    async () => {
      try {
        await clients.directory.tokens.delete({ userKey, clientId }, { signal: options.signal })
        return { userKey, clientId, outcome: 'revoked' as const }
      } catch (error) {
        const e = toCollectorError(error, `revoke token of ${clientId} for ${userKey}`, { tokenUri: clients.tokenUri })
        if (e.code === 'not-found') return { userKey, clientId, outcome: 'already-gone' as const }
        throw e
      }
    },
    { signal: options.signal, policy: options.retry },
  )
}

/** Google Workspace behind the one Remediator contract: `revoke-grant` deletes the user's OAuth token for the client. */
export function createGoogleRemediator(config: GoogleConfig, options: { retry?: Partial<RetryPolicy> } = {}): Remediator {
  return {
    source: 'google',
    actions: ['revoke-grant'],
    async remediate(target: RemediationTarget, ctx: RemediationContext = {}): Promise<RemediationResult> {
      if (!target.client) return unsupportedTarget('google', target, 'the OAuth client id (target.client) is missing')
      const request = `DELETE /admin/directory/v1/users/${target.user}/tokens/${target.client}`
      try {
        const r = await revokeGoogleToken(config, target.user, target.client, { ...options, ...(ctx.signal ? { signal: ctx.signal } : {}) })
        return r.outcome === 'revoked'
          ? { outcome: 'done', request, detail: `google: revoked the token ${target.user} gave ${target.client}` }
          : { outcome: 'already-done', request, detail: `google: ${target.user} held no token for ${target.client}` }
      } catch (error) {
        return failedRemediation(error, request)
      }
    },
  }
}

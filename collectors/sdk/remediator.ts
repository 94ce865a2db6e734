// One contract for undoing access at a vendor, so a remediation queue dispatches on `target.source` without a
// vendor switch. Each live collector that can act implements it over its own remediation functions.
import { CollectorError, type CollectorErrorCode } from './errors.js'

/** What to undo. `remove-access`: a person's assignment to an app; `revoke-grant`: an OAuth grant to a client. */
export type RemediationAction = 'remove-access' | 'revoke-grant'

/**
 * The thing to act on, in the source's own ids (never emails alone: they change).
 * - okta `remove-access`: `user` = Okta user id, `app` = Okta app id (an Okta account's external id is `app/user`).
 * - entra `remove-access`: `user` = user object id, `app` = the enterprise app's application (client) id;
 *   `revoke-grant`: `user` = user object id (or `tenant:…` for admin consent), `client` = the client's application id.
 * - google `revoke-grant`: `user` = Google user id or primary email, `client` = the OAuth client id.
 */
export interface RemediationTarget {
  action: RemediationAction
  /** The collector id that owns the target: `okta`, `entra`, `google`. */
  source: string
  user: string
  app?: string
  client?: string
}

export interface RemediationContext {
  signal?: AbortSignal
}

/**
 * `done`: this call removed it. `already-done`: it was gone before (someone else removed it), which is the
 * outcome the reviewer wanted. `failed`: nothing was changed; `detail` says why and `retryable` whether trying
 * again later may work (throttling, an outage) or needs a person (permissions, a group assignment).
 */
export type RemediationOutcome = 'done' | 'already-done' | 'failed'

export interface RemediationResult {
  outcome: RemediationOutcome
  /** One line for the remediation record and the reviewer. Never a credential. */
  detail: string
  /** What the vendor was asked (`DELETE /api/v1/apps/…/users/…`), for the evidence. */
  request: string
  /** Failed outcomes only: the CollectorError code, when there was one. */
  code?: CollectorErrorCode
  retryable?: boolean
}

export interface Remediator {
  readonly source: string
  readonly actions: readonly RemediationAction[]
  /** Never throws for a vendor failure: it answers `failed` with the reason. */
  remediate(target: RemediationTarget, ctx?: RemediationContext): Promise<RemediationResult>
}

/** A failed result from anything thrown while remediating (a CollectorError keeps its code and retryability). */
export function failedRemediation(error: unknown, request: string): RemediationResult {
  if (error instanceof CollectorError) return { outcome: 'failed', detail: error.message, request, code: error.code, retryable: error.retryable }
  return { outcome: 'failed', detail: error instanceof Error ? error.message : String(error), request, retryable: false }
}

/** The `failed` answer for a target a remediator cannot act on (wrong action or a missing id). */
export function unsupportedTarget(source: string, target: RemediationTarget, why: string): RemediationResult {
  return { outcome: 'failed', detail: `${source}: ${target.action}: ${why}`, request: '', code: 'invalid-config', retryable: false }
}

/** Remediators by source; `remediate` dispatches on `target.source`. */
export class RemediatorRegistry {
  private readonly bySource = new Map<string, Remediator>()

  constructor(remediators: Iterable<Remediator> = []) {
    for (const r of remediators) this.register(r)
  }

  register(remediator: Remediator): this {
    if (this.bySource.has(remediator.source)) throw new Error(`remediators: ${remediator.source} is registered twice`)
    this.bySource.set(remediator.source, remediator)
    return this
  }

  get(source: string): Remediator | undefined {
    return this.bySource.get(source)
  }

  sources(): string[] {
    return [...this.bySource.keys()].sort()
  }

  /** Dispatches to the target's source; a source with no remediator (a file import, spend) is a `failed` answer. */
  async remediate(target: RemediationTarget, ctx: RemediationContext = {}): Promise<RemediationResult> {
    const remediator = this.bySource.get(target.source)
    if (!remediator) return unsupportedTarget(target.source, target, 'no remediator for this source (remove it by hand)')
    if (!remediator.actions.includes(target.action)) return unsupportedTarget(target.source, target, `not supported (supported: ${remediator.actions.join(', ')})`)
    return remediator.remediate(target, ctx)
  }
}

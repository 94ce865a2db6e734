import type { SigninRecord } from '../sdk/records.js'
import { OktaRecordError } from './map-directory.js'
import type { OktaLogEvent, OktaLogTarget } from './wire-types.js'

/** Event types that are a person signing in: into an app through Okta, or into Okta itself. */
export const SIGNIN_EVENT_TYPES: ReadonlySet<string> = new Set(['user.authentication.sso', 'user.session.start'])

/**
 * Event types that are use of an app when they name it (an `AppInstance` target, or the OAuth client as the
 * actor): OIDC/OAuth authorisation and token grants by the org or a custom authorization server, and the app
 * sign-on policy evaluated as a person opens the app. See collectors/okta/README.md for the whole list.
 */
export function isAppAccessEvent(eventType: string): boolean {
  return /^app\.oauth2\.(as\.)?(authorize|token\.grant)(\.|$)/.test(eventType) || eventType === 'policy.evaluate_sign_on'
}

/** Assignment changes: `app.user_membership.add|remove|…` and `application.user_membership.add|remove|…`. */
export function isMembershipEvent(eventType: string): boolean {
  return /^(app|application)\.user_membership\./.test(eventType)
}

/** Provisioning to an app (`application.provision.user.push_profile`, `.deactivate`, …): assignment history. */
export function isProvisioningEvent(eventType: string): boolean {
  return /^application\.provision\.user\./.test(eventType)
}

/** The System Log filter for what Sightline keeps, so Okta does not send the rest. */
export const LOG_FILTER = [
  'eventType eq "user.authentication.sso"',
  'eventType eq "user.session.start"',
  'eventType sw "app.user_membership."',
  'eventType sw "application.user_membership."',
  'eventType sw "application.provision.user."',
  'eventType sw "app.oauth2.authorize"',
  'eventType sw "app.oauth2.token.grant"',
  'eventType sw "app.oauth2.as.authorize"',
  'eventType sw "app.oauth2.as.token.grant"',
  'eventType eq "policy.evaluate_sign_on"',
].join(' or ')

export type MembershipChange = 'add' | 'remove'

export interface MembershipEvent {
  eventId: string
  occurredAt: string
  change: MembershipChange
  appId: string | null
  appLabel: string | null
  userId: string
  email: string | null
}

export type MappedLogEvent =
  | { kind: 'signin'; record: SigninRecord }
  | { kind: 'membership'; event: MembershipEvent }
  /** Assignment history that changes nothing Sightline keeps (`…user_membership.update`, provisioning pushes). */
  | { kind: 'history'; eventType: string }
  /** Not access: `reason` says why, keyed by event type for the summary. */
  | { kind: 'skipped'; reason: string }

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new OktaRecordError(field, 'missing')
  return value.trim()
}

function published(value: unknown): string {
  const v = requireText(value, 'published')
  const ms = Date.parse(v)
  if (Number.isNaN(ms)) throw new OktaRecordError('published', `not a timestamp: ${v}`)
  return new Date(ms).toISOString()
}

function targetOfType(event: OktaLogEvent, type: string): OktaLogTarget | null {
  return (event.target ?? []).find((t) => t.type === type) ?? null
}

function emailish(value: string | null | undefined): string | null {
  return value && value.includes('@') ? value : null
}

/** SUCCESS / ALLOW sign in; FAILURE / DENY are refused; CHALLENGE, SKIPPED, UNKNOWN are not a sign-in yet. */
function resultOf(outcome: string | null | undefined): 'success' | 'failure' | null {
  switch ((outcome ?? '').toUpperCase()) {
    case 'SUCCESS':
    case 'ALLOW':
      return 'success'
    case 'FAILURE':
    case 'DENY':
      return 'failure'
    default:
      return null
  }
}

/** The Okta org itself, for `user.session.start` (sign-in to Okta, no app target). */
const OKTA_ITSELF = { sourceAppId: 'okta-org', ref: 'okta', signals: [{ kind: 'sso_app' as const, value: 'Okta' }] }

export function mapOktaLogEvent(event: OktaLogEvent): MappedLogEvent {
  const eventId = requireText(event.uuid, 'uuid')
  const eventType = requireText(event.eventType, 'eventType')
  const occurredAt = published(event.published)
  const access = SIGNIN_EVENT_TYPES.has(eventType) || isAppAccessEvent(eventType)
  if (access) {
    const result = resultOf(event.outcome?.result)
    if (result === null) return { kind: 'skipped', reason: `${eventType} (outcome ${event.outcome?.result ?? 'missing'})` }
    const actor = event.actor
    // OAuth token grants may log the client as the actor and the person as a User target.
    const user = actor?.type === 'User' ? actor : targetOfType(event, 'User')
    if (!user?.id) return { kind: 'skipped', reason: `${eventType} (no user: ${actor?.type ?? 'no actor'})` }
    const client = actor && /^(PublicClientApp|AppInstance)$/.test(actor.type ?? '') ? actor : null
    const appTarget = targetOfType(event, 'AppInstance') ?? (eventType === 'user.session.start' ? null : client)
    const label = appTarget?.displayName ?? appTarget?.alternateId ?? null
    const app = appTarget?.id
      ? { sourceAppId: appTarget.id, ref: appTarget.id, signals: label ? [{ kind: 'sso_app' as const, value: label }] : [] }
      : eventType === 'user.session.start'
        ? OKTA_ITSELF
        : null
    if (!app) return { kind: 'skipped', reason: `${eventType} (no AppInstance target)` }
    return {
      kind: 'signin',
      record: {
        type: 'signin',
        eventId,
        occurredAt,
        userExternalId: user.id,
        email: emailish(user.alternateId),
        app,
        result,
        ip: event.client?.ipAddress ?? null,
        userAgent: event.client?.userAgent?.rawUserAgent ?? null,
        country: event.client?.geographicalContext?.country ?? null,
      },
    }
  }
  if (isMembershipEvent(eventType)) {
    if (resultOf(event.outcome?.result) !== 'success') return { kind: 'skipped', reason: `${eventType} (outcome ${event.outcome?.result ?? 'missing'})` }
    const change: MembershipChange | null = /\.(add|provision)$/.test(eventType) ? 'add' : /\.(remove|deprovision)$/.test(eventType) ? 'remove' : null
    if (change === null) return { kind: 'history', eventType }
    const user = targetOfType(event, 'User')
    const app = targetOfType(event, 'AppInstance')
    if (!user?.id) return { kind: 'skipped', reason: `${eventType} (no User target)` }
    return {
      kind: 'membership',
      event: { eventId, occurredAt, change, appId: app?.id ?? null, appLabel: app?.displayName ?? app?.alternateId ?? null, userId: user.id, email: emailish(user.alternateId) },
    }
  }
  if (isProvisioningEvent(eventType)) return { kind: 'history', eventType }
  return { kind: 'skipped', reason: eventType }
}

/** True for a record shaped like an Okta System Log LogEvent (to suggest `--format okta` for a refused file). */
export function looksLikeOktaLogEvent(record: Record<string, unknown>): boolean {
  return typeof record.eventType === 'string' && ('uuid' in record || 'published' in record)
}

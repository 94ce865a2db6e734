import type { SigninRecord } from '../sdk/records.js'
import { OktaRecordError } from './map-directory.js'
import type { OktaLogEvent, OktaLogTarget } from './wire-types.js'

/** Event types that are a person signing in: into an app through Okta, or into Okta itself. */
export const SIGNIN_EVENT_TYPES: ReadonlySet<string> = new Set(['user.authentication.sso', 'user.session.start'])

/** Assignment changes: `app.user_membership.add|remove|…` and `application.user_membership.add|remove|…`. */
export function isMembershipEvent(eventType: string): boolean {
  return /^(app|application)\.user_membership\./.test(eventType)
}

/** The System Log filter for what Sightline keeps, so Okta does not send the rest. */
export const LOG_FILTER = [
  'eventType eq "user.authentication.sso"',
  'eventType eq "user.session.start"',
  'eventType sw "app.user_membership."',
  'eventType sw "application.user_membership."',
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
  if (SIGNIN_EVENT_TYPES.has(eventType)) {
    const result = resultOf(event.outcome?.result)
    if (result === null) return { kind: 'skipped', reason: `outcome ${event.outcome?.result ?? 'missing'}` }
    const actor = event.actor
    if (!actor || actor.type !== 'User' || !actor.id) return { kind: 'skipped', reason: 'actor is not a user' }
    const appTarget = targetOfType(event, 'AppInstance')
    const label = appTarget?.displayName ?? appTarget?.alternateId ?? null
    const app = appTarget?.id
      ? { sourceAppId: appTarget.id, ref: appTarget.id, signals: label ? [{ kind: 'sso_app' as const, value: label }] : [] }
      : eventType === 'user.session.start'
        ? OKTA_ITSELF
        : null
    if (!app) return { kind: 'skipped', reason: 'no AppInstance target' }
    return {
      kind: 'signin',
      record: {
        type: 'signin',
        eventId,
        occurredAt,
        userExternalId: actor.id,
        email: emailish(actor.alternateId),
        app,
        result,
        ip: event.client?.ipAddress ?? null,
        userAgent: event.client?.userAgent?.rawUserAgent ?? null,
        country: event.client?.geographicalContext?.country ?? null,
      },
    }
  }
  if (isMembershipEvent(eventType)) {
    if (resultOf(event.outcome?.result) !== 'success') return { kind: 'skipped', reason: 'membership change did not succeed' }
    const change: MembershipChange | null = /\.(add|provision)$/.test(eventType) ? 'add' : /\.(remove|deprovision)$/.test(eventType) ? 'remove' : null
    if (change === null) return { kind: 'skipped', reason: `membership event ${eventType}` }
    const user = targetOfType(event, 'User')
    const app = targetOfType(event, 'AppInstance')
    if (!user?.id) return { kind: 'skipped', reason: 'no User target' }
    return {
      kind: 'membership',
      event: { eventId, occurredAt, change, appId: app?.id ?? null, appLabel: app?.displayName ?? app?.alternateId ?? null, userId: user.id, email: emailish(user.alternateId) },
    }
  }
  return { kind: 'skipped', reason: `event type ${eventType}` }
}

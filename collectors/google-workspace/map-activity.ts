import type { admin_reports_v1 } from '@googleapis/admin'
import { classifyScopes } from '../../data/catalog/scope-risk.js'
import type { GrantRecord, SigninRecord } from '../sdk/records.js'
import { googleClientSignals, RecordError } from './map-directory.js'

export type GoogleActivity = admin_reports_v1.Schema$Activity
type ActivityEvent = NonNullable<GoogleActivity['events']>[number]
type Parameter = NonNullable<ActivityEvent['parameters']>[number]

/** The Reports applications this collector reads. */
export type ReportsApplication = 'login' | 'saml' | 'token'

const WORKSPACE_APP = { ref: 'Google Workspace', signals: [{ kind: 'sso_app' as const, value: 'Google Workspace' }] }

function param(event: ActivityEvent, name: string): Parameter | undefined {
  return event.parameters?.find((p) => p?.name === name)
}

function paramText(event: ActivityEvent, name: string): string | null {
  const v = param(event, name)?.value as unknown
  if (typeof v === 'number') return String(v)
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
}

function paramList(event: ActivityEvent, name: string): string[] {
  const p = param(event, name)
  if (!p) return []
  if (Array.isArray(p.multiValue)) return p.multiValue.filter((s): s is string => typeof s === 'string' && s !== '')
  return typeof p.value === 'string' && p.value !== '' ? p.value.split(/\s+/) : []
}

interface ActivityHeader {
  application: string
  time: string
  qualifier: string
  profileId: string | null
  email: string | null
}

/** A time given as a number (or digits): seconds, milliseconds or — as Reports `intValue` timestamps are — microseconds. */
function timeFromNumber(value: number): string | null {
  if (!Number.isFinite(value) || value <= 0) return null
  const ms = value >= 1e14 ? value / 1000 : value >= 1e11 ? value : value * 1000
  const date = new Date(Math.floor(ms))
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/**
 * The API's activity shape from what SIEM pipelines re-emit: one activity per event with `events` a single
 * object, numbers where the API has strings (profileId, uniqueQualifier) and the reverse, and `id.time` as an
 * epoch number (microseconds, like `intValue` timestamps). An activity already in the API's shape is returned as is.
 */
export function normalizeActivity(activity: GoogleActivity): GoogleActivity {
  if (!activity || typeof activity !== 'object') return activity
  const raw = activity as Record<string, unknown>
  const id = raw.id as Record<string, unknown> | undefined
  const actor = raw.actor as Record<string, unknown> | undefined
  const eventsIsObject = raw.events !== null && typeof raw.events === 'object' && !Array.isArray(raw.events)
  const time = id?.time
  const numericTime = typeof time === 'number' || (typeof time === 'string' && /^\d{9,}$/.test(time))
  const numericIds = typeof actor?.profileId === 'number' || typeof id?.uniqueQualifier === 'number'
  if (!eventsIsObject && !numericTime && !numericIds) return activity
  return {
    ...activity,
    events: eventsIsObject ? [raw.events as NonNullable<GoogleActivity['events']>[number]] : activity.events,
    id: id ? { ...id, time: numericTime ? (timeFromNumber(Number(time)) ?? String(time)) : (time as string | undefined), uniqueQualifier: id.uniqueQualifier === undefined ? undefined : String(id.uniqueQualifier) } : activity.id,
    actor: actor ? { ...actor, profileId: actor.profileId === undefined || actor.profileId === null ? undefined : String(actor.profileId) } : activity.actor,
  } as GoogleActivity
}

function header(activity: GoogleActivity): ActivityHeader {
  if (!activity || typeof activity !== 'object') throw new RecordError('activity', 'not an object')
  const time = activity.id?.time
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) throw new RecordError('id.time', `not a timestamp: ${JSON.stringify(time ?? null)}`)
  const application = activity.id?.applicationName
  if (typeof application !== 'string' || application === '') throw new RecordError('id.applicationName', 'missing')
  if (!Array.isArray(activity.events)) throw new RecordError('events', 'missing')
  const email = typeof activity.actor?.email === 'string' && activity.actor.email !== '' ? activity.actor.email.toLowerCase() : null
  const profileId = typeof activity.actor?.profileId === 'string' && activity.actor.profileId !== '' ? activity.actor.profileId : null
  return { application, time: new Date(time).toISOString(), qualifier: String(activity.id?.uniqueQualifier ?? ''), profileId, email }
}

/** Stable across live and file mode: Google identifies an activity by time + uniqueQualifier within an application. */
function eventId(h: ActivityHeader, index: number): string {
  return `${h.application}:${h.time}:${h.qualifier}:${index}`
}

/** login and saml activities → sign-ins (login_success / login_failure; challenges and logouts are not sign-ins). */
export function mapSigninActivity(given: GoogleActivity): SigninRecord[] {
  const activity = normalizeActivity(given)
  const h = header(activity)
  if (h.application !== 'login' && h.application !== 'saml') throw new RecordError('id.applicationName', `expected login or saml, got ${h.application}`)
  if (!h.profileId && !h.email) throw new RecordError('actor', 'neither profileId nor email')
  const out: SigninRecord[] = []
  ;(activity.events ?? []).forEach((event, index) => {
    const name = event?.name
    if (name !== 'login_success' && name !== 'login_failure') return
    let app = WORKSPACE_APP
    if (h.application === 'saml') {
      const label = paramText(event, 'application_name')
      if (!label) throw new RecordError(`events[${index}].parameters.application_name`, 'missing')
      app = { ref: label, signals: [{ kind: 'sso_app', value: label }] }
    }
    out.push({
      type: 'signin',
      eventId: eventId(h, index),
      occurredAt: h.time,
      userExternalId: h.profileId,
      email: h.email,
      app,
      result: name === 'login_success' ? 'success' : 'failure',
      ip: activity.ipAddress ?? null,
      country: activity.networkInfo?.regionCode ?? null,
    })
  })
  return out
}

/** One authorize or revoke event of one user for one OAuth client. */
export interface TokenEvent {
  action: 'authorize' | 'revoke'
  at: string
  userExternalId: string
  email: string | null
  clientId: string
  clientName: string | null
  scopes: string[]
  nativeApp: boolean
}

/** token activities → authorize/revoke events (the high-volume `activity` API-call events are skipped). */
export function mapTokenActivity(given: GoogleActivity): TokenEvent[] {
  const activity = normalizeActivity(given)
  const h = header(activity)
  if (h.application !== 'token') throw new RecordError('id.applicationName', `expected token, got ${h.application}`)
  const out: TokenEvent[] = []
  ;(activity.events ?? []).forEach((event, index) => {
    const name = event?.name
    if (name !== 'authorize' && name !== 'revoke') return
    if (!h.profileId) throw new RecordError('actor.profileId', 'missing (grants are keyed by the Google user id)')
    const clientId = paramText(event, 'client_id')
    if (!clientId) throw new RecordError(`events[${index}].parameters.client_id`, 'missing')
    const clientType = paramText(event, 'client_type')
    out.push({
      action: name,
      at: h.time,
      userExternalId: h.profileId,
      email: h.email,
      clientId,
      clientName: paramText(event, 'app_name'),
      scopes: paramList(event, 'scope'),
      nativeApp: clientType !== null && clientType.startsWith('NATIVE_'),
    })
  })
  return out
}

interface PairState {
  authorizedAt: string | null
  revokedAt: string | null
  scopes: string[]
  /** The record last emitted for the pair: its newest known state. */
  last: GrantRecord | null
}

/**
 * Folds authorize/revoke events into grant history whatever order they arrive in (the API pages newest first,
 * exports are often oldest first): a record is emitted only when an event is newer than everything seen for
 * its user × client, so the last record written is always the newest state.
 */
export class TokenHistory {
  private readonly pairs = new Map<string, PairState>()

  /** The grant records to write for these events, in order. */
  fold(events: readonly TokenEvent[]): GrantRecord[] {
    const out: GrantRecord[] = []
    for (const e of events) {
      const key = `${e.userExternalId}\u0000${e.clientId}`
      const state: PairState = this.pairs.get(key) ?? { authorizedAt: null, revokedAt: null, scopes: [], last: null }
      this.pairs.set(key, state)
      const newest = [state.authorizedAt, state.revokedAt].every((t) => t === null || t < e.at)
      if (e.action === 'authorize') {
        if (state.authorizedAt === null || state.authorizedAt < e.at) {
          state.authorizedAt = e.at
          if (e.scopes.length > 0) state.scopes = e.scopes
        }
      } else if (state.revokedAt === null || state.revokedAt < e.at) {
        state.revokedAt = e.at
      }
      if (!newest) continue
      const scopes = e.scopes.length > 0 ? e.scopes : state.scopes
      state.last = {
        type: 'grant',
        userExternalId: e.userExternalId,
        email: e.email,
        clientId: e.clientId,
        clientName: e.clientName,
        scopes,
        nativeApp: e.nativeApp,
        risk: classifyScopes(scopes).level,
        grantedAt: e.action === 'authorize' ? e.at : state.authorizedAt,
        revokedAt: e.action === 'revoke' ? e.at : null,
        signals: googleClientSignals(e.clientName, e.clientId),
      }
      out.push(state.last)
    }
    return out
  }

  /** The grants whose newest event is an authorize (they should hold a token now), as last emitted. */
  authorized(): GrantRecord[] {
    const out: GrantRecord[] = []
    for (const s of this.pairs.values()) if (s.last && s.last.revokedAt == null) out.push(s.last)
    return out
  }
}

/** True for a record shaped like a Reports API activity (to suggest `--format google` for a refused file). */
export function looksLikeGoogleActivity(record: Record<string, unknown>): boolean {
  const id = record.id as Record<string, unknown> | undefined
  return record.kind === 'admin#reports#activity' || (!!id && typeof id === 'object' && 'applicationName' in id)
}

/** True for a Directory API tokens.list item. */
export function looksLikeGoogleToken(record: Record<string, unknown>): boolean {
  return record.kind === 'admin#directory#token' || (typeof record.clientId === 'string' && Array.isArray(record.scopes) && 'userKey' in record)
}

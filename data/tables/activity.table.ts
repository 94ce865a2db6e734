import type { Generated, Selectable } from 'kysely'

/** A raw SSO / login event, kept for the retention period. */
export interface SigninEventsTable {
  id: Generated<number>
  source: string
  event_id: string
  occurred_at: string
  person_id: number | null
  user_external_id: string | null
  user_email: string | null
  app_id: number | null
  app_ref: string | null
  result: 'success' | 'failure'
  ip: string | null
  user_agent: string | null
  country: string | null
  scan_run_id: number | null
}

/** Sign-ins per day × source × user × app; survives the expiry of raw events. */
export interface SigninDailyTable {
  day: string
  source: string
  user_key: string
  app_key: string
  person_id: number | null
  app_id: number | null
  successes: Generated<number>
  failures: Generated<number>
  first_at: string
  last_at: string
}

export type TelemetryKind = 'visit' | 'login' | 'signup' | 'oauth_consent'

export interface TelemetryEventsTable {
  id: Generated<number>
  device_id: string
  event_id: string
  person_id: number | null
  user_email: string | null
  domain: string
  kind: TelemetryKind
  occurred_at: string
  received_at: string
  app_id: number | null
  scan_run_id: number | null
}

export type SigninEvent = Selectable<SigninEventsTable>
export type TelemetryEvent = Selectable<TelemetryEventsTable>

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
  /** OAuth consent events: the client id and the space-separated scopes read from the consent URL. */
  client_id: string | null
  scopes: string | null
}

/**
 * A batch of telemetry as a device posted it, accepted once per device × batch id (a replay is ignored). The
 * events (validated JSON) wait here until the telemetry drain writes them through the inventory writer.
 */
export interface TelemetryBatchesTable {
  id: Generated<number>
  device_id: string
  batch_id: string
  token_id: number | null
  received_at: string
  event_count: number
  events: string
  processed_at: string | null
  processed_run_id: number | null
}

export type SoftwareKind = 'chrome_extension' | 'firefox_addon' | 'ie_extension' | 'program' | 'app'

/** Software seen on a device (per user profile for browser extensions), with the permissions it holds. */
export interface DeviceSoftwareTable {
  id: Generated<number>
  source: string
  device_id: string
  /** The profile's email, or '' when the source does not say whose it is (a unique key cannot hold null). */
  user_key: string
  kind: SoftwareKind
  /** Extension id, bundle id, or the program's name where the platform has no id. */
  item_id: string
  name: string | null
  version: string | null
  publisher: string | null
  /** JSON array of API and host permissions. */
  permissions: Generated<string>
  install_type: string | null
  enabled: number | null
  person_id: number | null
  user_email: string | null
  app_id: number | null
  first_seen_at: string
  last_seen_at: string
  last_scan_run_id: number | null
  gone_at: string | null
}

export type SigninEvent = Selectable<SigninEventsTable>
export type TelemetryEvent = Selectable<TelemetryEventsTable>

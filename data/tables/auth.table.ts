import type { Generated, Selectable } from 'kysely'

export type Role = 'admin' | 'it' | 'finance' | 'reviewer' | 'auditor'

export interface UiUsersTable {
  id: Generated<number>
  email: string
  name: string | null
  role: Role
  /** `scrypt$…` (see data/ui-users.ts); null for a user who signs in only with single sign-on. */
  password_hash: string | null
  disabled: Generated<number>
  created_at: string
  last_login_at: string | null
  oidc_issuer: string | null
  oidc_subject: string | null
  updated_at: string | null
  password_changed_at: string | null
}

/** id is the SHA-256 of the session token; the token itself is never stored. */
export interface UiSessionsTable {
  id: string
  user_id: number
  created_at: string
  /** Slides forward with use (idle timeout), never past absolute_expires_at. */
  expires_at: string
  csrf_token_hash: string
  absolute_expires_at: string | null
  last_seen_at: string | null
  auth_method: 'password' | 'oidc' | null
}

/** One sign-in attempt, keyed `account:<email>` or `address:<ip>` (rate limiting). */
export interface UiLoginAttemptsTable {
  id: Generated<number>
  key: string
  attempted_at: string
  succeeded: Generated<number>
}

export type UiJobStatus = 'queued' | 'running' | 'completed' | 'failed'

/** Work the web app started off the request path (statement uploads); the import itself is a scan run. */
export interface UiJobsTable {
  id: Generated<number>
  kind: string
  status: UiJobStatus
  requested_by: string
  file_name: string | null
  scan_run_id: number | null
  detail: Generated<string>
  rejects_csv: string | null
  error: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

/** Device / API tokens (e.g. browser extension), stored only as SHA-256 hashes. */
export interface ApiTokensTable {
  id: Generated<number>
  name: string
  kind: 'device' | 'api'
  token_hash: string
  device_id: string | null
  person_email: string | null
  created_by: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: string
}

export type UiUser = Selectable<UiUsersTable>
export type UiSession = Selectable<UiSessionsTable>
export type UiJob = Selectable<UiJobsTable>

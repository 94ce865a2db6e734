import type { Generated, Selectable } from 'kysely'

export type Role = 'admin' | 'it' | 'finance' | 'reviewer' | 'auditor'

export interface UiUsersTable {
  id: Generated<number>
  email: string
  name: string | null
  role: Role
  password_hash: string | null
  disabled: Generated<number>
  created_at: string
  last_login_at: string | null
}

/** id is the SHA-256 of the session token; the token itself is never stored. */
export interface UiSessionsTable {
  id: string
  user_id: number
  created_at: string
  expires_at: string
  csrf_token_hash: string
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

import type { Generated, Selectable } from 'kysely'

/** A person's (or an unmatched external identity's) presence in an app. */
export interface AccountsTable {
  id: Generated<number>
  app_id: number
  person_id: number | null
  source: string
  external_id: string
  email: string | null
  username: string | null
  status: string | null
  /** 1 when the account holds a paid seat or license as far as the source tells. */
  licensed: Generated<number>
  first_seen_at: string
  last_seen_at: string
  last_activity_at: string | null
  last_scan_run_id: number | null
  gone_at: string | null
}

export interface EntitlementsTable {
  id: Generated<number>
  account_id: number
  kind: string
  name: string
  first_seen_at: string
  last_seen_at: string
  last_scan_run_id: number | null
  gone_at: string | null
}

/** An OAuth authorisation a person gave a client, as the identity provider reports it. */
export interface GrantsTable {
  id: Generated<number>
  source: string
  identity_external_id: string
  person_id: number | null
  user_email: string | null
  app_id: number | null
  client_id: string
  client_name: string | null
  /** JSON array of scope strings. */
  scopes: Generated<string>
  risk: string | null
  native_app: Generated<number>
  consent_type: string | null
  first_seen_at: string
  last_seen_at: string
  revoked_at: string | null
  last_scan_run_id: number | null
}

export type Account = Selectable<AccountsTable>
export type Grant = Selectable<GrantsTable>

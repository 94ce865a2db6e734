import type { Generated, Insertable, Selectable } from 'kysely'

export type AppStatus = 'sanctioned' | 'unsanctioned' | 'unknown' | 'blocked'
/** `extension` values are `<browser>:<id>`, e.g. `chrome:aapbdbdomjkkjkaonfhkkikfgjllcleb`. */
export type IdentifierKind = 'merchant' | 'domain' | 'oauth_client' | 'sso_app' | 'name' | 'extension'

/** A SaaS application: a catalog entry (catalog_key) or a discovered unknown (candidate_key). */
export interface AppsTable {
  id: Generated<number>
  catalog_key: string | null
  candidate_key: string | null
  name: string
  vendor: string | null
  category: string | null
  status: AppStatus
  owner_email: string | null
  notes: string | null
  first_seen_at: string
  updated_at: string
}

/** A raw thing seen in a source that resolves (or not) to an app, with the rule and confidence of the match. */
export interface IdentifiersTable {
  id: Generated<number>
  kind: IdentifierKind
  value: string
  example_raw: string
  app_id: number | null
  /** The normalised unknown-vendor key when no catalog app matched, so many signals group into one candidate. */
  candidate_key: string | null
  rule: string
  confidence: number
  /** 1 when an admin confirmed or overrode the mapping; admin mappings always win. */
  confirmed: Generated<number>
  confirmed_by: string | null
  confirmed_at: string | null
  first_seen_at: string
  last_seen_at: string
  seen_count: Generated<number>
}

/** A company's own catalog entry (same schema as the shipped catalog), stored as JSON. */
export interface CatalogCustomEntriesTable {
  key: string
  entry: string
  created_by: string | null
  created_at: string
  updated_at: string
}

export type App = Selectable<AppsTable>
export type NewApp = Insertable<AppsTable>
export type Identifier = Selectable<IdentifiersTable>

/** An application object as an identity provider or directory holds it (an Okta app, an Entra service principal). */
export interface SourceAppsTable {
  id: Generated<number>
  source: string
  external_id: string
  app_id: number | null
  label: string
  status: string | null
  sign_on_mode: string | null
  attributes: Generated<string>
  first_seen_at: string
  last_seen_at: string
  last_scan_run_id: number | null
  gone_at: string | null
}

export type SourceApp = Selectable<SourceAppsTable>

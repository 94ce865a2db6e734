import type { EmploymentType, PersonStatus } from '../../data/tables/people.table.js'
import type { IdentifierKind } from '../../data/tables/apps.table.js'
import type { SoftwareKind, TelemetryKind } from '../../data/tables/activity.table.js'

/** A raw value that may name an app: a domain, an OAuth client, an SSO label, a merchant descriptor. */
export interface AppSignal {
  kind: IdentifierKind
  value: string
}

/** A person as a source reports them. `authoritative` sources (the HR roster) overwrite; directories only fill gaps. */
export interface PersonRecord {
  type: 'person'
  externalId: string
  email: string | null
  name?: string | null
  givenName?: string | null
  familyName?: string | null
  employeeNumber?: string | null
  department?: string | null
  title?: string | null
  managerEmail?: string | null
  location?: string | null
  employmentType?: EmploymentType | null
  status: PersonStatus
  startDate?: string | null
  endDate?: string | null
  /** The source's own status word (DEPROVISIONED, accountEnabled=false …), kept in the identity's attributes. */
  sourceStatus?: string | null
  attributes?: Record<string, unknown>
  authoritative?: boolean
}

/** An application object in an identity provider (Okta app, Entra service principal / enterprise app). */
export interface SourceAppRecord {
  type: 'source-app'
  externalId: string
  label: string
  status: 'active' | 'inactive'
  signOnMode?: string | null
  /** Integrated with the IdP for sign-in or provisioning: makes the app sanctioned unless an admin said otherwise. */
  integrated: boolean
  signals: readonly AppSignal[]
  attributes?: Record<string, unknown>
}

export interface AccountRecord {
  type: 'account'
  /** The app as the source knows it: its source-app id, or signals to resolve. */
  app: { sourceAppId: string } | { signals: readonly AppSignal[] }
  externalId: string
  userExternalId?: string | null
  email?: string | null
  username?: string | null
  status?: string | null
  licensed?: boolean
  createdAt?: string | null
  lastActivityAt?: string | null
  entitlements?: readonly { kind: string; name: string }[]
}

export interface GrantRecord {
  type: 'grant'
  userExternalId: string
  email?: string | null
  clientId: string
  clientName?: string | null
  scopes: readonly string[]
  nativeApp?: boolean
  consentType?: string | null
  risk?: string | null
  /** When the source says the grant was made / revoked (audit events); listings leave these empty. */
  grantedAt?: string | null
  revokedAt?: string | null
  signals: readonly AppSignal[]
}

export interface SigninRecord {
  type: 'signin'
  eventId: string
  occurredAt: string
  userExternalId?: string | null
  email?: string | null
  app: { sourceAppId?: string | null; ref: string; signals: readonly AppSignal[] }
  result: 'success' | 'failure'
  ip?: string | null
  userAgent?: string | null
  country?: string | null
}

export interface TelemetryRecord {
  type: 'telemetry'
  deviceId: string
  eventId: string
  email?: string | null
  domain: string
  kind: TelemetryKind
  occurredAt: string
  /** OAuth consent screens: the client id and scopes read from the consent URL (the client id resolves first). */
  clientId?: string | null
  scopes?: readonly string[] | null
}

/** Software on a device: a browser extension with its permissions, or a desktop program. */
export interface SoftwareRecord {
  type: 'software'
  deviceId: string
  kind: SoftwareKind
  /** Extension id, bundle id, or the program's name where the platform has none. */
  itemId: string
  name?: string | null
  version?: string | null
  publisher?: string | null
  permissions?: readonly string[]
  installType?: string | null
  enabled?: boolean | null
  email?: string | null
  /** When the source saw it (defaults to the run's time). */
  seenAt?: string | null
  signals: readonly AppSignal[]
}

export type ObservedRecord = PersonRecord | SourceAppRecord | AccountRecord | GrantRecord | SigninRecord | TelemetryRecord | SoftwareRecord

// The JSON shapes of the Okta Management API (v1) that Sightline reads; only the fields we use.

export interface OktaErrorBody {
  errorCode?: string
  errorSummary?: string
  errorLink?: string
  errorId?: string
  errorCauses?: { errorSummary?: string }[]
}

export type OktaUserStatus =
  | 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED' | 'STAGED' | 'PROVISIONED' | 'LOCKED_OUT' | 'PASSWORD_EXPIRED' | 'RECOVERY'

export interface OktaUser {
  id: string
  status: OktaUserStatus | string
  created?: string | null
  activated?: string | null
  statusChanged?: string | null
  lastLogin?: string | null
  lastUpdated?: string | null
  profile?: {
    login?: string | null
    email?: string | null
    firstName?: string | null
    lastName?: string | null
    displayName?: string | null
    department?: string | null
    title?: string | null
    manager?: string | null
    managerId?: string | null
    employeeNumber?: string | null
    userType?: string | null
    city?: string | null
    countryCode?: string | null
    [key: string]: unknown
  }
}

export interface OktaApp {
  id: string
  name?: string | null
  label: string
  status: 'ACTIVE' | 'INACTIVE' | string
  signOnMode?: string | null
  created?: string | null
  lastUpdated?: string | null
  settings?: { app?: Record<string, unknown> | null; signOn?: Record<string, unknown> | null } | null
}

export interface OktaAppUser {
  id: string
  externalId?: string | null
  created?: string | null
  lastUpdated?: string | null
  scope?: 'USER' | 'GROUP' | string | null
  status?: string | null
  statusChanged?: string | null
  syncState?: string | null
  credentials?: { userName?: string | null } | null
  profile?: Record<string, unknown> | null
}

export interface OktaLogTarget {
  id?: string | null
  type?: string | null
  alternateId?: string | null
  displayName?: string | null
}

export interface OktaLogEvent {
  uuid: string
  published: string
  eventType: string
  displayMessage?: string | null
  severity?: string | null
  actor?: { id?: string | null; type?: string | null; alternateId?: string | null; displayName?: string | null } | null
  client?: {
    ipAddress?: string | null
    userAgent?: { rawUserAgent?: string | null } | null
    geographicalContext?: { country?: string | null } | null
  } | null
  outcome?: { result?: string | null; reason?: string | null } | null
  target?: OktaLogTarget[] | null
}

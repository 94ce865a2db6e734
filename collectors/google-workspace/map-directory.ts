import type { admin_directory_v1 } from '@googleapis/admin'
import { classifyScopes } from '../../data/catalog/scope-risk.js'
import type { GrantRecord, PersonRecord } from '../sdk/records.js'

export type GoogleUser = admin_directory_v1.Schema$User
export type GoogleToken = admin_directory_v1.Schema$Token

/** A record the source sent that cannot become an inventory record; names the offending field. */
export class RecordError extends Error {
  override readonly name = 'RecordError'
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`field ${field}: ${reason}`)
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

function primaryOf<T extends { primary?: boolean | null }>(list: unknown): T | undefined {
  if (!Array.isArray(list)) return undefined
  const items = list as T[]
  return items.find((x) => x?.primary === true) ?? items[0]
}

/** Google's three account states; archived users keep their data but have left (an "Archived User" licence). */
export function googleUserStatus(user: GoogleUser): 'active' | 'suspended' | 'archived' {
  if (user.archived === true) return 'archived'
  if (user.suspended === true) return 'suspended'
  return 'active'
}

function employmentType(description: string | null): 'employee' | 'contractor' | null {
  if (!description) return null
  if (/contract|freelance|consult|vendor|temp/i.test(description)) return 'contractor'
  if (/employee|full[- ]?time|part[- ]?time|permanent|intern/i.test(description)) return 'employee'
  return null
}

/** users.list item → person, keyed by the immutable Google user id; the directory is not authoritative for HR fields. */
export function mapGoogleUser(user: GoogleUser): PersonRecord {
  const id = text(user.id)
  if (!id) throw new RecordError('id', 'missing')
  const email = text(user.primaryEmail)
  if (!email) throw new RecordError('primaryEmail', 'missing')
  const status = googleUserStatus(user)
  const org = primaryOf<admin_directory_v1.Schema$UserOrganization>(user.organizations)
  const relations = Array.isArray(user.relations) ? (user.relations as admin_directory_v1.Schema$UserRelation[]) : []
  const manager = relations.find((r) => r?.type === 'manager')
  const externalIds = Array.isArray(user.externalIds) ? (user.externalIds as admin_directory_v1.Schema$UserExternalId[]) : []
  const employeeId = externalIds.find((x) => x?.type === 'organization')
  const location = Array.isArray(user.locations) ? (user.locations as admin_directory_v1.Schema$UserLocation[])[0] : undefined
  const name = user.name ?? {}
  const fullName = text(name.fullName) ?? ([text(name.givenName), text(name.familyName)].filter(Boolean).join(' ') || null)
  return {
    type: 'person',
    externalId: id,
    email: email.toLowerCase(),
    name: fullName,
    givenName: text(name.givenName),
    familyName: text(name.familyName),
    employeeNumber: text(employeeId?.value),
    department: text(org?.department),
    title: text(org?.title),
    managerEmail: text(manager?.value)?.toLowerCase() ?? null,
    location: text(org?.location) ?? text(location?.buildingId) ?? null,
    employmentType: employmentType(text(org?.description)),
    status: status === 'active' ? 'active' : status === 'suspended' ? 'suspended' : 'terminated',
    sourceStatus: status,
    attributes: {
      orgUnitPath: text(user.orgUnitPath),
      isAdmin: user.isAdmin === true,
      isDelegatedAdmin: user.isDelegatedAdmin === true,
      suspensionReason: text(user.suspensionReason),
      creationTime: text(user.creationTime),
      lastLoginTime: text(user.lastLoginTime),
      isEnrolledIn2Sv: user.isEnrolledIn2Sv === true,
    },
  }
}

/** tokens.list item → grant of the user the token belongs to, with the risk of its scopes. */
export function mapGoogleToken(token: GoogleToken, user: { id: string; email: string | null }): GrantRecord {
  const clientId = text(token.clientId)
  if (!clientId) throw new RecordError('clientId', 'missing')
  if (token.scopes != null && !Array.isArray(token.scopes)) throw new RecordError('scopes', 'must be a list of scope strings')
  const scopes = (token.scopes ?? []).filter((s): s is string => typeof s === 'string' && s !== '')
  const displayText = text(token.displayText)
  return {
    type: 'grant',
    userExternalId: text(token.userKey) ?? user.id,
    email: user.email?.toLowerCase() ?? null,
    clientId,
    clientName: displayText,
    scopes,
    nativeApp: token.nativeApp === true,
    risk: classifyScopes(scopes).level,
    signals: googleClientSignals(displayText, clientId),
  }
}

/** The app name first: an unknown app becomes a candidate named like its consent screen, not like its client id. */
export function googleClientSignals(displayText: string | null, clientId: string): GrantRecord['signals'] {
  return displayText ? [{ kind: 'oauth_client', value: displayText }, { kind: 'oauth_client', value: clientId }] : [{ kind: 'oauth_client', value: clientId }]
}

import { normalizeEmail, toIsoUtc } from '../../data/normalize.js'
import type { AccountRecord, AppSignal, GrantRecord, PersonRecord, SigninRecord, SourceAppRecord } from '../sdk/records.js'
import type { GraphAppRoleAssignment, GraphOAuth2PermissionGrant, GraphServicePrincipal, GraphSignIn, GraphUser } from './graph-types.js'
import { classifyScopes } from '../../data/catalog/scope-risk.js'

// Graph → Sightline records, shared by live scans and file imports so both write the same rows.

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'
/** The tag the Entra admin center uses to list a service principal under "Enterprise applications". */
export const INTEGRATED_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp'
/** appRoleId of an assignment that grants no specific role ("Default Access"). */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000'

/** The identity a tenant-wide (AllPrincipals) consent is recorded against. */
export function tenantIdentity(tenantId: string | null | undefined): string {
  return `tenant:${tenantId && tenantId.trim() !== '' ? tenantId.trim().toLowerCase() : 'unknown'}`
}

function employmentTypeOf(employeeType: string | null | undefined): PersonRecord['employmentType'] {
  const t = employeeType?.trim().toLowerCase()
  if (!t) return null
  if (t === 'employee' || t === 'member' || t === 'full-time' || t === 'part-time') return 'employee'
  if (['contractor', 'consultant', 'vendor', 'contingent', 'temp', 'intern'].includes(t)) return 'contractor'
  return null
}

/** A guest's UPN (`alice_contoso.com#EXT#@…`) is not an address; their `mail` is. */
function userEmail(u: { mail?: string | null; userPrincipalName?: string | null }): string | null {
  const upn = u.userPrincipalName && !u.userPrincipalName.includes('#EXT#') ? u.userPrincipalName : null
  return normalizeEmail(u.mail) ?? normalizeEmail(upn)
}

export function toPersonRecord(u: GraphUser): PersonRecord {
  const enabled = u.accountEnabled !== false
  return {
    type: 'person',
    externalId: u.id,
    email: userEmail(u),
    name: u.displayName ?? null,
    givenName: u.givenName ?? null,
    familyName: u.surname ?? null,
    employeeNumber: u.employeeId ?? null,
    department: u.department ?? null,
    title: u.jobTitle ?? null,
    managerEmail: u.manager ? userEmail(u.manager) : null,
    location: u.officeLocation ?? null,
    employmentType: employmentTypeOf(u.employeeType),
    status: enabled ? 'active' : 'suspended',
    startDate: u.employeeHireDate ? toIsoUtc(u.employeeHireDate).slice(0, 10) : null,
    sourceStatus: `accountEnabled=${enabled}`,
    attributes: {
      userPrincipalName: u.userPrincipalName ?? null,
      userType: u.userType ?? null,
      employeeType: u.employeeType ?? null,
      managerId: u.manager?.id ?? null,
    },
  }
}

export function spSignals(sp: Pick<GraphServicePrincipal, 'appId' | 'displayName'>, nameKind: AppSignal['kind']): AppSignal[] {
  // The name goes first: an unknown app is then grouped under its name, not under an opaque GUID.
  const signals: AppSignal[] = []
  if (sp.displayName) signals.push({ kind: nameKind, value: sp.displayName })
  if (sp.appId) signals.push({ kind: 'oauth_client', value: sp.appId })
  return signals
}

const userOrGroup = (a: GraphAppRoleAssignment) => a.principalType === 'User' || a.principalType === 'Group'

/**
 * An enterprise app worth listing: an application (not a managed identity) that people are assigned to or
 * that the admin center lists as an enterprise app. Integrated (sanctioned) = it has user or group assignments.
 */
export function toSourceAppRecord(sp: GraphServicePrincipal, assignments: readonly GraphAppRoleAssignment[]): SourceAppRecord | null {
  const type = sp.servicePrincipalType ?? 'Application'
  const assigned = assignments.filter(userOrGroup)
  const tagged = (sp.tags ?? []).includes(INTEGRATED_APP_TAG)
  if (type !== 'Application' || (assigned.length === 0 && !tagged)) return null
  return {
    type: 'source-app',
    externalId: sp.appId,
    label: sp.displayName ?? sp.appId,
    status: sp.accountEnabled === false ? 'inactive' : 'active',
    signOnMode: sp.preferredSingleSignOnMode ?? null,
    integrated: assigned.length > 0,
    signals: spSignals(sp, 'sso_app'),
    attributes: {
      servicePrincipalId: sp.id,
      appOwnerOrganizationId: sp.appOwnerOrganizationId ?? null,
      appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? null,
      assignedUsers: assigned.filter((a) => a.principalType === 'User').length,
      assignedGroups: assigned.filter((a) => a.principalType === 'Group').length,
    },
  }
}

function roleName(sp: GraphServicePrincipal, appRoleId: string): string {
  if (appRoleId === DEFAULT_ACCESS_ROLE_ID) return 'Default Access'
  const role = (sp.appRoles ?? []).find((r) => r.id === appRoleId)
  return role?.displayName ?? role?.value ?? appRoleId
}

/** One account per user assigned to the app (a user with two roles is one account with two entitlements). */
export function toAccountRecords(sp: GraphServicePrincipal, assignments: readonly GraphAppRoleAssignment[]): AccountRecord[] {
  const byUser = new Map<string, GraphAppRoleAssignment[]>()
  for (const a of assignments) {
    if (a.principalType !== 'User') continue
    const list = byUser.get(a.principalId) ?? []
    list.push(a)
    byUser.set(a.principalId, list)
  }
  const accounts: AccountRecord[] = []
  for (const [principalId, list] of byUser) {
    const created = list.map((a) => a.createdDateTime).filter((d): d is string => !!d).map((d) => toIsoUtc(d)).sort()
    const roles = [...new Set(list.map((a) => roleName(sp, a.appRoleId)))].sort()
    accounts.push({
      type: 'account',
      app: { sourceAppId: sp.appId },
      externalId: principalId,
      userExternalId: principalId,
      username: list[0]?.principalDisplayName ?? null,
      status: 'assigned',
      createdAt: created[0] ?? null,
      entitlements: roles.map((name) => ({ kind: 'app-role', name })),
    })
  }
  return accounts
}

/**
 * Microsoft Graph's scopes keep their bare names; another API's are prefixed with its identifier URI. A scope
 * whose API is unknown (no service principals to say, or one deleted since the consent) keeps its bare name too:
 * nearly every delegated grant is for Microsoft Graph, so `Mail.ReadWrite` is judged by the Graph risk table
 * rather than waved through as an unknown scope, and the name is relabelled once the API is known.
 */
export function labelScopes(resource: GraphServicePrincipal | undefined, scope: string | null | undefined): string[] {
  const names = (scope ?? '').split(/\s+/).filter((s) => s !== '')
  if (!resource || resource.appId === MICROSOFT_GRAPH_APP_ID) return names
  const uri = resource.servicePrincipalNames?.find((n) => /^(https|api):\/\//i.test(n))
  const prefix = (uri ?? resource.appId).replace(/\/+$/, '')
  return names.map((n) => `${prefix}/${n}`)
}

export type ServicePrincipalLookup = (objectId: string) => GraphServicePrincipal | undefined

/**
 * The client id a grant is kept under while its client's service principal is unknown: the object id Graph gives
 * (`clientId` of an oauth2PermissionGrant), marked so it is never mistaken for an application id.
 */
export const UNRESOLVED_CLIENT_PREFIX = 'sp:'

export function unresolvedClientId(servicePrincipalObjectId: string): string {
  return `${UNRESOLVED_CLIENT_PREFIX}${servicePrincipalObjectId.toLowerCase()}`
}

/**
 * Delegated grants as Sightline grants: one per (user or tenant, client app), the scopes of every API the
 * client holds merged, since the inventory keys grants by identity × client. A client whose service principal
 * is unknown is kept under unresolvedClientId, with no app: its object id names no app and would only make a
 * nameless candidate; resolveEntraGrantClients re-keys it once the service principals are read.
 */
export function toGrantRecords(grants: readonly GraphOAuth2PermissionGrant[], lookup: ServicePrincipalLookup, tenantId: string | null | undefined): GrantRecord[] {
  const merged = new Map<string, { identity: string; consentType: string; client: GraphServicePrincipal | undefined; clientObjectId: string; scopes: Set<string> }>()
  for (const g of grants) {
    const allPrincipals = g.consentType === 'AllPrincipals'
    const identity = allPrincipals ? tenantIdentity(tenantId) : g.principalId
    if (!identity) continue
    const client = lookup(g.clientId)
    const clientKey = client?.appId ?? unresolvedClientId(g.clientId)
    const key = `${identity}\u0000${clientKey}`
    const entry = merged.get(key) ?? { identity, consentType: allPrincipals ? 'AllPrincipals' : 'Principal', client, clientObjectId: g.clientId, scopes: new Set<string>() }
    for (const s of labelScopes(lookup(g.resourceId), g.scope)) entry.scopes.add(s)
    merged.set(key, entry)
  }
  const records: GrantRecord[] = []
  for (const e of merged.values()) {
    const scopes = [...e.scopes].sort()
    records.push({
      type: 'grant',
      userExternalId: e.identity,
      clientId: e.client ? e.client.appId : unresolvedClientId(e.clientObjectId),
      clientName: e.client?.displayName ?? null,
      scopes,
      consentType: e.consentType,
      risk: classifyScopes(scopes).level,
      signals: e.client ? spSignals(e.client, 'oauth_client') : [],
    })
  }
  return records
}

/** Throws a plain Error naming the field; callers add file and line. */
export function toSigninRecord(s: GraphSignIn): SigninRecord {
  if (!s.id || typeof s.id !== 'string') throw new FieldError('id', 'missing sign-in id')
  let occurredAt: string
  try {
    occurredAt = toIsoUtc(s.createdDateTime)
  } catch {
    throw new FieldError('createdDateTime', `invalid time ${JSON.stringify(s.createdDateTime ?? null)}`)
  }
  if (!s.appId && !s.appDisplayName) throw new FieldError('appId', 'neither appId nor appDisplayName')
  const signals: AppSignal[] = []
  if (s.appDisplayName) signals.push({ kind: 'sso_app', value: s.appDisplayName })
  if (s.appId) signals.push({ kind: 'oauth_client', value: s.appId })
  const errorCode = s.status?.errorCode
  return {
    type: 'signin',
    eventId: s.id,
    occurredAt,
    userExternalId: s.userId || null,
    email: normalizeEmail(s.userPrincipalName),
    app: { sourceAppId: s.appId || null, ref: (s.appId || s.appDisplayName)!, signals },
    result: errorCode === 0 || errorCode === undefined || errorCode === null ? 'success' : 'failure',
    ip: s.ipAddress || null,
    userAgent: s.userAgent || null,
    country: s.location?.countryOrRegion || null,
  }
}

export class FieldError extends Error {
  override readonly name = 'FieldError'
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`field ${field}: ${reason}`)
  }
}

/** True for a Graph signIn (or an Azure Monitor SignInLogs record): to suggest `--format entra` for a refused file. */
export function looksLikeGraphSignIn(record: Record<string, unknown>): boolean {
  if (typeof record.category === 'string' && /SignInLogs$/.test(record.category)) return true
  return typeof record.createdDateTime === 'string' && ('userPrincipalName' in record || 'appDisplayName' in record || 'appId' in record)
}

/** True for a Graph oauth2PermissionGrant. */
export function looksLikeGraphGrant(record: Record<string, unknown>): boolean {
  return 'consentType' in record && typeof record.clientId === 'string' && 'resourceId' in record
}

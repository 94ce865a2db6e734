import type { EmploymentType, PersonStatus } from '../../data/tables/people.table.js'
import type { AccountRecord, AppSignal, PersonRecord, SourceAppRecord } from '../sdk/records.js'
import type { OktaApp, OktaAppUser, OktaUser } from './wire-types.js'

/** A record that cannot be mapped; `field` names what is wrong (file mode adds the file and line). */
export class OktaRecordError extends Error {
  override readonly name = 'OktaRecordError'
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`field ${field}: ${reason}`)
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

function requireId(value: unknown, field: string): string {
  const id = text(value)
  if (!id) throw new OktaRecordError(field, 'missing')
  return id
}

function isoOrNull(value: unknown, field: string): string | null {
  const v = text(value)
  if (!v) return null
  const ms = Date.parse(v)
  if (Number.isNaN(ms)) throw new OktaRecordError(field, `not a timestamp: ${v}`)
  return new Date(ms).toISOString()
}

/** DEPROVISIONED is Okta's "deactivated"; every other status still lets the person sign in or be activated. */
export function personStatusOf(status: string): PersonStatus {
  if (status === 'DEPROVISIONED') return 'terminated'
  if (status === 'SUSPENDED') return 'suspended'
  return 'active'
}

function employmentTypeOf(userType: string | null): EmploymentType | null {
  if (!userType) return null
  if (/contract|contingent|vendor|consult|temp|freelance|external|partner/i.test(userType)) return 'contractor'
  if (/employee|staff|full|part|intern|fte|regular/i.test(userType)) return 'employee'
  return null
}

export function personFromOktaUser(user: OktaUser): PersonRecord {
  const id = requireId(user.id, 'id')
  const status = requireId(user.status, 'status')
  const p = user.profile ?? {}
  const given = text(p.firstName)
  const family = text(p.lastName)
  const manager = text(p.manager)
  const email = text(p.email) ?? (text(p.login)?.includes('@') ? text(p.login) : null)
  return {
    type: 'person',
    externalId: id,
    email,
    name: text(p.displayName) ?? ([given, family].filter(Boolean).join(' ') || null),
    givenName: given,
    familyName: family,
    employeeNumber: text(p.employeeNumber),
    department: text(p.department),
    title: text(p.title),
    // Okta's `manager` is free text (often a name); only an address can point at a person.
    managerEmail: manager?.includes('@') ? manager : null,
    location: [text(p.city), text(p.countryCode)].filter(Boolean).join(', ') || null,
    employmentType: employmentTypeOf(text(p.userType)),
    status: personStatusOf(status),
    sourceStatus: status,
    attributes: {
      login: text(p.login),
      manager,
      managerId: text(p.managerId),
      userType: text(p.userType),
      created: isoOrNull(user.created, 'created'),
      statusChanged: isoOrNull(user.statusChanged, 'statusChanged'),
      lastLogin: isoOrNull(user.lastLogin, 'lastLogin'),
      lastUpdated: isoOrNull(user.lastUpdated, 'lastUpdated'),
    },
  }
}

/** Catalogue-able integration names (`slack`, `salesforce`); Okta's generic templates say nothing about the vendor. */
function integrationName(name: string | null): string | null {
  if (!name) return null
  if (/^(template_|bookmark$|oidc_client$|saasure$|okta_)/.test(name) || name.includes('_')) return null
  return name
}

function hostOf(value: unknown): string | null {
  const v = text(value)
  if (!v || !/^https?:\/\//i.test(v)) return null
  try {
    return new URL(v).hostname.toLowerCase()
  } catch {
    return null
  }
}

/**
 * The Okta org itself, listed as an app of the scan: it is the company's identity provider, so it is
 * sanctioned by being in use, and `user.session.start` sign-ins (logins to Okta) land on it.
 */
export const OKTA_ORG_APP: SourceAppRecord = Object.freeze<SourceAppRecord>({
  type: 'source-app',
  externalId: 'okta-org',
  label: 'Okta',
  status: 'active',
  signOnMode: null,
  integrated: true,
  signals: [{ kind: 'sso_app', value: 'Okta' }],
  attributes: { note: 'the Okta org itself (the identity provider)' },
})

export function sourceAppFromOktaApp(app: OktaApp): SourceAppRecord {
  const id = requireId(app.id, 'id')
  const label = requireId(app.label, 'label')
  const status = requireId(app.status, 'status')
  const signals: AppSignal[] = [{ kind: 'sso_app', value: label }]
  const name = integrationName(text(app.name))
  if (name && name.toLowerCase() !== label.toLowerCase()) signals.push({ kind: 'sso_app', value: name })
  const settings = { ...(app.settings?.app ?? {}), ...(app.settings?.signOn ?? {}) }
  for (const key of ['url', 'loginUrl', 'baseUrl', 'ssoAcsUrl', 'audience', 'siteURL']) {
    const host = hostOf(settings[key])
    if (host && !signals.some((s) => s.value === host)) signals.push({ kind: 'domain', value: host })
  }
  return {
    type: 'source-app',
    externalId: id,
    label,
    status: status === 'ACTIVE' ? 'active' : 'inactive',
    signOnMode: text(app.signOnMode),
    integrated: status === 'ACTIVE',
    signals,
    attributes: { name: text(app.name), created: isoOrNull(app.created, 'created'), lastUpdated: isoOrNull(app.lastUpdated, 'lastUpdated') },
  }
}

/**
 * An app assignment. The account id joins app and user because two Okta apps may resolve to one catalogue
 * app (two Slack workspaces) and each assignment must stay its own account.
 */
export function accountFromOktaAppUser(appId: string, appUser: OktaAppUser): AccountRecord {
  const userId = requireId(appUser.id, 'id')
  const userName = text(appUser.credentials?.userName)
  const profileEmail = text(appUser.profile?.email)
  const scope = text(appUser.scope)
  return {
    type: 'account',
    app: { sourceAppId: appId },
    externalId: `${appId}/${userId}`,
    userExternalId: userId,
    email: profileEmail ?? (userName?.includes('@') ? userName : null),
    username: userName,
    status: text(appUser.status),
    createdAt: isoOrNull(appUser.created, 'created'),
    entitlements: scope ? [{ kind: 'okta-assignment', name: scope }] : [],
  }
}


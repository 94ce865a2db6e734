// Directory exports: Okta users/apps/app assignments, Google users and per-user OAuth tokens, Entra users,
// service principals, delegated grants and app role assignments — written after the event pass so that
// lastLogin fields agree with the logs.
import { join } from 'node:path'
import { APPS, appByKey, type AppProfile } from './apps.js'
import { grantSurvives, type AccessPlan, type Account, type Grant } from './access-plan.js'
import { entraUpn, managerEmail, type Company, type Person } from './company.js'
import type { ActivityResult } from './activity.js'
import { JsonArrayWriter, LineWriter } from './line-writer.js'
import type { Rng } from './prng.js'
import { MICROSOFT_TENANT_ID, type Tenant } from './tenant.js'
import { DAY_MS, iso, isoSeconds } from './time.js'

export interface WrittenFile {
  path: string
  format: string
  records: number
}

const OKTA_ROLLOUT_DAYS = 1300

function fullName(p: Person): string {
  return `${p.firstName} ${p.lastName}`
}

/** Okta: ACTIVE while employed (or leaked), DEPROVISIONED after a handled offboarding. */
export function oktaStatus(p: Person): 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED' {
  if (p.oktaStatusOverride) return p.oktaStatusOverride
  if (p.hrStatus === 'Inactive' && p.offboarding !== 'okta-active') return 'DEPROVISIONED'
  return 'ACTIVE'
}
export function googleSuspended(p: Person): boolean {
  return p.hrStatus === 'Inactive' && p.offboarding !== 'okta-active' && p.offboarding !== 'google-tokens'
}
export function entraEnabled(p: Person): boolean {
  return !(p.hrStatus === 'Inactive' && p.offboarding !== 'okta-active' && p.offboarding !== 'entra-enabled')
}

/** Which identities each directory lists: HR people everywhere, the rest per their `sources`. */
function listed(p: Person, source: 'okta' | 'google' | 'entra'): boolean {
  return p.inHr || p.sources[source]
}

export async function writeOkta(rng: Rng, outDir: string, c: Company, plan: AccessPlan, tenant: Tenant, act: ActivityResult): Promise<WrittenFile[]> {
  const files: WrittenFile[] = []
  const users = new JsonArrayWriter(join(outDir, 'okta/users.json'))
  const rollout = c.endMs - OKTA_ROLLOUT_DAYS * DAY_MS
  for (const p of c.people) {
    if (!listed(p, 'okta')) continue
    const created = Math.max(p.hireMs - 5 * DAY_MS, rollout) + rng.int(8 * 3600, 20 * 3600) * 1000
    const status = oktaStatus(p)
    const manager = p.managerIdx === null ? null : (c.people[p.managerIdx] as Person)
    const statusChanged = status === 'DEPROVISIONED' && p.endMs !== null ? p.endMs + 3600_000 : created + 600_000
    const last = act.oktaLastLogin[p.idx] ?? null
    await users.push({
      id: p.oktaId,
      status,
      created: iso(created),
      activated: iso(created + 600_000),
      statusChanged: iso(statusChanged),
      lastLogin: last === null ? null : iso(last),
      lastUpdated: iso(Math.max(statusChanged, created + 900_000)),
      passwordChanged: iso(created + 900_000),
      type: { id: 'otyfnjfba4ye7pgjB0g4' },
      profile: {
        firstName: p.firstName,
        lastName: p.lastName,
        mobilePhone: null,
        secondEmail: null,
        login: p.email,
        email: p.email,
        department: p.department || null,
        title: p.title || null,
        manager: manager ? fullName(manager) : null,
        managerId: manager ? manager.email : null,
        employeeNumber: p.employeeNumber || null,
        userType: p.inHr ? (p.employment === 'Contractor' ? 'Contractor' : 'Employee') : 'Service',
        organization: 'Northwind Labs',
        city: p.inHr ? p.office.city : null,
        countryCode: p.inHr ? p.office.countryCode : null,
      },
      credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
      _links: { self: { href: `https://${tenant.oktaOrg}/api/v1/users/${p.oktaId}` } },
    })
  }
  await users.close()
  files.push({ path: 'okta/users.json', format: 'okta-users', records: users.records })

  const apps = new JsonArrayWriter(join(outDir, 'okta/apps.json'))
  for (const a of APPS) {
    if (a.sso?.idp !== 'okta') continue
    const id = tenant.oktaAppId.get(a.key) as string
    const created = c.endMs - (900 + (id.charCodeAt(5) % 300)) * DAY_MS
    await apps.push({
      id,
      name: a.sso.oktaName,
      label: a.sso.label,
      status: a.sso.status,
      lastUpdated: iso(a.sso.status === 'INACTIVE' ? c.endMs - 120 * DAY_MS : created + 30 * DAY_MS),
      created: iso(created),
      accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
      visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { [`${a.sso.oktaName}_link`]: true } },
      features: [],
      signOnMode: a.sso.signOnMode,
      credentials: { userNameTemplate: { template: '${source.email}', type: 'BUILT_IN' }, signing: {} },
      settings: { app: {}, notifications: { vpn: { network: { connection: 'DISABLED' } } } },
      _links: { appLinks: [{ name: `${a.sso.oktaName}_link`, href: `https://${tenant.oktaOrg}/home/${a.sso.oktaName}/${id}/${tenant.oktaInstance.get(a.key)}`, type: 'text/html' }] },
    })
  }
  await apps.close()
  files.push({ path: 'okta/apps.json', format: 'okta-apps', records: apps.records })

  // One assignment file per Okta app, including empty ones (an INACTIVE app keeps its file).
  const byApp = new Map<string, Account[]>()
  for (const acc of plan.accounts) {
    if (acc.via !== 'okta' || acc.removedMs !== null) continue
    const list = byApp.get(acc.app) ?? []
    list.push(acc)
    byApp.set(acc.app, list)
  }
  for (const a of APPS) {
    if (a.sso?.idp !== 'okta') continue
    const id = tenant.oktaAppId.get(a.key) as string
    const rel = `okta/app-users/${id}.json`
    const w = new JsonArrayWriter(join(outDir, rel))
    for (const acc of byApp.get(a.key) ?? []) {
      const p = c.people[acc.person] as Person
      await w.push({
        id: p.oktaId,
        externalId: null,
        created: iso(acc.createdMs),
        lastUpdated: iso(acc.createdMs + 120_000),
        scope: acc.scope,
        status: 'ACTIVE',
        statusChanged: iso(acc.createdMs + 60_000),
        passwordChanged: null,
        syncState: 'DISABLED',
        credentials: { userName: p.email },
        profile: {},
        _links: { app: { href: `https://${tenant.oktaOrg}/api/v1/apps/${id}` }, user: { href: `https://${tenant.oktaOrg}/api/v1/users/${p.oktaId}` } },
      })
    }
    await w.close()
    files.push({ path: rel, format: 'okta-app-users', records: w.records })
  }
  return files
}

export async function writeGoogle(rng: Rng, outDir: string, c: Company, plan: AccessPlan, tenant: Tenant, act: ActivityResult): Promise<WrittenFile[]> {
  const files: WrittenFile[] = []
  // users.json: the users.list responses in order, as a JSON array of page objects (maxResults=500).
  const pages = new JsonArrayWriter(join(outDir, 'google/users.json'))
  const listedPeople = c.people.filter((p) => listed(p, 'google'))
  let userCount = 0
  for (let start = 0; start < listedPeople.length; start += 500) {
    const slice = listedPeople.slice(start, start + 500)
    const users = slice.map((p) => {
      userCount++
      const created = Math.max(p.hireMs - 4 * DAY_MS, c.endMs - 3000 * DAY_MS) + rng.int(8 * 3600, 20 * 3600) * 1000
      const last = act.googleLastLogin[p.idx] ?? null
      const suspended = googleSuspended(p)
      return {
        kind: 'admin#directory#user',
        id: p.googleId,
        etag: `"${rng.base62(27)}/${rng.base62(27)}"`,
        primaryEmail: p.email,
        name: { givenName: p.firstName, familyName: p.lastName, fullName: fullName(p) },
        isAdmin: p.department === 'IT' && /Administrator|Head of IT/.test(p.title),
        isDelegatedAdmin: false,
        lastLoginTime: last === null ? '1970-01-01T00:00:00.000Z' : iso(last),
        creationTime: iso(created),
        agreedToTerms: true,
        suspended,
        ...(suspended ? { suspensionReason: 'ADMIN' } : {}),
        archived: false,
        changePasswordAtNextLogin: false,
        ipWhitelisted: false,
        emails: [{ address: p.email, primary: true }],
        ...(p.inHr ? {
          organizations: [{ title: p.title, primary: true, customType: '', department: p.department, description: p.employment }],
          relations: p.managerIdx === null ? [] : [{ value: managerEmail(c, p), type: 'manager' }],
          externalIds: [{ value: p.employeeNumber, type: 'organization' }],
        } : {}),
        customerId: tenant.googleCustomerId,
        orgUnitPath: p.department ? `/${p.department}` : '/Service Accounts',
        isMailboxSetup: true,
        isEnrolledIn2Sv: true,
        isEnforcedIn2Sv: false,
        includeInGlobalAddressList: p.inHr,
      }
    })
    const more = start + 500 < listedPeople.length
    await pages.push({ kind: 'admin#directory#users', etag: `"${rng.base62(27)}"`, users, ...(more ? { nextPageToken: rng.base62(40) } : {}) })
  }
  await pages.close()
  files.push({ path: 'google/users.json', format: 'google-users', records: userCount })

  // tokens/<primaryEmail>.json: one tokens.list response per user, as the exporter saved them.
  const byPerson = new Map<number, Grant[]>()
  for (const g of plan.grants) {
    if (g.source !== 'google' || !grantSurvives(c, g)) continue
    const list = byPerson.get(g.person) ?? []
    list.push(g)
    byPerson.set(g.person, list)
  }
  for (const p of listedPeople) {
    const grants = byPerson.get(p.idx) ?? []
    const body: Record<string, unknown> = { kind: 'admin#directory#tokenList', etag: `"${rng.base62(27)}"` }
    if (grants.length > 0) {
      body.items = grants.map((g) => {
        const a = appByKey(g.app)
        return {
          kind: 'admin#directory#token',
          etag: `"${rng.base62(27)}"`,
          clientId: tenant.googleClientId.get(g.app),
          displayText: a.googleOAuth?.displayText ?? a.name,
          anonymous: false,
          nativeApp: false,
          userKey: p.googleId,
          scopes: [...g.scopes],
        }
      })
    }
    const rel = `google/tokens/${p.email}.json`
    const w = new LineWriter(join(outDir, rel))
    await w.write(JSON.stringify(body, null, 2) + '\n')
    await w.close()
    files.push({ path: rel, format: 'google-tokens', records: grants.length })
  }
  return files
}

function graphPage(context: string, nextLink: string | null, value: unknown[]): Record<string, unknown> {
  return { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${context}`, ...(nextLink ? { '@odata.nextLink': nextLink } : {}), value }
}

async function writeGraphPages<T>(path: string, context: string, items: readonly T[], pageSize: number, rng: Rng, map: (item: T) => unknown): Promise<number> {
  const w = new JsonArrayWriter(path)
  for (let start = 0; start < items.length || start === 0; start += pageSize) {
    const slice = items.slice(start, start + pageSize)
    const more = start + pageSize < items.length
    const next = more ? `https://graph.microsoft.com/v1.0/${context.split('(')[0]}?$skiptoken=${rng.base62(60)}` : null
    await w.push(graphPage(context, next, slice.map(map)))
    if (!more) break
  }
  await w.close()
  return items.length
}

export async function writeEntra(rng: Rng, outDir: string, c: Company, plan: AccessPlan, tenant: Tenant): Promise<WrittenFile[]> {
  const files: WrittenFile[] = []
  const people = c.people.filter((p) => listed(p, 'entra'))
  // Graph users list: an array of response pages ($top=999, $expand=manager($select=id,userPrincipalName)).
  const users = await writeGraphPages(join(outDir, 'entra/users.json'), 'users', people, 999, rng, (p) => {
    const manager = p.managerIdx === null ? null : (c.people[p.managerIdx] as Person)
    const upn = entraUpn(p)
    return {
      id: p.entraId,
      userPrincipalName: upn,
      mail: upn,
      displayName: fullName(p),
      givenName: p.firstName,
      surname: p.lastName,
      accountEnabled: entraEnabled(p),
      department: p.department || null,
      jobTitle: p.title || null,
      employeeId: p.employeeNumber || null,
      employeeType: p.inHr ? (p.employment === 'Contractor' ? 'Contractor' : 'Employee') : null,
      officeLocation: p.inHr ? p.office.name : null,
      createdDateTime: isoSeconds(Math.max(p.hireMs - 4 * DAY_MS, c.endMs - 2000 * DAY_MS) + 36_000_000),
      manager: manager ? { '@odata.type': '#microsoft.graph.user', id: manager.entraId, userPrincipalName: manager.email } : null,
    }
  })
  files.push({ path: 'entra/users.json', format: 'entra-users', records: users })

  const sps: unknown[] = []
  for (const sp of tenant.firstPartySps) {
    sps.push({ id: sp.id, appId: sp.appId, displayName: sp.displayName, appDisplayName: sp.displayName, appOwnerOrganizationId: MICROSOFT_TENANT_ID, servicePrincipalType: 'Application', accountEnabled: true, appRoleAssignmentRequired: false, publisherName: 'Microsoft Services', tags: [], signInAudience: 'AzureADMultipleOrgs' })
  }
  const spFor = (a: AppProfile, displayName: string, enterprise: boolean): unknown => ({
    id: tenant.entraSpId.get(a.key),
    appId: tenant.entraAppId.get(a.key),
    displayName,
    appDisplayName: displayName,
    appOwnerOrganizationId: a.key === 'microsoft-teams' ? MICROSOFT_TENANT_ID : rng.uuid(),
    servicePrincipalType: 'Application',
    accountEnabled: true,
    appRoleAssignmentRequired: enterprise,
    homepage: `https://${a.domains[0]}`,
    publisherName: a.vendor,
    verifiedPublisher: a.catalogued ? { displayName: a.vendor, verifiedPublisherId: rng.digits(7), addedDateTime: '2021-06-01T00:00:00Z' } : { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    tags: enterprise ? ['WindowsAzureActiveDirectoryIntegratedApp'] : [],
    signInAudience: 'AzureADMultipleOrgs',
    replyUrls: [`https://${a.domains[0]}/auth/callback`],
  })
  for (const a of APPS) {
    if (a.sso?.idp === 'entra') sps.push(spFor(a, a.sso.displayName, true))
    else if (a.entraOAuth) sps.push(spFor(a, a.entraOAuth.displayName, false))
  }
  const spCount = await writeGraphPages(join(outDir, 'entra/servicePrincipals.json'), 'servicePrincipals', sps, 100, rng, (x) => x)
  files.push({ path: 'entra/servicePrincipals.json', format: 'entra-service-principals', records: spCount })

  const grants: unknown[] = []
  for (const a of APPS) {
    if (a.sso?.idp === 'entra' && a.key !== 'microsoft-teams') {
      grants.push({ id: rng.base62(43), clientId: tenant.entraSpId.get(a.key), consentType: 'AllPrincipals', principalId: null, resourceId: tenant.graphSpId, scope: 'openid profile email User.Read' })
    }
  }
  for (const g of plan.grants) {
    if (g.source !== 'entra' || !grantSurvives(c, g)) continue
    const p = c.people[g.person] as Person
    grants.push({ id: rng.base62(43), clientId: tenant.entraSpId.get(g.app), consentType: 'Principal', principalId: p.entraId, resourceId: tenant.graphSpId, scope: g.scopes.join(' ') })
  }
  const grantCount = await writeGraphPages(join(outDir, 'entra/oauth2PermissionGrants.json'), 'oauth2PermissionGrants', grants, 1000, rng, (x) => x)
  files.push({ path: 'entra/oauth2PermissionGrants.json', format: 'entra-oauth2-permission-grants', records: grantCount })

  const assignments = plan.accounts.filter((a) => a.via === 'entra' && a.removedMs === null)
  const arCount = await writeGraphPages(join(outDir, 'entra/appRoleAssignments.json'), 'servicePrincipals(appRoleAssignedTo)', assignments, 999, rng, (acc) => {
    const p = c.people[acc.person] as Person
    const a = appByKey(acc.app)
    return {
      id: rng.base62(43),
      appRoleId: '00000000-0000-0000-0000-000000000000',
      createdDateTime: isoSeconds(acc.createdMs),
      deletedDateTime: null,
      principalDisplayName: fullName(p),
      principalId: p.entraId,
      principalType: 'User',
      resourceDisplayName: a.sso?.idp === 'entra' ? a.sso.displayName : a.name,
      resourceId: tenant.entraSpId.get(acc.app),
    }
  })
  files.push({ path: 'entra/appRoleAssignments.json', format: 'entra-app-role-assignments', records: arCount })
  return files
}

// Stable vendor-side identifiers of the Northwind Labs tenants (Okta app ids, Entra object ids, Google client ids),
// drawn once from the seed so every file that mentions an app uses the same id.
import { APPS, type AppProfile } from './apps.js'
import type { Rng } from './prng.js'

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'
export const MICROSOFT_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a'

export interface EntraTarget {
  readonly appKey: string
  readonly appDisplayName: string
  readonly appId: string
  readonly resourceDisplayName: string
  readonly resourceId: string
  readonly interactive: boolean
}

export interface Tenant {
  readonly oktaOrg: string
  readonly oktaAppId: ReadonlyMap<string, string>
  readonly oktaInstance: ReadonlyMap<string, string>
  readonly googleCustomerId: string
  readonly googleClientId: ReadonlyMap<string, string>
  readonly entraTenantId: string
  /** Service principal object id per app key (enterprise apps and consented third-party apps). */
  readonly entraSpId: ReadonlyMap<string, string>
  readonly entraAppId: ReadonlyMap<string, string>
  readonly graphSpId: string
  readonly firstPartySps: readonly { readonly displayName: string; readonly appId: string; readonly id: string }[]
  readonly entraTargets: readonly EntraTarget[]
  readonly entraTargetIndex: ReadonlyMap<string, number>
  /** Microsoft 365 first-party clients that Entra logs for M365 use. */
  readonly m365Targets: readonly number[]
}

export function buildTenant(rng: Rng): Tenant {
  const oktaAppId = new Map<string, string>()
  const oktaInstance = new Map<string, string>()
  const googleClientId = new Map<string, string>()
  const entraSpId = new Map<string, string>()
  const entraAppId = new Map<string, string>()
  const alphanum = (n: number): string => rng.base62(n).toLowerCase()
  for (const a of APPS) {
    if (a.sso?.idp === 'okta') {
      oktaAppId.set(a.key, `0oa${rng.base62(17)}`)
      oktaInstance.set(a.key, `exk${rng.base62(17)}`)
    }
    if (a.googleOAuth) googleClientId.set(a.key, `${rng.digits(12)}-${alphanum(32)}.apps.googleusercontent.com`)
    if (a.sso?.idp === 'entra') {
      entraSpId.set(a.key, rng.uuid())
      entraAppId.set(a.key, a.sso.appId)
    }
    if (a.entraOAuth) {
      entraSpId.set(a.key, rng.uuid())
      entraAppId.set(a.key, rng.uuid())
    }
  }
  const graphSpId = rng.uuid()
  const firstPartySps = [
    { displayName: 'Microsoft Graph', appId: GRAPH_APP_ID, id: graphSpId },
    { displayName: 'Office 365 Exchange Online', appId: '00000002-0000-0ff1-ce00-000000000000', id: rng.uuid() },
    { displayName: 'Office 365 SharePoint Online', appId: '00000003-0000-0ff1-ce00-000000000000', id: rng.uuid() },
    { displayName: 'OfficeHome', appId: '4765445b-32c6-49b0-83e6-1d93765276ca', id: rng.uuid() },
    { displayName: 'Microsoft Office', appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', id: rng.uuid() },
  ]
  const targets: EntraTarget[] = [
    { appKey: 'microsoft-365', appDisplayName: 'OfficeHome', appId: '4765445b-32c6-49b0-83e6-1d93765276ca', resourceDisplayName: 'Office 365 Exchange Online', resourceId: '00000002-0000-0ff1-ce00-000000000000', interactive: true },
    { appKey: 'microsoft-365', appDisplayName: 'Microsoft Office', appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', resourceDisplayName: 'Office 365 SharePoint Online', resourceId: '00000003-0000-0ff1-ce00-000000000000', interactive: false },
  ]
  const addTarget = (a: AppProfile, displayName: string, resource: { name: string; id: string }, interactive: boolean): void => {
    targets.push({ appKey: a.key, appDisplayName: displayName, appId: entraAppId.get(a.key) as string, resourceDisplayName: resource.name, resourceId: resource.id, interactive })
  }
  for (const a of APPS) {
    if (a.sso?.idp === 'entra') {
      const teams = a.key === 'microsoft-teams'
      addTarget(a, a.sso.displayName, teams ? { name: 'Microsoft Teams Services', id: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe' } : { name: a.sso.displayName, id: a.sso.appId }, !teams)
    }
    if (a.entraOAuth) addTarget(a, a.entraOAuth.displayName, { name: 'Microsoft Graph', id: GRAPH_APP_ID }, false)
  }
  const entraTargetIndex = new Map<string, number>()
  targets.forEach((t, i) => {
    if (!entraTargetIndex.has(t.appKey)) entraTargetIndex.set(t.appKey, i)
  })
  return {
    oktaOrg: 'northwind.okta.com',
    oktaAppId,
    oktaInstance,
    googleCustomerId: `C0${rng.base62(7).toLowerCase()}`,
    googleClientId,
    entraTenantId: rng.uuid(),
    entraSpId,
    entraAppId,
    graphSpId,
    firstPartySps,
    entraTargets: targets,
    entraTargetIndex,
    m365Targets: [0, 1],
  }
}

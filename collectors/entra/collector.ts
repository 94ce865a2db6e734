import type { TokenCredential } from '@azure/identity'
import { mapSettledWithConcurrency } from '../sdk/concurrency.js'
import type { Collector, CollectorContext, CollectorManifest, Page } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import type { ObservedRecord } from '../sdk/records.js'
import { ENTRA_CONFIG_FIELDS, ENTRA_SCAN_PERMISSIONS, type EntraConfig, type EntraPermission } from './config.js'
import { createGraphSession, type EntraConnection, type GraphSession } from './graph-client.js'
import type { GraphAppRoleAssignment, GraphOAuth2PermissionGrant, GraphPage, GraphServicePrincipal, GraphSignIn, GraphUser } from './graph-types.js'
import { FieldError, toAccountRecords, toGrantRecords, toPersonRecord, toSigninRecord, toSourceAppRecord } from './map-records.js'

export type EntraKind = 'person' | 'app' | 'account' | 'grant' | 'signin'

export const USER_FIELDS = [
  'id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'accountEnabled', 'department', 'jobTitle',
  'employeeType', 'employeeId', 'employeeHireDate', 'officeLocation', 'userType',
] as const
export const SERVICE_PRINCIPAL_FIELDS = [
  'id', 'appId', 'displayName', 'accountEnabled', 'appOwnerOrganizationId', 'appRoleAssignmentRequired', 'servicePrincipalType',
  'servicePrincipalNames', 'preferredSingleSignOnMode', 'homepage', 'loginUrl', 'tags', 'appRoles',
] as const

const DEFAULT_SP_PAGE = 50
const DEFAULT_CONCURRENCY = 4
/** Entra keeps sign-ins 30 days (P1/P2); a first scan reads what is there. */
export const DEFAULT_SIGNIN_LOOKBACK_MS = 30 * 24 * 3600_000

/**
 * People, then enterprise apps with their user assignments (the `app` pages carry both source-app and
 * account records, since one call per service principal tells both), then delegated grants, then sign-ins.
 */
export const ENTRA_MANIFEST: CollectorManifest<EntraKind> = Object.freeze<CollectorManifest<EntraKind>>({
  id: 'entra',
  description: 'Microsoft Entra ID through Microsoft Graph: users, enterprise apps and assignments, delegated consents, sign-ins',
  config: ENTRA_CONFIG_FIELDS,
  scopes: ENTRA_SCAN_PERMISSIONS,
  kinds: ['person', 'app', 'grant', 'signin'],
  snapshotKinds: ['person', 'app', 'account', 'grant'],
})

export interface EntraCollectorOptions {
  connection?: EntraConnection
  /** A ready credential instead of one built from the config (the CLI never passes one). */
  credential?: TokenCredential
  now?: () => Date
}

export type EntraCollector = Collector<EntraConfig, ObservedRecord, EntraKind> & {
  readonly session: GraphSession
  /** The tenant's object id, known after `validate`. */
  tenantId(): string | null
}

function isItemFailure(error: unknown): error is CollectorError {
  return error instanceof CollectorError && (error.code === 'permission-denied' || error.code === 'not-found')
}

export function createEntraCollector(config: EntraConfig, options: EntraCollectorOptions = {}): EntraCollector {
  const session = createGraphSession(config, ENTRA_MANIFEST.scopes, options.connection, options.credential)
  const now = options.now ?? (() => new Date())
  const spPage = config.servicePrincipalPageSize ?? DEFAULT_SP_PAGE
  const concurrency = config.concurrency ?? DEFAULT_CONCURRENCY
  const servicePrincipals = new Map<string, GraphServicePrincipal | null>()
  let tenantId: string | null = null

  async function getAll<T>(url: string, permission: EntraPermission, action: string, signal: AbortSignal): Promise<T[]> {
    const items: T[] = []
    for (let next: string | undefined = url; next; ) {
      const page: GraphPage<T> = await session.get<GraphPage<T>>(next, permission, action, signal)
      if (!Array.isArray(page?.value)) throw new CollectorError('bad-data', `entra: ${action}: response has no value array`)
      items.push(...page.value)
      next = page['@odata.nextLink']
    }
    return items
  }

  async function listServicePrincipals(cursor: string | null, signal: AbortSignal): Promise<{ sps: GraphServicePrincipal[]; next: string | null }> {
    const url = cursor ?? `/servicePrincipals?$select=${SERVICE_PRINCIPAL_FIELDS.join(',')}&$top=${spPage}`
    const page = await session.get<GraphPage<GraphServicePrincipal>>(url, 'Application.Read.All', 'list service principals', signal)
    if (!Array.isArray(page?.value)) throw new CollectorError('bad-data', 'entra: list service principals: response has no value array')
    for (const sp of page.value) servicePrincipals.set(sp.id, sp)
    return { sps: page.value.filter((sp) => (sp.servicePrincipalType ?? 'Application') === 'Application'), next: page['@odata.nextLink'] ?? null }
  }

  /** Runs one call per service principal; a 403/404 on one is an item error, anything else fails the page. */
  async function fanOut<R>(sps: readonly GraphServicePrincipal[], kind: string, what: string, ctx: CollectorContext<EntraConfig>, fn: (sp: GraphServicePrincipal) => Promise<R>): Promise<Map<string, R>> {
    const settled = await mapSettledWithConcurrency(sps, concurrency, fn)
    const results = new Map<string, R>()
    settled.forEach((r, i) => {
      const sp = sps[i]!
      if (r.status === 'fulfilled') results.set(sp.id, r.value)
      else if (isItemFailure(r.reason)) {
        ctx.reportItemError({ kind, item: `servicePrincipal ${sp.id} (${sp.displayName ?? sp.appId})`, code: r.reason.code, message: `${what}: ${r.reason.message}` })
      }
    })
    const fatal = settled.find((r) => r.status === 'rejected' && !isItemFailure(r.reason))
    if (fatal && fatal.status === 'rejected') throw fatal.reason
    return results
  }

  async function servicePrincipal(id: string, signal: AbortSignal): Promise<GraphServicePrincipal | undefined> {
    if (servicePrincipals.has(id)) return servicePrincipals.get(id) ?? undefined
    try {
      const sp = await session.get<GraphServicePrincipal>(`/servicePrincipals/${id}?$select=${SERVICE_PRINCIPAL_FIELDS.join(',')}`, 'Application.Read.All', `get service principal ${id}`, signal)
      servicePrincipals.set(id, sp)
      return sp
    } catch (error) {
      // A resource deleted since the consent: its scopes keep the resource id as their prefix.
      if (error instanceof CollectorError && error.code === 'not-found') {
        servicePrincipals.set(id, null)
        return undefined
      }
      throw error
    }
  }

  const lists: Record<'person' | 'app' | 'grant' | 'signin', (cursor: string | null, ctx: CollectorContext<EntraConfig>, signal: AbortSignal) => Promise<Page<ObservedRecord>>> = {
    async person(cursor, ctx, signal) {
      const url = cursor ?? `/users?$select=${USER_FIELDS.join(',')}&$expand=manager($select=id,mail,userPrincipalName)&$top=999`
      const page = await session.get<GraphPage<GraphUser>>(url, 'User.Read.All', 'list users', signal)
      if (!Array.isArray(page?.value)) throw new CollectorError('bad-data', 'entra: list users: response has no value array')
      const items: ObservedRecord[] = []
      for (const u of page.value) {
        try {
          items.push(toPersonRecord(u))
        } catch (error) {
          ctx.reportItemError({ kind: 'person', item: `user ${u.id}`, code: 'bad-data', message: `entra: list users: user ${u.id}: ${(error as Error).message}` })
        }
      }
      return { items, next: page['@odata.nextLink'] ?? null }
    },

    async app(cursor, ctx, signal) {
      const { sps, next } = await listServicePrincipals(cursor, signal)
      const assignments = await fanOut(sps, 'account', 'list app role assignments', ctx, (sp) =>
        getAll<GraphAppRoleAssignment>(`/servicePrincipals/${sp.id}/appRoleAssignedTo?$top=999`, 'Application.Read.All', `list assignments of ${sp.displayName ?? sp.id}`, signal),
      )
      const items: ObservedRecord[] = []
      for (const sp of sps) {
        const assigned = assignments.get(sp.id)
        const app = toSourceAppRecord(sp, assigned ?? [])
        if (!app) continue
        items.push(app)
        if (assigned) items.push(...toAccountRecords(sp, assigned))
      }
      return { items, next }
    },

    async grant(cursor, ctx, signal) {
      const { sps, next } = await listServicePrincipals(cursor, signal)
      const grants = await fanOut(sps, 'grant', 'list delegated permission grants', ctx, (sp) =>
        getAll<GraphOAuth2PermissionGrant>(`/servicePrincipals/${sp.id}/oauth2PermissionGrants?$top=999`, 'DelegatedPermissionGrant.Read.All', `list grants of ${sp.displayName ?? sp.id}`, signal),
      )
      const all = [...grants.values()].flat()
      for (const resourceId of new Set(all.map((g) => g.resourceId))) await servicePrincipal(resourceId, signal)
      const lookup = (id: string) => servicePrincipals.get(id) ?? undefined
      return { items: toGrantRecords(all, lookup, tenantId ?? config.tenantId), next }
    },

    async signin(cursor, ctx, signal) {
      const since = config.signinsSince ?? new Date(now().getTime() - DEFAULT_SIGNIN_LOOKBACK_MS).toISOString()
      const url = cursor ?? `/auditLogs/signIns?$filter=createdDateTime ge ${since}&$top=1000`
      const page = await session.get<GraphPage<GraphSignIn>>(url, 'AuditLog.Read.All', 'list sign-ins', signal)
      if (!Array.isArray(page?.value)) throw new CollectorError('bad-data', 'entra: list sign-ins: response has no value array')
      const items: ObservedRecord[] = []
      for (const s of page.value) {
        try {
          items.push(toSigninRecord(s))
        } catch (error) {
          const field = error instanceof FieldError ? error.field : 'record'
          ctx.reportItemError({ kind: 'signin', item: `signIn ${s.id ?? '?'}`, code: 'bad-data', message: `entra: list sign-ins: signIn ${s.id ?? '?'}: field ${field}: ${(error as Error).message}` })
        }
      }
      return { items, next: page['@odata.nextLink'] ?? null }
    },
  }

  return {
    manifest: ENTRA_MANIFEST,
    session,
    tenantId: () => tenantId,
    async validate(ctx) {
      // The cheapest authenticated call, and the tenant's object id for tenant-wide consents.
      const org = await session.get<GraphPage<{ id: string }>>('/organization?$select=id', 'Directory.Read.All', 'read organization', ctx.signal)
      tenantId = org.value?.[0]?.id ?? null
    },
    async list(kind, request, ctx) {
      if (kind === 'account') return { items: [], next: null }
      return lists[kind](request.cursor, ctx, request.signal)
    },
  }
}

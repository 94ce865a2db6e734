import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createResolver } from '../../../analyzer/resolve/index.js'
import type { Store } from '../../../data/connection.js'
import { loadCatalog } from '../../../data/catalog/index.js'
import type { SignalResolver } from '../../sdk/app-resolution.js'
import { ENTRA_SCAN_PERMISSIONS, type EntraConfig } from '../config.js'
import type { EntraConnection } from '../graph-client.js'
import { startFakeGraph, type FakeClient, type FakeGraph, type FakeTenantData } from './fake-graph.js'
import { sampleTenant, TENANT_ID } from './sample-tenant.js'
import { trustingDispatcher } from './tls.js'

export const CLIENT_ID = '0e000000-0000-4000-8000-00000000c1d0'
export const SECRET = 'fake-client-secret~value'
export const resolver = createResolver({ entries: loadCatalog().entries }) as unknown as SignalResolver
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 }

export interface Harness {
  fake: FakeGraph
  config: EntraConfig
  connection: EntraConnection
}

export async function startHarness(options: { data?: FakeTenantData; clients?: FakeClient[]; maxPageSize?: number; config?: Partial<EntraConfig> } = {}): Promise<Harness> {
  const fake = await startFakeGraph(options.data ?? sampleTenant(), options.clients ?? [{ clientId: CLIENT_ID, secret: SECRET, roles: [...ENTRA_SCAN_PERMISSIONS] }], { maxPageSize: options.maxPageSize ?? 2 })
  const config: EntraConfig = Object.freeze({
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    authorityHost: fake.url,
    graphBaseUrl: fake.url,
    servicePrincipalPageSize: 2,
    signinsSince: '2026-11-01T00:00:00.000Z',
    ...options.config,
  })
  return { fake, config, connection: { fetchOptions: { dispatcher: await trustingDispatcher(fake.ca) }, ca: fake.ca } }
}

/** The tenant as files the way a Graph dump (and the demo company) saves them: arrays of response pages. */
export function writeDirectoryDump(data: FakeTenantData, pageSize = 2): string {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-entra-'))
  const pages = <T>(name: string, items: readonly T[]) => {
    const out: unknown[] = []
    for (let i = 0; i < items.length || i === 0; i += pageSize) {
      out.push({ '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${name}`, value: items.slice(i, i + pageSize), ...(i + pageSize < items.length ? { '@odata.nextLink': `https://graph.microsoft.com/v1.0/${name}?$skiptoken=${i + pageSize}` } : {}) })
    }
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(out, null, 1))
  }
  pages('users', data.users)
  pages('servicePrincipals', data.servicePrincipals)
  pages('appRoleAssignments', data.assignments)
  pages('oauth2PermissionGrants', data.grants)
  pages('organization', [{ id: data.tenantId }])
  writeFileSync(join(dir, 'signins.jsonl'), data.signIns.map((s) => JSON.stringify(s)).join('\n') + '\n')
  return dir
}

/** What an access review sees, without ids or times that differ between two stores. */
export async function inventorySnapshot(store: Store) {
  const db = store.db
  const people = await db.selectFrom('people').select(['email', 'name', 'department', 'title', 'manager_email', 'status', 'employment_type', 'start_date']).orderBy('email').execute()
  const identities = await db.selectFrom('person_identities').select(['source', 'external_id', 'email', 'status', 'gone_at']).orderBy('external_id').execute()
  const sourceApps = await db
    .selectFrom('source_apps')
    .leftJoin('apps', 'apps.id', 'source_apps.app_id')
    .select(['source_apps.external_id', 'source_apps.label', 'source_apps.status', 'source_apps.sign_on_mode', 'apps.name as app', 'apps.status as app_status', 'source_apps.gone_at'])
    .orderBy('source_apps.external_id')
    .execute()
  const accounts = await db
    .selectFrom('accounts')
    .innerJoin('apps', 'apps.id', 'accounts.app_id')
    .leftJoin('people', 'people.id', 'accounts.person_id')
    .select(['apps.name as app', 'accounts.external_id', 'people.email as person', 'accounts.status', 'accounts.first_seen_at', 'accounts.gone_at'])
    .orderBy('apps.name')
    .orderBy('accounts.external_id')
    .execute()
  const entitlements = await db
    .selectFrom('entitlements')
    .innerJoin('accounts', 'accounts.id', 'entitlements.account_id')
    .select(['accounts.external_id', 'entitlements.kind', 'entitlements.name'])
    .orderBy('accounts.external_id')
    .orderBy('entitlements.name')
    .execute()
  const grants = await db
    .selectFrom('grants')
    .leftJoin('people', 'people.id', 'grants.person_id')
    .leftJoin('apps', 'apps.id', 'grants.app_id')
    .select(['grants.identity_external_id', 'people.email as person', 'grants.client_id', 'grants.client_name', 'grants.scopes', 'grants.risk', 'grants.consent_type', 'apps.name as app', 'grants.revoked_at'])
    .orderBy('grants.identity_external_id')
    .orderBy('grants.client_id')
    .execute()
  const signins = await db
    .selectFrom('signin_events')
    .leftJoin('people', 'people.id', 'signin_events.person_id')
    .leftJoin('apps', 'apps.id', 'signin_events.app_id')
    .select(['event_id', 'occurred_at', 'people.email as person', 'apps.name as app', 'app_ref', 'result', 'ip', 'country'])
    .orderBy('event_id')
    .execute()
  return { people, identities, sourceApps, accounts, entitlements, grants, signins }
}

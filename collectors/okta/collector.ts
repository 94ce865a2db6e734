import { mapSettledWithConcurrency } from '../sdk/concurrency.js'
import type { Collector, CollectorContext, CollectorManifest, Page } from '../sdk/contract.js'
import { CollectorError, errorMessage } from '../sdk/errors.js'
import { withRetry } from '../sdk/retry.js'
import type { ObservedRecord, PersonRecord } from '../sdk/records.js'
import { normalizeOktaConfig, OKTA_CONFIG_FIELDS, type OktaConfig } from './config.js'
import { accountFromOktaAppUser, OKTA_ORG_APP, OktaRecordError, personFromOktaUser, sourceAppFromOktaApp } from './map-directory.js'
import { LOG_FILTER, mapOktaLogEvent } from './map-system-log.js'
import { OktaHttp, type OktaHttpOptions } from './okta-http.js'
import { OKTA_READ_SCOPES, OKTA_SCOPES } from './scopes.js'
import type { OktaApp, OktaAppUser, OktaLogEvent, OktaUser } from './wire-types.js'

export type OktaKind = 'person' | 'app' | 'account' | 'signin'

export const OKTA_MANIFEST: CollectorManifest<OktaKind> = Object.freeze({
  id: 'okta',
  description: 'Okta: users, app integrations, app assignments and the System Log (sign-ins) over the Management API',
  config: OKTA_CONFIG_FIELDS,
  scopes: OKTA_SCOPES,
  kinds: ['person', 'app', 'account', 'signin'] as const,
  // The System Log is an event stream: a scan that did not see an event does not mean it never happened.
  snapshotKinds: ['person', 'app', 'account'] as const,
})

/** What a scan saw of the System Log that it does not write as sign-ins. */
export interface OktaLogStats {
  membershipAdds: number
  membershipRemoves: number
  /** Assignment history that changes nothing kept: membership updates, provisioning pushes. */
  history: number
  skipped: number
}

interface PersonCursor {
  phase: 'listed' | 'deprovisioned'
  next: string
}
interface AccountCursor {
  queue: string[]
  appsNext: string | null
  active: { id: string; next: string }[]
}

const DEFAULT_PAGE = { users: 200, apps: 200, appUsers: 500, logs: 1000 }

function parseCursor<T>(cursor: string, kind: string): T {
  try {
    return JSON.parse(cursor) as T
  } catch (cause) {
    throw new CollectorError('bad-data', `okta: list ${kind}: unreadable checkpoint cursor`, { cause })
  }
}

function mapItem<T, R>(ctx: CollectorContext<unknown>, kind: string, item: T, id: string, map: (item: T) => R): R | null {
  try {
    return map(item)
  } catch (error) {
    if (!(error instanceof OktaRecordError)) throw error
    ctx.reportItemError({ kind, item: id, code: 'bad-data', message: `okta: ${kind} ${id}: ${error.message}` })
    return null
  }
}

export type OktaCollector = Collector<Readonly<OktaConfig>, ObservedRecord, OktaKind> & {
  readonly http: OktaHttp
  readonly logStats: OktaLogStats
}

/** The live Okta collector: one Management API page per `list` call, the cursor being Okta's own next link. */
export function createOktaCollector(config: OktaConfig, options: OktaHttpOptions = {}): OktaCollector {
  const cfg = normalizeOktaConfig(config)
  const http = new OktaHttp(cfg, { tokenScopes: OKTA_READ_SCOPES, ...options })
  const pageSize = { ...DEFAULT_PAGE, ...cfg.pageSize }
  const concurrency = cfg.appConcurrency ?? 4
  const logStats: OktaLogStats = { membershipAdds: 0, membershipRemoves: 0, history: 0, skipped: 0 }
  // Users the person listing of this process saw; assignments of anyone else are looked up one by one.
  let listedUsers: Set<string> | null = null
  let personListingComplete = false

  async function listPeople(cursor: string | null, ctx: CollectorContext<unknown>): Promise<Page<ObservedRecord>> {
    if (cursor === null) listedUsers = new Set()
    const state: PersonCursor = cursor === null ? { phase: 'listed', next: `/api/v1/users?limit=${pageSize.users}` } : parseCursor(cursor, 'person')
    const page = await http.page<OktaUser>(state.next, ctx.signal)
    const items: ObservedRecord[] = []
    for (const user of page.items) {
      const record = mapItem(ctx, 'person', user, String(user.id), personFromOktaUser)
      if (record) items.push(record)
      listedUsers?.add(String(user.id))
    }
    let next: PersonCursor | null = page.next ? { phase: state.phase, next: page.next } : null
    // `GET /api/v1/users` leaves out DEPROVISIONED users; leavers are exactly who an access review needs.
    if (!next && state.phase === 'listed') {
      next = { phase: 'deprovisioned', next: `/api/v1/users?limit=${pageSize.users}&filter=${encodeURIComponent('status eq "DEPROVISIONED"')}` }
    }
    if (!next && listedUsers) personListingComplete = true
    return { items, next: next ? JSON.stringify(next) : null }
  }

  async function listApps(cursor: string | null, ctx: CollectorContext<unknown>): Promise<Page<ObservedRecord>> {
    const page = await http.page<OktaApp>(cursor ?? `/api/v1/apps?limit=${pageSize.apps}`, ctx.signal)
    const items: ObservedRecord[] = page.items.map((a) => mapItem(ctx, 'app', a, String(a.id), sourceAppFromOktaApp)).filter((r) => r !== null)
    if (cursor === null) items.unshift(OKTA_ORG_APP)
    return { items, next: page.next }
  }

  /** A user an assignment names that the user listing did not (created, or deleted, since). */
  async function lookUpUser(userId: string, ctx: CollectorContext<unknown>): Promise<PersonRecord | null> {
    try {
      const r = await http.request<OktaUser>('GET', `/api/v1/users/${encodeURIComponent(userId)}`, ctx.signal)
      return mapItem(ctx, 'person', r.body, userId, personFromOktaUser)
    } catch (error) {
      if (error instanceof CollectorError && error.code === 'not-found') {
        ctx.reportItemError({ kind: 'account', item: userId, code: 'not-found', message: `okta: look up user ${userId}: deleted during the scan (${error.message})` })
        return null
      }
      throw error
    }
  }

  async function listAccounts(cursor: string | null, ctx: CollectorContext<unknown>): Promise<Page<ObservedRecord>> {
    const state: AccountCursor = cursor === null ? { queue: [], appsNext: `/api/v1/apps?limit=${pageSize.apps}`, active: [] } : parseCursor(cursor, 'account')
    while (state.active.length < concurrency && (state.queue.length > 0 || state.appsNext)) {
      if (state.queue.length === 0 && state.appsNext) {
        const apps = await http.page<OktaApp>(state.appsNext, ctx.signal)
        state.queue.push(...apps.items.map((a) => a.id).filter((id): id is string => typeof id === 'string'))
        state.appsNext = apps.next
        continue
      }
      const id = state.queue.shift() as string
      state.active.push({ id, next: `/api/v1/apps/${encodeURIComponent(id)}/users?limit=${pageSize.appUsers}` })
    }
    const results = await mapSettledWithConcurrency(state.active, concurrency, (a) => http.page<OktaAppUser>(a.next, ctx.signal))
    const items: ObservedRecord[] = []
    const stillActive: AccountCursor['active'] = []
    const lookups: string[] = []
    for (const [i, result] of results.entries()) {
      const app = state.active[i] as AccountCursor['active'][number]
      if (result.status === 'rejected') {
        const error = result.reason
        // An app deleted mid-scan has no assignments to list: tolerated by name, the run ends partial.
        if (error instanceof CollectorError && error.code === 'not-found') {
          ctx.reportItemError({ kind: 'account', item: app.id, code: 'not-found', message: `okta: list assignments of app ${app.id}: ${errorMessage(error)}` })
          continue
        }
        throw error
      }
      for (const appUser of result.value.items) {
        const record = mapItem(ctx, 'account', appUser, `${app.id}/${String(appUser.id)}`, (u) => accountFromOktaAppUser(app.id, u))
        if (!record) continue
        if (personListingComplete && listedUsers && record.userExternalId && !listedUsers.has(record.userExternalId)) lookups.push(record.userExternalId)
        items.push(record)
      }
      if (result.value.next) stillActive.push({ id: app.id, next: result.value.next })
    }
    const people: ObservedRecord[] = []
    const missing = new Set<string>()
    for (const userId of new Set(lookups)) {
      const person = await lookUpUser(userId, ctx)
      if (person) {
        people.push(person)
        listedUsers?.add(userId)
      } else {
        missing.add(userId)
      }
    }
    const kept = items.filter((r) => !(r.type === 'account' && r.userExternalId && missing.has(r.userExternalId)))
    state.active = stillActive
    const done = state.active.length === 0 && state.queue.length === 0 && !state.appsNext
    return { items: [...people, ...kept], next: done ? null : JSON.stringify(state) }
  }

  async function listSignins(cursor: string | null, ctx: CollectorContext<Readonly<OktaConfig>>): Promise<Page<ObservedRecord>> {
    let url = cursor
    if (url === null) {
      const since = ctx.config.logSince ?? new Date(Date.now() - 7 * 86_400_000).toISOString()
      const query = new URLSearchParams({ since, sortOrder: 'ASCENDING', limit: String(pageSize.logs), filter: LOG_FILTER })
      url = `/api/v1/logs?${query}`
    }
    const page = await http.page<OktaLogEvent>(url, ctx.signal)
    const items: ObservedRecord[] = []
    for (const event of page.items) {
      const mapped = mapItem(ctx, 'signin', event, String(event.uuid), mapOktaLogEvent)
      if (!mapped) continue
      if (mapped.kind === 'signin') items.push(mapped.record)
      else if (mapped.kind === 'membership') logStats[mapped.event.change === 'add' ? 'membershipAdds' : 'membershipRemoves'] += 1
      else if (mapped.kind === 'history') logStats.history += 1
      else logStats.skipped += 1
    }
    // A polling request always has a next link; an empty page means we have caught up with the log.
    return { items, next: page.items.length > 0 && page.next ? page.next : null }
  }

  return {
    manifest: OKTA_MANIFEST,
    http,
    logStats,
    async validate(ctx) {
      // The runner does not retry validate(); a reset or 5xx on the first call should not fail the scan.
      await withRetry(() => http.page<OktaUser>('/api/v1/users?limit=1', ctx.signal), { signal: ctx.signal, policy: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2000 } })
    },
    async list(kind, request, ctx) {
      switch (kind) {
        case 'person':
          return listPeople(request.cursor, ctx)
        case 'app':
          return listApps(request.cursor, ctx)
        case 'account':
          return listAccounts(request.cursor, ctx)
        case 'signin':
          return listSignins(request.cursor, ctx)
      }
    },
  }
}

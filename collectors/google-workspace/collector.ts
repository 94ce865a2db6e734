import type { admin_reports_v1 } from '@googleapis/admin'
import type { Collector, CollectorContext, CollectorManifest, ItemError, Page } from '../sdk/contract.js'
import { mapSettledWithConcurrency } from '../sdk/concurrency.js'
import { CollectorError, errorMessage } from '../sdk/errors.js'
import type { GrantRecord, ObservedRecord } from '../sdk/records.js'
import { withRetry } from '../sdk/retry.js'
import { createGoogleClients, type GoogleClients } from './client.js'
import { GOOGLE_CONFIG_FIELDS, GOOGLE_SCOPE_LIST, type GoogleConfig } from './config.js'
import { toCollectorError } from './google-errors.js'
import { mapSigninActivity, mapTokenActivity, TokenHistory, type GoogleActivity, type TokenEvent } from './map-activity.js'
import { mapGoogleToken, mapGoogleUser, RecordError, type GoogleUser } from './map-directory.js'
import { mapChromeActivity } from './map-chrome.js'

/**
 * In listing order: people first (grants and sign-ins refer to them), token events before the token snapshot
 * (so a grant's authorize time lands as its first-seen time and the snapshot has the last word on what is held).
 */
export const GOOGLE_KINDS = ['person', 'token-event', 'grant', 'login', 'saml', 'chrome'] as const
export type GoogleKind = (typeof GOOGLE_KINDS)[number]

export const GOOGLE_MANIFEST: CollectorManifest<GoogleKind> = Object.freeze({
  id: 'google',
  description: 'Google Workspace: Directory users, OAuth tokens per user, and Reports API login, token, SAML and Chrome events',
  config: GOOGLE_CONFIG_FIELDS,
  scopes: GOOGLE_SCOPE_LIST,
  kinds: GOOGLE_KINDS,
  snapshotKinds: ['person', 'grant'] as GoogleKind[],
})

const USERS_PAGE = 500
const TOKEN_USERS_PAGE = 100
const ACTIVITIES_PAGE = 1000
const DAY_MS = 86_400_000

/** Reports listings keep their window in the cursor, so a resumed scan pages the same query. */
interface ActivityCursor {
  startTime: string
  pageToken: string | null
  /** token-event only: authorize events first, then revoke events. */
  phase?: 'authorize' | 'revoke'
}

function parseCursor(cursor: string): ActivityCursor {
  try {
    const c = JSON.parse(cursor) as ActivityCursor
    if (typeof c.startTime === 'string') return c
  } catch {
    // fall through
  }
  throw new CollectorError('bad-data', `google-workspace: resume: unreadable checkpoint ${JSON.stringify(cursor.slice(0, 80))}; run with --fresh`)
}

export type GoogleCollector = Collector<GoogleConfig, ObservedRecord, GoogleKind>

/** The live Google Workspace collector: one page per call, cursors opaque to the runner. */
export function createGoogleCollector(config: GoogleConfig): GoogleCollector {
  let clients: GoogleClients | null = null
  const api = (): GoogleClients => (clients ??= createGoogleClients(config))
  const fail = (error: unknown, action: string) => toCollectorError(error, action, { tokenUri: api().tokenUri })
  const customerId = config.customer !== 'my_customer' ? config.customer : undefined
  const history = new TokenHistory()
  // What this process saw of the token snapshot; only a snapshot listed from its first page here is complete.
  const held = new Set<string>()
  let snapshotFromStart = false
  let snapshotItemErrors = 0

  async function listUsers(pageToken: string | null, maxResults: number, signal: AbortSignal, fields?: string): Promise<{ users: GoogleUser[]; next: string | null }> {
    try {
      const res = await api().directory.users.list(
        { customer: config.customer, maxResults, ...(pageToken ? { pageToken } : {}), ...(fields ? { fields } : {}) },
        { signal },
      )
      return { users: res.data.users ?? [], next: res.data.nextPageToken ?? null }
    } catch (error) {
      throw fail(error, 'list users')
    }
  }

  async function listActivities(application: string, c: ActivityCursor, signal: AbortSignal): Promise<{ items: GoogleActivity[]; next: string | null }> {
    const params: admin_reports_v1.Params$Resource$Activities$List = {
      userKey: 'all',
      applicationName: application,
      startTime: c.startTime,
      maxResults: ACTIVITIES_PAGE,
      ...(customerId ? { customerId } : {}),
      ...(c.phase ? { eventName: c.phase } : {}),
      ...(c.pageToken ? { pageToken: c.pageToken } : {}),
    }
    try {
      const res = await api().reports.activities.list(params, { signal })
      return { items: res.data.items ?? [], next: res.data.nextPageToken ?? null }
    } catch (error) {
      throw fail(error, `list ${application}${c.phase ? ` ${c.phase}` : ''} activities`)
    }
  }

  function firstCursor(phase?: 'authorize'): ActivityCursor {
    const startTime = config.startTime ?? new Date(Date.now() - config.lookbackDays * DAY_MS).toISOString()
    return { startTime, pageToken: null, ...(phase ? { phase } : {}) }
  }

  function reportBad(ctx: CollectorContext<GoogleConfig>, kind: string, item: string, error: unknown): void {
    if (!(error instanceof RecordError)) throw error
    ctx.reportItemError({ kind, item, code: 'bad-data', message: `google-workspace: read ${kind} ${item}: ${error.message}` })
  }

  async function listPeople(cursor: string | null, signal: AbortSignal, ctx: CollectorContext<GoogleConfig>): Promise<Page<ObservedRecord>> {
    const { users, next } = await listUsers(cursor, Math.min(config.pageSize ?? USERS_PAGE, USERS_PAGE), signal)
    const items: ObservedRecord[] = []
    for (const user of users) {
      try {
        items.push(mapGoogleUser(user))
      } catch (error) {
        reportBad(ctx, 'person', String(user?.primaryEmail ?? user?.id ?? '?'), error)
      }
    }
    return { items, next }
  }

  async function listGrants(cursor: string | null, signal: AbortSignal, ctx: CollectorContext<GoogleConfig>): Promise<Page<ObservedRecord>> {
    if (cursor === null) {
      snapshotFromStart = true
      held.clear()
      snapshotItemErrors = 0
    }
    const pageSize = Math.min(config.pageSize ?? TOKEN_USERS_PAGE, TOKEN_USERS_PAGE)
    const { users, next } = await listUsers(cursor, pageSize, signal, 'users(id,primaryEmail),nextPageToken')
    const results = await mapSettledWithConcurrency(users, config.concurrency, async (user) => {
      if (!user.id) throw new RecordError('id', 'missing')
      try {
        const res = await api().directory.tokens.list({ userKey: user.id }, { signal })
        return res.data.items ?? []
      } catch (error) {
        throw fail(error, `list tokens of ${user.primaryEmail ?? user.id}`)
      }
    })
    // One user's lost permission or deletion mid-scan is that user's problem; throttling or an outage is the page's.
    const pageErrors: ItemError[] = []
    const items: GrantRecord[] = []
    for (const [i, result] of results.entries()) {
      const user = users[i] as GoogleUser
      const who = user.primaryEmail ?? user.id ?? `user #${i}`
      if (result.status === 'rejected') {
        const e = result.reason
        if (e instanceof CollectorError && (e.retryable || e.code === 'unauthenticated' || e.code === 'cancelled')) throw e
        pageErrors.push({ kind: 'grant', item: who, code: e instanceof CollectorError ? e.code : 'bad-data', message: errorMessage(e) })
        continue
      }
      for (const token of result.value) {
        try {
          const grant = mapGoogleToken(token, { id: user.id as string, email: user.primaryEmail ?? null })
          items.push(grant)
        } catch (error) {
          if (!(error instanceof RecordError)) throw error
          pageErrors.push({ kind: 'grant', item: who, code: 'bad-data', message: `google-workspace: read token of ${who}: ${error.message}` })
        }
      }
    }
    for (const e of pageErrors) ctx.reportItemError(e)
    snapshotItemErrors += pageErrors.length
    for (const g of items) held.add(`${g.userExternalId}\u0000${g.clientId}`)
    if (next === null && snapshotFromStart && snapshotItemErrors === 0) {
      // Authorized per the token log yet holding no token in a complete listing: gone since, even without a revoke event.
      const at = new Date().toISOString()
      for (const g of history.authorized()) {
        if (!held.has(`${g.userExternalId}\u0000${g.clientId}`)) items.push({ ...g, revokedAt: at })
      }
    }
    return { items, next }
  }

  async function listTokenEvents(cursor: string | null, signal: AbortSignal, ctx: CollectorContext<GoogleConfig>): Promise<Page<ObservedRecord>> {
    const c = cursor === null ? firstCursor('authorize') : parseCursor(cursor)
    const { items: activities, next } = await listActivities('token', c, signal)
    const events: TokenEvent[] = []
    for (const activity of activities) {
      try {
        events.push(...mapTokenActivity(activity))
      } catch (error) {
        reportBad(ctx, 'token-event', String(activity?.id?.uniqueQualifier ?? '?'), error)
      }
    }
    const items = history.fold(events)
    let following: ActivityCursor | null = null
    if (next) following = { ...c, pageToken: next }
    else if (c.phase === 'authorize') following = { startTime: c.startTime, pageToken: null, phase: 'revoke' }
    return { items, next: following ? JSON.stringify(following) : null }
  }

  async function listSignins(application: 'login' | 'saml' | 'chrome', cursor: string | null, signal: AbortSignal, ctx: CollectorContext<GoogleConfig>): Promise<Page<ObservedRecord>> {
    const c = cursor === null ? firstCursor() : parseCursor(cursor)
    const { items: activities, next } = await listActivities(application, c, signal)
    const items: ObservedRecord[] = []
    for (const activity of activities) {
      try {
        // Chrome audit events (extension installs, logins on sites) come from managed browsers' reporting.
        items.push(...(application === 'chrome' ? mapChromeActivity(activity) : mapSigninActivity(activity)))
      } catch (error) {
        reportBad(ctx, application, String(activity?.id?.uniqueQualifier ?? '?'), error)
      }
    }
    return { items, next: next ? JSON.stringify({ ...c, pageToken: next }) : null }
  }

  return {
    manifest: GOOGLE_MANIFEST,
    async validate(ctx) {
      // The cheapest authenticated call; a bad key, subject or delegation fails here, before a long scan.
      await withRetry(() => listUsers(null, 1, ctx.signal, 'users(id),nextPageToken'), { signal: ctx.signal, policy: { maxAttempts: 3 } })
    },
    async list(kind, request, ctx) {
      switch (kind) {
        case 'person':
          return listPeople(request.cursor, request.signal, ctx)
        case 'grant':
          return listGrants(request.cursor, request.signal, ctx)
        case 'token-event':
          return listTokenEvents(request.cursor, request.signal, ctx)
        case 'login':
        case 'saml':
        case 'chrome':
          return listSignins(kind, request.cursor, request.signal, ctx)
      }
    },
  }
}

// A local stand-in for an Okta org speaking the Management API wire format: Link paging with `after`,
// Okta error bodies, X-Rate-Limit-* headers, the OAuth token endpoint (private_key_jwt) and injectable faults.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { OktaApp, OktaAppUser, OktaLogEvent, OktaUser } from '../wire-types.js'

export interface FakeFault {
  method?: string
  /** Matched against the path (no query). */
  path: RegExp
  /** How many matching requests fail before the path works again. */
  times: number
  /** `reset` destroys the socket before answering; `reset-mid-body` after sending half the page. */
  kind: 'status' | 'reset' | 'reset-mid-body'
  status?: number
  body?: unknown
  headers?: Record<string, string>
}

export interface FakeRequest {
  method: string
  url: string
  authorization: string | null
}

export interface FakeOktaOptions {
  apiToken?: string
  /** OAuth service app allowed to use the token endpoint, with the scopes it was granted. */
  serviceApp?: { clientId: string; publicKeyPem: string; grantedScopes: string[] }
  /** Requests per minute per endpoint before 429 (X-Rate-Limit-Limit). */
  rateLimit?: number
  /** Delay before each System Log page, to have time to kill a scanner mid-log. */
  logDelayMs?: number
}

export interface FakeOkta {
  url: string
  users: OktaUser[]
  apps: OktaApp[]
  appUsers: Map<string, OktaAppUser[]>
  logs: OktaLogEvent[]
  requests: FakeRequest[]
  tokenRequests: { scope: string; assertion: { header: Record<string, unknown>; payload: Record<string, unknown> } }[]
  /** User ids whose GET /api/v1/users/{id} answers 404 (deleted mid-scan). */
  deletedUsers: Set<string>
  faults: FakeFault[]
  options: FakeOktaOptions
  close(): Promise<void>
}

const ERRORS: Record<number, { errorCode: string; errorSummary: string }> = {
  400: { errorCode: 'E0000001', errorSummary: 'Api validation failed' },
  401: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' },
  403: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' },
  404: { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found' },
  429: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' },
  500: { errorCode: 'E0000009', errorSummary: 'Internal Server Error' },
}

function errorBody(status: number, summary?: string): Record<string, unknown> {
  const e = ERRORS[status] ?? { errorCode: 'E0000009', errorSummary: 'Internal Server Error' }
  return { errorCode: e.errorCode, errorSummary: summary ?? e.errorSummary, errorLink: e.errorCode, errorId: `oae${randomBytes(8).toString('hex')}`, errorCauses: [] }
}

function encodeAfter(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url')
}
function decodeAfter(after: string | null): number {
  if (!after) return 0
  const m = /^o:(\d+)$/.exec(Buffer.from(after, 'base64url').toString())
  return m ? Number(m[1]) : 0
}

/** The System Log filter subset Sightline sends: `eventType eq "x"` and `eventType sw "x"` joined by `or`. */
function logFilter(expression: string | null): (e: OktaLogEvent) => boolean {
  if (!expression) return () => true
  const clauses = expression.split(/\s+or\s+/).map((c) => {
    const m = /^eventType (eq|sw) "([^"]*)"$/.exec(c.trim())
    if (!m) throw new Error(`unsupported filter ${c}`)
    return m[1] === 'eq' ? (t: string) => t === m[2] : (t: string) => t.startsWith(m[2] as string)
  })
  return (e) => clauses.some((c) => c(e.eventType))
}

function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown>; input: string; signature: Buffer } {
  const [h, p, s] = jwt.split('.')
  if (!h || !p || !s) throw new Error('malformed jwt')
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
    input: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  }
}

function scopeOf(method: string, path: string): string {
  const write = method !== 'GET'
  if (path.startsWith('/api/v1/logs')) return 'okta.logs.read'
  if (path.startsWith('/api/v1/apps')) return write ? 'okta.apps.manage' : 'okta.apps.read'
  return write ? 'okta.users.manage' : 'okta.users.read'
}

export async function startFakeOkta(options: FakeOktaOptions = {}): Promise<FakeOkta> {
  const tokens = new Map<string, Set<string>>()
  const windows = new Map<string, { count: number; resetAt: number }>()
  const publicKey: KeyObject | null = options.serviceApp ? createPublicKey(options.serviceApp.publicKeyPem) : null
  const fake: FakeOkta = {
    url: '',
    users: [],
    apps: [],
    appUsers: new Map(),
    logs: [],
    requests: [],
    tokenRequests: [],
    deletedUsers: new Set(),
    faults: [],
    options,
    close: async () => undefined,
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(text)
  }

  function rateHeaders(bucket: string): { headers: Record<string, string>; exceeded: boolean } {
    const limit = options.rateLimit ?? 600
    const now = Date.now()
    let w = windows.get(bucket)
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: Math.ceil((now + 60_000) / 1000) * 1000 }
      windows.set(bucket, w)
    }
    w.count += 1
    const remaining = Math.max(0, limit - w.count)
    return {
      headers: { 'x-rate-limit-limit': String(limit), 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String(w.resetAt / 1000) },
      exceeded: w.count > limit,
    }
  }

  function pageOf<T>(res: ServerResponse, url: URL, items: readonly T[], maxLimit: number, extra: Record<string, string>, alwaysNext = false): void {
    const limit = Math.min(maxLimit, Number(url.searchParams.get('limit') ?? maxLimit) || maxLimit)
    const offset = decodeAfter(url.searchParams.get('after'))
    const slice = items.slice(offset, offset + limit)
    const links = [`<${url.href}>; rel="self"`]
    const nextOffset = offset + slice.length
    if (nextOffset < items.length || alwaysNext) {
      const next = new URL(url.href)
      next.searchParams.set('after', encodeAfter(nextOffset))
      links.push(`<${next.href}>; rel="next"`)
    }
    // Okta sends one Link header per relation.
    res.setHeader('link', links)
    res.writeHead(200, { 'content-type': 'application/json', ...extra })
    res.end(JSON.stringify(slice))
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = ''
    for await (const chunk of req) raw += String(chunk)
    const form = new URLSearchParams(raw)
    const assertion = form.get('client_assertion') ?? ''
    const app = options.serviceApp
    if (!app || !publicKey || form.get('grant_type') !== 'client_credentials' || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' })
    }
    let jwt: ReturnType<typeof decodeJwt>
    try {
      jwt = decodeJwt(assertion)
    } catch {
      return send(res, 400, { error: 'invalid_client', error_description: 'The client_assertion is malformed.' })
    }
    const alg = jwt.header.alg
    const ok = verify('sha256', Buffer.from(jwt.input), alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey, jwt.signature)
    const now = Math.floor(Date.now() / 1000)
    const p = jwt.payload
    if (!ok || p.iss !== app.clientId || p.sub !== app.clientId || p.aud !== `${fake.url}/oauth2/v1/token` || typeof p.exp !== 'number' || p.exp < now || p.exp - now > 3600) {
      return send(res, 401, { error: 'invalid_client', error_description: 'The client_assertion signature or claims are invalid.' })
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
    fake.tokenRequests.push({ scope: scopes.join(' '), assertion: { header: jwt.header, payload: p } })
    if (scopes.length === 0 || scopes.some((s) => !app.grantedScopes.includes(s))) {
      return send(res, 400, { error: 'invalid_scope', error_description: 'The authorization server resource does not have any configured default scopes.' })
    }
    const token = randomBytes(24).toString('base64url')
    tokens.set(token, new Set(scopes))
    send(res, 200, { token_type: 'Bearer', expires_in: 3600, access_token: token, scope: scopes.join(' ') })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', fake.url)
    const method = req.method ?? 'GET'
    const authorization = req.headers.authorization ?? null
    fake.requests.push({ method, url: url.href, authorization })
    if (url.pathname === '/oauth2/v1/token' && method === 'POST') return tokenEndpoint(req, res)

    const fault = fake.faults.find((f) => f.times > 0 && f.path.test(url.pathname) && (!f.method || f.method === method))
    if (fault) {
      fault.times -= 1
      if (fault.kind === 'reset') {
        req.socket.destroy()
        return
      }
      if (fault.kind === 'status') return send(res, fault.status ?? 500, fault.body ?? errorBody(fault.status ?? 500), fault.headers)
    }

    const bucket = `${method} ${url.pathname.replace(/\/(00u|0oa)[A-Za-z0-9]+/g, '/{id}')}`
    const rate = rateHeaders(bucket)
    if (rate.exceeded) return send(res, 429, errorBody(429), rate.headers)

    let granted: Set<string> | null = null
    if (authorization?.startsWith('SSWS ') && options.apiToken && authorization.slice(5) === options.apiToken) granted = null
    else if (authorization?.startsWith('Bearer ') && tokens.has(authorization.slice(7))) granted = tokens.get(authorization.slice(7)) ?? null
    else return send(res, 401, errorBody(401), { 'www-authenticate': 'SSWS realm="okta"' })
    // Okta's `.manage` scopes include reading what they manage.
    const needed = scopeOf(method, url.pathname)
    if (granted && !granted.has(needed) && !granted.has(needed.replace(/\.read$/, '.manage'))) {
      return send(res, 403, errorBody(403), { 'www-authenticate': `Bearer realm="IdpMyAccountAPI", error="insufficient_scope", scope="${scopeOf(method, url.pathname)}"` })
    }

    if (fault?.kind === 'reset-mid-body') {
      res.writeHead(200, { 'content-type': 'application/json', ...rate.headers })
      res.write('[{"id":"00u')
      await sleep(20)
      req.socket.destroy()
      return
    }

    const parts = url.pathname.split('/').filter(Boolean)
    if (method === 'GET' && url.pathname === '/api/v1/users') {
      const filter = url.searchParams.get('filter')
      const users = filter === 'status eq "DEPROVISIONED"' ? fake.users.filter((u) => u.status === 'DEPROVISIONED') : filter ? null : fake.users.filter((u) => u.status !== 'DEPROVISIONED')
      if (!users) return send(res, 400, errorBody(400, `Invalid filter: ${filter}`), rate.headers)
      return pageOf(res, url, users, 200, rate.headers)
    }
    if (method === 'GET' && parts.length === 4 && parts[2] === 'users') {
      const id = parts[3] as string
      const user = fake.deletedUsers.has(id) ? undefined : fake.users.find((u) => u.id === id)
      return user ? send(res, 200, user, rate.headers) : send(res, 404, errorBody(404, `Not found: Resource not found: ${id} (User)`), rate.headers)
    }
    if (method === 'GET' && url.pathname === '/api/v1/apps') return pageOf(res, url, fake.apps, 200, rate.headers)
    if (parts[2] === 'apps' && parts[4] === 'users') {
      const appId = parts[3] as string
      const assigned = fake.appUsers.get(appId)
      if (!fake.apps.some((a) => a.id === appId) || !assigned) return send(res, 404, errorBody(404, `Not found: Resource not found: ${appId} (AppInstance)`), rate.headers)
      if (method === 'GET' && parts.length === 5) return pageOf(res, url, assigned, 500, rate.headers)
      if (method === 'DELETE' && parts.length === 6) {
        const index = assigned.findIndex((u) => u.id === parts[5])
        if (index < 0) return send(res, 404, errorBody(404, `Not found: Resource not found: ${parts[5]} (AppUser)`), rate.headers)
        if (assigned[index]?.scope === 'GROUP') {
          return send(res, 403, { ...errorBody(403), errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorCauses: [{ errorSummary: 'The user is assigned to this application through a group' }] }, rate.headers)
        }
        assigned.splice(index, 1)
        res.writeHead(204, rate.headers)
        return void res.end()
      }
    }
    if (method === 'GET' && url.pathname === '/api/v1/logs') {
      if (options.logDelayMs) await sleep(options.logDelayMs)
      const since = url.searchParams.get('since')
      const until = url.searchParams.get('until')
      let filter: (e: OktaLogEvent) => boolean
      try {
        filter = logFilter(url.searchParams.get('filter'))
      } catch (error) {
        return send(res, 400, errorBody(400, (error as Error).message), rate.headers)
      }
      const events = fake.logs
        .filter((e) => (!since || e.published >= since) && (!until || e.published < until) && filter(e))
        .sort((a, b) => a.published.localeCompare(b.published))
      // A polling request (no `until`) always gets a next link, even when it has caught up.
      return pageOf(res, url, events, 1000, rate.headers, !until)
    }
    send(res, 404, errorBody(404, `Not found: Resource not found: ${url.pathname}`), rate.headers)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody(500, String(error)))
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return fake
}

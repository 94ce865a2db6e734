import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GoogleActivity } from '../map-activity.js'
import type { GoogleToken, GoogleUser } from '../map-directory.js'

/** What the fake tenant holds; activities in any order (served newest first, as the Reports API does). */
export interface FakeTenant {
  users: GoogleUser[]
  tokens: Map<string, GoogleToken[]>
  activities: { login: GoogleActivity[]; saml: GoogleActivity[]; token: GoogleActivity[]; chrome?: GoogleActivity[] }
}

/** A scripted failure: the next `times` requests matching `path` get it instead of the real answer. */
export interface Fault {
  method?: string
  path: RegExp
  times: number
  status?: number
  retryAfter?: string
  body?: unknown
  /** `before`: destroy the socket without answering; `mid`: send headers and half a body, then destroy it. */
  reset?: 'before' | 'mid'
}

export interface LoggedRequest {
  method: string
  path: string
  query: URLSearchParams
  status: number
}

/** Google's JSON error envelope, as the Admin SDK APIs send it. */
export function googleErrorBody(code: number, status: string, message: string, reason: string): unknown {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status } }
}

export const ERRORS = {
  unauthenticated: () =>
    googleErrorBody(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'authError'),
  insufficientScopes: () => googleErrorBody(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', 'insufficientPermissions'),
  notAuthorized: () => googleErrorBody(403, 'PERMISSION_DENIED', 'Not Authorized to access this resource/api', 'forbidden'),
  rateLimited: () => googleErrorBody(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.", 'rateLimitExceeded'),
  unavailable: () => googleErrorBody(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'backendError'),
  userNotFound: () => googleErrorBody(404, 'NOT_FOUND', 'Resource Not Found: userKey', 'notFound'),
}

const SCOPE = {
  users: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  userWrite: 'https://www.googleapis.com/auth/admin.directory.user',
  security: 'https://www.googleapis.com/auth/admin.directory.user.security',
  reports: 'https://www.googleapis.com/auth/admin.reports.audit.readonly',
}

export interface FakeGoogleOptions {
  tenant: FakeTenant
  /** Access tokens accepted as-is, with the scopes each carries. */
  accessTokens?: Record<string, readonly string[]>
  /** The service account the token endpoint accepts JWT assertions from, with its public key. */
  serviceAccount?: { clientEmail: string; publicKeyPem: string; subject: string; delegatedScopes: readonly string[] }
  usersPageSize?: number
  activitiesPageSize?: number
}

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>
}

/**
 * A local stand-in for admin.googleapis.com and oauth2.googleapis.com/token that speaks their wire format:
 * users.list paging, tokens.list/delete, activities.list paging with startTime and eventName, Google error
 * bodies, and the JWT-bearer grant of a service account with domain-wide delegation.
 */
export class FakeGoogle {
  readonly requests: LoggedRequest[] = []
  readonly faults: Fault[] = []
  /** Scopes asked for in each JWT assertion the token endpoint saw. */
  readonly requestedScopes: string[][] = []
  private readonly tokens = new Map<string, readonly string[]>()
  private publicKey: KeyObject | null
  private server: Server | null = null
  url = ''

  constructor(private readonly options: FakeGoogleOptions) {
    for (const [token, scopes] of Object.entries(options.accessTokens ?? {})) this.tokens.set(token, scopes)
    this.publicKey = options.serviceAccount ? createPublicKey(options.serviceAccount.publicKeyPem) : null
  }

  get tenant(): FakeTenant {
    return this.options.tenant
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, { error: { code: 500, message: String(error), status: 'INTERNAL' } })
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`
    return this
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }

  /** Trusts a service account's key for the JWT-bearer grant (its key file names this fake's URL, so it comes after start). */
  trustServiceAccount(serviceAccount: NonNullable<FakeGoogleOptions['serviceAccount']>): void {
    this.options.serviceAccount = serviceAccount
    this.publicKey = createPublicKey(serviceAccount.publicKeyPem)
  }

  addFault(fault: Fault): void {
    this.faults.push(fault)
  }

  /** Requests whose path matches, e.g. to count how often the client asked. */
  count(path: RegExp, method = 'GET'): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers })
    res.end(JSON.stringify(body))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const method = req.method ?? 'GET'
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const log: LoggedRequest = { method, path: url.pathname, query: url.searchParams, status: 0 }
    this.requests.push(log)
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      log.status = status
      this.json(res, status, payload, headers)
    }

    const fault = this.faults.find((f) => f.times > 0 && f.path.test(url.pathname) && (!f.method || f.method === method))
    if (fault) {
      fault.times -= 1
      if (fault.reset === 'before') {
        log.status = -1
        req.socket.destroy()
        return
      }
      if (fault.reset === 'mid') {
        log.status = -1
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': '100000' })
        res.write('{"kind":"admin#directory#users","users":[{"kind":"admin#directory#user","id":"')
        setTimeout(() => req.socket.destroy(), 10)
        return
      }
      const status = fault.status ?? 503
      const defaultBody = status === 429 ? ERRORS.rateLimited() : status === 401 ? ERRORS.unauthenticated() : status === 403 ? ERRORS.notAuthorized() : ERRORS.unavailable()
      send(status, fault.body ?? defaultBody, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {})
      return
    }

    if (method === 'POST' && url.pathname === '/token') return this.issueToken(body, send)

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')
    const scopes = auth ? this.tokens.get(auth[1] as string) : undefined
    if (!scopes) return send(401, ERRORS.unauthenticated(), { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' })
    const need = (...anyOf: string[]) => anyOf.some((s) => scopes.includes(s))

    let m: RegExpExecArray | null
    if (method === 'GET' && url.pathname === '/admin/directory/v1/users') {
      if (!need(SCOPE.users, SCOPE.userWrite)) return send(403, ERRORS.insufficientScopes())
      return send(200, this.page('admin#directory#users', 'users', this.tenant.users, url.searchParams, this.options.usersPageSize ?? 500))
    }
    if ((m = /^\/admin\/directory\/v1\/users\/([^/]+)\/tokens$/.exec(url.pathname)) && method === 'GET') {
      if (!need(SCOPE.security)) return send(403, ERRORS.insufficientScopes())
      const user = this.findUser(decodeURIComponent(m[1] as string))
      if (!user) return send(404, ERRORS.userNotFound())
      const items = this.tenant.tokens.get(user.id as string) ?? []
      return send(200, { kind: 'admin#directory#tokenList', etag: '"fake"', ...(items.length > 0 ? { items } : {}) })
    }
    if ((m = /^\/admin\/directory\/v1\/users\/([^/]+)\/tokens\/([^/]+)$/.exec(url.pathname)) && method === 'DELETE') {
      if (!need(SCOPE.security)) return send(403, ERRORS.insufficientScopes())
      const user = this.findUser(decodeURIComponent(m[1] as string))
      const clientId = decodeURIComponent(m[2] as string)
      const list = user ? this.tenant.tokens.get(user.id as string) ?? [] : []
      const at = list.findIndex((t) => t.clientId === clientId)
      if (!user || at === -1) return send(404, googleErrorBody(404, 'NOT_FOUND', 'Resource Not Found: clientId', 'notFound'))
      list.splice(at, 1)
      log.status = 204
      res.writeHead(204)
      res.end()
      return
    }
    if ((m = /^\/admin\/reports\/v1\/activity\/users\/all\/applications\/([a-z_]+)$/.exec(url.pathname)) && method === 'GET') {
      if (!need(SCOPE.reports)) return send(403, ERRORS.insufficientScopes())
      const app = m[1] as keyof FakeTenant['activities']
      const startTime = url.searchParams.get('startTime')
      const eventName = url.searchParams.get('eventName')
      const all = (this.tenant.activities[app] ?? [])
        .filter((a) => !startTime || (a.id?.time ?? '') >= startTime)
        .filter((a) => !eventName || (a.events ?? []).some((e) => e.name === eventName))
        .sort((a, b) => (b.id?.time ?? '').localeCompare(a.id?.time ?? ''))
      const maxResults = Math.min(Number(url.searchParams.get('maxResults') ?? 1000), this.options.activitiesPageSize ?? 1000)
      return send(200, this.page('admin#reports#activities', 'items', all, url.searchParams, maxResults))
    }
    send(404, googleErrorBody(404, 'NOT_FOUND', `fake google: no route for ${method} ${url.pathname}`, 'notFound'))
  }

  private findUser(key: string): GoogleUser | undefined {
    return this.tenant.users.find((u) => u.id === key || u.primaryEmail?.toLowerCase() === key.toLowerCase())
  }

  private page(kind: string, field: string, all: readonly unknown[], query: URLSearchParams, pageSize: number): Record<string, unknown> {
    const size = Math.max(1, Math.min(pageSize, Number(query.get('maxResults') ?? pageSize)))
    const token = query.get('pageToken')
    const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace('offset:', '')) : 0
    const slice = all.slice(start, start + size)
    const next = start + size < all.length ? Buffer.from(`offset:${start + size}`).toString('base64url') : null
    return { kind, etag: '"fake"', ...(slice.length > 0 ? { [field]: slice } : {}), ...(next ? { nextPageToken: next } : {}) }
  }

  /** The JWT-bearer grant: verify the assertion's signature, issuer, subject and delegated scopes. */
  private issueToken(body: string, send: (status: number, payload: unknown) => void): void {
    const form = new URLSearchParams(body)
    const sa = this.options.serviceAccount
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !sa || !this.publicKey) {
      return send(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' })
    }
    const [head, payload, signature] = (form.get('assertion') ?? '').split('.')
    if (!head || !payload || !signature) return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT' })
    const verify = createVerify('RSA-SHA256')
    verify.update(`${head}.${payload}`)
    if (!verify.verify(this.publicKey, Buffer.from(signature, 'base64url'))) return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' })
    const claims = decodeSegment(payload)
    if (claims.iss !== sa.clientEmail) return send(400, { error: 'invalid_grant', error_description: 'Invalid issuer' })
    if (claims.sub !== sa.subject) return send(400, { error: 'invalid_grant', error_description: 'Invalid email or User ID' })
    const scopes = String(claims.scope ?? '').split(' ').filter(Boolean)
    this.requestedScopes.push(scopes)
    if (scopes.length === 0 || scopes.some((s) => !sa.delegatedScopes.includes(s))) {
      return send(401, { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' })
    }
    const accessToken = `ya29.fake-${randomBytes(12).toString('hex')}`
    this.tokens.set(accessToken, scopes)
    send(200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' })
  }
}

import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GraphAppRoleAssignment, GraphOAuth2PermissionGrant, GraphServicePrincipal, GraphSignIn, GraphUser } from '../graph-types.js'
import { makeLocalhostCertificate } from './tls.js'

// A local stand-in for login.microsoftonline.com and graph.microsoft.com speaking their wire formats:
// OpenID metadata, the client-credentials token endpoint and its AADSTS errors, Graph JSON pages with
// absolute https @odata.nextLink, Graph error bodies, Retry-After, and socket resets.

export interface FakeTenantData {
  tenantId: string
  /** Users with `manager` filled in; the fake drops it unless the request asks for $expand=manager. */
  users: GraphUser[]
  servicePrincipals: GraphServicePrincipal[]
  grants: GraphOAuth2PermissionGrant[]
  assignments: GraphAppRoleAssignment[]
  signIns: GraphSignIn[]
}

export interface FakeClient {
  clientId: string
  secret?: string
  /** Accept a signed client assertion (certificate credential) for this client. */
  certificate?: boolean
  /** Application permissions (the token's `roles`). */
  roles: readonly string[]
}

export interface FaultRule {
  method?: string
  /** Matched against the path, e.g. /v1.0/users or /v1.0/servicePrincipals/{id}/appRoleAssignedTo. */
  path: RegExp
  /** How many matching requests fail (default 1). */
  times?: number
  status?: number
  headers?: Record<string, string>
  body?: unknown
  /** Send the headers and part of the body, then destroy the socket. */
  reset?: boolean
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  status: number
}

export interface FakeGraph {
  /** https://localhost:PORT — both the authority host and the Graph base URL. */
  readonly url: string
  /** The self-signed certificate clients must trust. */
  readonly ca: string
  readonly data: FakeTenantData
  readonly requests: RecordedRequest[]
  tokensIssued(): number
  fail(rule: FaultRule): void
  /** Every token issued so far is now rejected with 401 InvalidAuthenticationToken. */
  expireTokens(): void
  close(): Promise<void>
}

const MAX_PAGE = 999

function graphError(code: string, message: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal', 'request-id': randomUUID(), ...headers })
  res.end(status === 204 ? undefined : text)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function decodeJwtPart(part: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}

export async function startFakeGraph(data: FakeTenantData, clients: readonly FakeClient[], options: { maxPageSize?: number } = {}): Promise<FakeGraph> {
  const { cert, key } = await makeLocalhostCertificate()
  const tokens = new Map<string, { roles: ReadonlySet<string>; expired: boolean }>()
  const faults: (FaultRule & { left: number })[] = []
  const requests: RecordedRequest[] = []
  const pageCap = Math.min(MAX_PAGE, options.maxPageSize ?? MAX_PAGE)
  let base = ''

  function page<T>(res: ServerResponse, path: string, query: Record<string, string>, items: readonly T[]): void {
    const offset = query.$skiptoken ? Number(Buffer.from(query.$skiptoken, 'base64url').toString('utf8')) : 0
    const size = Math.min(pageCap, query.$top ? Number(query.$top) : 100)
    const slice = items.slice(offset, offset + size)
    const body: Record<string, unknown> = { '@odata.context': `${base}/v1.0/$metadata#${path.split('/').pop()}`, value: slice }
    if (offset + size < items.length) {
      const rest = Object.entries(query).filter(([k]) => k !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      rest.push(`$skiptoken=${Buffer.from(String(offset + size)).toString('base64url')}`)
      body["@odata.nextLink"] = `${base}${path}?${rest.join("&")}`
    }
    send(res, 200, body)
  }

  function select<T extends object>(item: T, query: Record<string, string>): Partial<T> {
    const fields = query.$select?.split(',').map((f) => f.trim())
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(item)) if (!fields || fields.includes(k) || k === 'id') out[k] = v
    return out as Partial<T>
  }

  const permissionsFor = (method: string, path: string): string[] | null => {
    if (method === 'GET' && path === '/v1.0/organization') return ['Directory.Read.All', 'Organization.Read.All']
    if (method === 'GET' && path === '/v1.0/users') return ['User.Read.All', 'Directory.Read.All']
    if (method === 'GET' && /^\/v1\.0\/servicePrincipals(\/[^/]+(\/appRoleAssignedTo)?)?$/.test(path)) return ['Application.Read.All', 'Directory.Read.All']
    if (method === 'GET' && /^\/v1\.0\/(servicePrincipals\/[^/]+\/)?oauth2PermissionGrants$/.test(path)) return ['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.Read.All']
    if (method === 'GET' && path === '/v1.0/auditLogs/signIns') return ['AuditLog.Read.All']
    if (method === 'DELETE' && /^\/v1\.0\/oauth2PermissionGrants\/[^/]+$/.test(path)) return ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All']
    if (method === 'DELETE' && /^\/v1\.0\/servicePrincipals\/[^/]+\/appRoleAssignedTo\/[^/]+$/.test(path)) return ['AppRoleAssignment.ReadWrite.All']
    return null
  }

  async function identity(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const meta = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path)
    if (req.method === 'GET' && meta) {
      const t = meta[1]
      send(res, 200, {
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/${t}/v2.0`,
        authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      })
      return true
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)
    if (req.method === 'POST' && token) {
      const form = new URLSearchParams(await readBody(req))
      const client = clients.find((c) => c.clientId === form.get('client_id'))
      const aadError = (status: number, error: string, code: number, description: string) =>
        send(res, status, { error, error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`, error_codes: [code], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() })
      if (token[1] !== data.tenantId) return aadError(400, 'invalid_request', 90002, `Tenant '${token[1]}' not found.`), true
      if (!client) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory.`), true
      if (form.get('grant_type') !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'), true
      const assertion = form.get('client_assertion')
      if (assertion) {
        const claims = decodeJwtPart(assertion.split('.')[1])
        if (!client.certificate || claims.iss !== client.clientId || claims.sub !== client.clientId) {
          return aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.'), true
        }
      } else if (!client.secret || form.get('client_secret') !== client.secret) {
        return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.'), true
      }
      const accessToken = randomBytes(24).toString('base64url')
      tokens.set(accessToken, { roles: new Set(client.roles), expired: false })
      send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken })
      return true
    }
    return false
  }

  function graph(req: IncomingMessage, res: ServerResponse, path: string, query: Record<string, string>): void {
    const method = req.method ?? 'GET'
    const needed = permissionsFor(method, path)
    if (!needed) return send(res, 400, graphError('BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`))
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')
    const token = auth ? tokens.get(auth[1]!) : undefined
    if (!token) return send(res, 401, graphError('InvalidAuthenticationToken', auth ? 'Invalid JWT token.' : 'Access token is empty.'))
    if (token.expired) return send(res, 401, graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'))
    if (!needed.some((p) => token.roles.has(p))) return send(res, 403, graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'))

    const segments = path.split('/').slice(2)
    const notFound = (id: string) => send(res, 404, graphError('Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`))
    if (path === '/v1.0/organization') return page(res, path, query, [{ id: data.tenantId, displayName: 'Fake Tenant' }])
    if (path === '/v1.0/users') {
      const expand = query.$expand?.startsWith('manager') ?? false
      return page(res, path, query, data.users.map((u) => {
        const { manager, ...rest } = u
        const selected = select(rest, query)
        return expand ? { ...selected, manager: manager ?? null } : selected
      }))
    }
    if (path === '/v1.0/auditLogs/signIns') {
      const ge = /createdDateTime ge (\S+)/.exec(query.$filter ?? '')?.[1]
      const since = ge ? Date.parse(ge) : -Infinity
      // Newest first, as Graph returns sign-ins.
      const items = data.signIns.filter((s) => Date.parse(s.createdDateTime) >= since).sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime))
      return page(res, path, query, items)
    }
    if (segments[0] === 'servicePrincipals') {
      if (segments.length === 1) {
        const byAppId = /^appId eq '([^']+)'$/.exec(query.$filter ?? '')?.[1]
        const items = byAppId ? data.servicePrincipals.filter((s) => s.appId === byAppId) : data.servicePrincipals
        return page(res, path, query, items.map((s) => select(s, query)))
      }
      const sp = data.servicePrincipals.find((s) => s.id === segments[1])
      if (!sp) return notFound(segments[1]!)
      if (segments.length === 2) return send(res, 200, select(sp, query))
      if (segments[2] === 'appRoleAssignedTo' && method === 'GET') return page(res, path, query, data.assignments.filter((a) => a.resourceId === sp.id))
      if (segments[2] === 'oauth2PermissionGrants') return page(res, path, query, data.grants.filter((g) => g.clientId === sp.id))
      if (segments[2] === 'appRoleAssignedTo' && method === 'DELETE') {
        const i = data.assignments.findIndex((a) => a.id === segments[3] && a.resourceId === sp.id)
        if (i < 0) return notFound(segments[3]!)
        data.assignments.splice(i, 1)
        return send(res, 204, undefined)
      }
    }
    if (segments[0] === 'oauth2PermissionGrants') {
      if (method === 'GET') return page(res, path, query, data.grants)
      const i = data.grants.findIndex((g) => g.id === segments[1])
      if (i < 0) return notFound(segments[1]!)
      data.grants.splice(i, 1)
      return send(res, 204, undefined)
    }
    send(res, 400, graphError('BadRequest', `Unsupported request ${method} ${path}`))
  }

  const server: Server = createServer({ cert, key }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base)
      const path = decodeURIComponent(url.pathname)
      const query: Record<string, string> = {}
      for (const [k, v] of url.searchParams) query[k] = v
      const record: RecordedRequest = { method: req.method ?? 'GET', path, query, status: 0 }
      requests.push(record)
      res.on('finish', () => (record.status = res.statusCode))
      const fault = faults.find((f) => f.left > 0 && f.path.test(path) && (!f.method || f.method === req.method))
      if (fault) {
        fault.left -= 1
        if (fault.reset) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' })
          res.write('{"value":[{"id":"')
          setTimeout(() => res.socket?.destroy(), 10)
          record.status = -1
          return
        }
        return send(res, fault.status ?? 500, fault.body ?? graphError('UnknownError', 'fault injected'), fault.headers)
      }
      if (await identity(req, res, path)) return
      if (path.startsWith('/v1.0/')) return graph(req, res, path, query)
      send(res, 404, graphError('NotFound', `no route ${path}`))
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, graphError('FakeFailure', (error as Error).message))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `https://localhost:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    ca: cert,
    data,
    requests,
    tokensIssued: () => tokens.size,
    fail(rule) {
      faults.push({ ...rule, left: rule.times ?? 1 })
    },
    expireTokens() {
      for (const t of tokens.values()) t.expired = true
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

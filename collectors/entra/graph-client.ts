import { rootCertificates } from 'node:tls'
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity'
import { AuthenticationHandler, Client, HTTPMessageHandler, TelemetryHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client'
import { CollectorError } from '../sdk/errors.js'
import { DEFAULT_AUTHORITY_HOST, DEFAULT_GRAPH_BASE_URL, type EntraConfig, type EntraPermission } from './config.js'
import { describeNetworkFailure, GraphNetworkError, GraphTokenError, toCollectorError } from './graph-errors.js'
import { registerSecrets } from '../sdk/redact.js'

/** How to reach Graph and the token endpoint beyond the config: a TLS-inspecting proxy's CA, or a test fake's. */
export interface EntraConnection {
  /** Merged into every Graph request's fetch options (e.g. an undici `dispatcher` that trusts another CA). */
  fetchOptions?: Record<string, unknown>
  /** PEM certificate(s) the token client trusts besides the public roots. */
  ca?: string
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

/**
 * Sits before the SDK's fetch: reads the whole body here so a connection reset mid-page surfaces as a
 * network error (retryable) instead of a JSON failure on a 200, and keeps the socket-level cause.
 */
class BufferingTransport implements Middleware {
  private next: Middleware | undefined
  setNext(next: Middleware): void {
    this.next = next
  }
  async execute(context: Context): Promise<void> {
    try {
      await this.next!.execute(context)
      const r = context.response!
      const body = NULL_BODY_STATUS.has(r.status) ? null : await r.arrayBuffer()
      context.response = new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers })
    } catch (error) {
      throw error instanceof GraphNetworkError ? error : describeNetworkFailure(error)
    }
  }
}

function trimOrigin(url: string): string {
  return url.replace(/\/+$/, '')
}

export function createEntraCredential(config: EntraConfig, connection: EntraConnection = {}): TokenCredential {
  const authorityHost = trimOrigin(config.authorityHost ?? DEFAULT_AUTHORITY_HOST)
  const options = {
    authorityHost,
    // Instance discovery asks login.microsoftonline.com about the authority; a sovereign or private host answers for itself.
    disableInstanceDiscovery: authorityHost !== DEFAULT_AUTHORITY_HOST,
    ...(connection.ca ? { tlsOptions: { ca: [...rootCertificates, connection.ca] } } : {}),
  }
  if (config.certificatePath) {
    return new ClientCertificateCredential(config.tenantId, config.clientId, { certificatePath: config.certificatePath }, options)
  }
  if (!config.clientSecret) throw new CollectorError('invalid-config', 'entra: create credential: neither a client secret nor a certificate is configured')
  return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, options)
}

function tokenFailure(error: unknown): GraphTokenError {
  const status = (error as { statusCode?: unknown }).statusCode
  const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error)
  const transient = (typeof status === 'number' && (status >= 500 || status === 429)) || describeNetworkFailure(error).transient
  return new GraphTokenError(transient, message, { cause: error })
}

/** A Graph client as Sightline uses it: our retry-free middleware chain and a permission check per call. */
export interface GraphSession {
  readonly client: Client
  readonly baseUrl: string
  /** Permissions the calls made so far needed (for the "every permission used is declared" test). */
  readonly usedPermissions: ReadonlySet<string>
  get<T>(pathOrUrl: string, permission: EntraPermission, action: string, signal?: AbortSignal): Promise<T>
  delete(path: string, permission: EntraPermission, action: string, signal?: AbortSignal): Promise<void>
}

/**
 * The middleware chain is built without the SDK's RetryHandler (and RedirectHandler): the runner owns
 * retries, so a 429 or 503 must reach it as an error rather than be retried, or swallowed, in here.
 */
export function createGraphSession(config: EntraConfig, declared: readonly string[], connection: EntraConnection = {}, credential?: TokenCredential): GraphSession {
  const baseUrl = trimOrigin(config.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL)
  const cred = credential ?? createEntraCredential(config, connection)
  const scope = `${baseUrl}/.default`
  const authProvider = {
    async getAccessToken(): Promise<string> {
      try {
        const token = await cred.getToken(scope)
        if (!token) throw new Error('the credential returned no token')
        registerSecrets(token.token)
        return token.token
      } catch (error) {
        throw tokenFailure(error)
      }
    },
  }
  const middleware: Middleware[] = [new AuthenticationHandler(authProvider), new TelemetryHandler(), new BufferingTransport(), new HTTPMessageHandler()]
  const client = Client.initWithMiddleware({
    middleware,
    baseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(baseUrl).hostname]),
    ...(connection.fetchOptions ? { fetchOptions: connection.fetchOptions as never } : {}),
  })
  const declaredSet = new Set(declared)
  const used = new Set<string>()
  const check = (permission: EntraPermission, action: string) => {
    if (!declaredSet.has(permission)) throw new CollectorError('invalid-config', `entra: ${action}: uses ${permission}, which the manifest does not declare`)
    used.add(permission)
  }
  return {
    client,
    baseUrl,
    usedPermissions: used,
    async get<T>(pathOrUrl: string, permission: EntraPermission, action: string, signal?: AbortSignal): Promise<T> {
      check(permission, action)
      try {
        const request = client.api(pathOrUrl)
        if (signal) request.options({ signal })
        return (await request.get()) as T
      } catch (error) {
        throw toCollectorError(error, action)
      }
    },
    async delete(path: string, permission: EntraPermission, action: string, signal?: AbortSignal): Promise<void> {
      check(permission, action)
      try {
        const request = client.api(path)
        if (signal) request.options({ signal })
        await request.delete()
      } catch (error) {
        throw toCollectorError(error, action)
      }
    },
  }
}

import type { Hono } from 'hono'
import type { KeyObject } from 'node:crypto'
import type { Store } from '../data/connection.js'
import type { Role, UiSession, UiUser } from '../data/tables/auth.table.js'
import type { SessionPolicy } from '../data/ui-sessions.js'
import type { LoginRateLimit } from '../data/ui-login-attempts.js'
import type { CampaignUiDeps } from './campaigns/deps.js'
import type { SpendUploadRunner } from './uploads/spend-upload-runner.js'

/** JSON-line logger: event name first, then fields. Never a token, a password or a whole request. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
}

export interface Clock {
  /** Now, as UTC ISO-8601 text. */
  now(): string
}

export const systemClock: Clock = { now: () => new Date().toISOString() }

export const jsonLineLogger = (write: (line: string) => void): Logger => ({
  info: (event, fields) => write(`${JSON.stringify({ event, at: new Date().toISOString(), ...fields })}\n`),
  error: (event, fields) => write(`${JSON.stringify({ event, level: 'error', at: new Date().toISOString(), ...fields })}\n`),
})

export const silentLogger: Logger = { info: () => {}, error: () => {} }

/** Single sign-on settings (from the environment, read by scripts/). */
export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string | null
  /** Where the issuer sends the browser back: `${publicUrl}/auth/oidc/callback`. */
  redirectUri: string
  /** Plain http issuers are refused unless this is set (local test issuers). */
  allowInsecureIssuer?: boolean
}

/** Frozen settings for the web app; `scripts/` builds them from flags and environment. */
export interface UiConfig {
  /** Set the cookie `Secure` (and use the `__Host-` prefix): true when served over TLS. */
  secureCookies: boolean
  session: SessionPolicy
  loginRateLimit: LoginRateLimit
  /** Largest statement upload accepted, in bytes. */
  maxUploadBytes: number
  oidc: OidcConfig | null
  /** Directory of saved spend column mappings (`sightline import spend --save-profile`). */
  profileDir: string
  /** Origins allowed to post forms, besides the request's own (e.g. the public URL behind a proxy). */
  trustedOrigins: readonly string[]
}

export interface UiDeps {
  store: Store
  config: UiConfig
  clock?: Clock
  logger?: Logger
  /** The resolver, for mapping identifiers from the web app (the same one `sightline apps map` uses). */
  loadResolver?: unknown
  /** Runs statement uploads off the request path (default: in this process, one at a time). */
  jobs?: SpendUploadRunner
  /** The client's address for rate limiting; defaults to the socket's remote address. */
  clientAddress?: (request: Request, env: unknown) => string | null
  /** Evidence downloads: the manifest signing key and the Chromium that prints report.pdf (no PDF when absent). */
  evidence?: { signingKey?: KeyObject; pdf?: false | { executablePath?: string } }
  /** Campaign mail (SMTP; absent: the outbox is shown) and remediation dispatch to the collectors. */
  campaigns?: CampaignUiDeps
  /**
   * Sub-apps with their own bearer-token authentication (the browser extension's telemetry ingest), mounted before
   * the session and CSRF layers: a device posts with a token, never with a cookie.
   */
  machineRoutes?: ReadonlyArray<Hono<any>>
}

export interface SignedIn {
  user: UiUser
  session: UiSession
  csrfToken: string
}

/** The deps with their defaults filled in. */
export type ResolvedDeps = UiDeps & Required<Pick<UiDeps, 'clock' | 'logger' | 'clientAddress' | 'jobs'>>

/** What middleware puts on the context, typed for every handler. */
export interface AppEnv {
  Variables: {
    requestId: string
    deps: ResolvedDeps
    auth: SignedIn | null
  }
}

export type { Role }

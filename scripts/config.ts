import { readFileSync } from 'node:fs'
import { DEFAULT_DATABASE_URL } from '../data/database-url.js'
import { ENTRA_CONFIG_FIELDS } from '../collectors/entra/config.js'
import { GOOGLE_CONFIG_FIELDS } from '../collectors/google-workspace/config.js'
import { OKTA_CONFIG_FIELDS } from '../collectors/okta/config.js'
import { registerSecrets } from '../collectors/sdk/redact.js'
import { DEFAULT_LOGIN_RATE_LIMIT } from '../data/login-rate-limit.js'
import type { UiConfig } from '../review-ui/env.js'

/** Everything Sightline reads from the environment, declared once (docs and `.env.example` come from here). */
export const CONFIG_FIELDS = [
  { key: 'databaseUrl', env: 'SIGHTLINE_DATABASE_URL', description: 'Inventory database: a SQLite file path / sqlite:PATH, or postgres://… (a password in the URL is a secret)', default: DEFAULT_DATABASE_URL, secret: false },
  { key: 'writeWaitSeconds', env: 'SIGHTLINE_WRITE_WAIT_SECONDS', description: 'SQLite: how long a command waits for another import (or any writer) to finish before it gives up', default: '900', secret: false },
  { key: 'signinRetentionDays', env: 'SIGHTLINE_SIGNIN_RETENTION_DAYS', description: 'Days `sightline db prune` keeps raw sign-in events (daily rollups are kept for good)', default: '400', secret: false },
  { key: 'profileDir', env: 'SIGHTLINE_PROFILE_DIR', description: 'Where `sightline import spend --save-profile` keeps named column mappings', default: './data/profiles', secret: false },
  { key: 'evidenceSigningKey', env: 'SIGHTLINE_EVIDENCE_SIGNING_KEY', description: 'Ed25519 private key (PKCS#8 PEM text, or the path of a PEM file) that signs the manifest of evidence exports', default: undefined, secret: true },
  { key: 'testPostgresUrl', env: 'SIGHTLINE_TEST_POSTGRES_URL', description: 'PostgreSQL the test suite uses (each test makes and drops a schema of its own)', default: 'postgres://postgres@127.0.0.1:5432/test', secret: false },
  { key: 'publicUrl', env: 'SIGHTLINE_PUBLIC_URL', description: 'The web app\'s address as browsers see it (https://… turns on Secure cookies and HSTS); default http://HOST:PORT', default: '', secret: false },
  { key: 'oidcIssuer', env: 'SIGHTLINE_OIDC_ISSUER', description: 'Single sign-on: the OpenID Connect issuer URL (discovery at /.well-known/openid-configuration); empty = password sign-in only', default: '', secret: false },
  { key: 'oidcClientId', env: 'SIGHTLINE_OIDC_CLIENT_ID', description: 'Single sign-on: the client id registered with the issuer', default: '', secret: false },
  { key: 'oidcClientSecret', env: 'SIGHTLINE_OIDC_CLIENT_SECRET', description: 'Single sign-on: the client secret (empty for a public client using PKCE only)', default: '', secret: true },
  { key: 'sessionIdleMinutes', env: 'SIGHTLINE_SESSION_IDLE_MINUTES', description: 'Web sessions end after this many minutes without use', default: '480', secret: false },
  { key: 'sessionAbsoluteHours', env: 'SIGHTLINE_SESSION_ABSOLUTE_HOURS', description: 'Web sessions end this many hours after sign-in, used or not', default: '168', secret: false },
  { key: 'maxUploadMegabytes', env: 'SIGHTLINE_MAX_UPLOAD_MB', description: 'Largest statement upload the web app accepts, in MB', default: '50', secret: false },
  { key: 'fromSource', env: 'SIGHTLINE_FROM_SOURCE', description: 'Set to 1 and the `sightline` bin runs the TypeScript sources through tsx even when the build in dist/ is current (read by scripts/bin/sightline.js)', default: '', secret: false },
] as const

export interface AppConfig {
  readonly databaseUrl: string
  /** SQLite: the longest a write waits for another process's write. */
  readonly writeWaitMs: number
}

/** Builds the frozen configuration; a command-line flag beats the environment, which beats the default. */
export function loadConfig(flags: { db?: string } = {}, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = flags.db ?? env.SIGHTLINE_DATABASE_URL ?? DEFAULT_DATABASE_URL
  return Object.freeze({ databaseUrl, writeWaitMs: positiveInt(env, 'SIGHTLINE_WRITE_WAIT_SECONDS', 900) * 1000 })
}

/**
 * Registers every secret the environment configures, so no message printed or stored can carry one: the secret
 * fields of each source (file paths name where a key is, they are not the key) and a database URL's password.
 */
export function registerConfiguredSecrets(env: NodeJS.ProcessEnv = process.env): void {
  for (const field of [...CONFIG_FIELDS, ...OKTA_CONFIG_FIELDS, ...ENTRA_CONFIG_FIELDS, ...GOOGLE_CONFIG_FIELDS]) {
    const value = env[field.env]
    if (field.secret && !/_(PATH|FILE)$/.test(field.env) && !/^\.{0,2}\//.test(value ?? '')) registerSecrets(value)
  }
  const url = env.SIGHTLINE_DATABASE_URL
  const password = url ? /^[a-z][a-z0-9+.-]*:\/\/[^:/@]+:([^@]*)@/i.exec(url)?.[1] : undefined
  if (password) registerSecrets(password, decodeURIComponent(password))
}

/** The evidence signing key's PEM text from SIGHTLINE_EVIDENCE_SIGNING_KEY (the PEM itself, or a file path), or null. */
export function evidenceSigningKeyText(env: NodeJS.ProcessEnv = process.env, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): { text: string; from: string } | null {
  const value = env.SIGHTLINE_EVIDENCE_SIGNING_KEY?.trim()
  if (!value) return null
  if (value.startsWith('-----BEGIN')) return { text: value, from: 'SIGHTLINE_EVIDENCE_SIGNING_KEY' }
  try {
    return { text: read(value), from: `SIGHTLINE_EVIDENCE_SIGNING_KEY file ${value}` }
  } catch (cause) {
    throw new Error(`config: SIGHTLINE_EVIDENCE_SIGNING_KEY: cannot read the key file ${value}: ${(cause as Error).message}`, { cause })
  }
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`config: ${name}=${raw}: expected a whole number above 0`)
  return n
}

/** The web app's frozen settings, from the environment and the serve flags. */
export function loadUiConfig(listen: { host: string; port: number }, env: NodeJS.ProcessEnv = process.env): UiConfig {
  const publicUrl = (env.SIGHTLINE_PUBLIC_URL ?? '').trim().replace(/\/+$/, '')
  if (publicUrl !== '' && !/^https?:\/\/[^/]+$/.test(publicUrl)) throw new Error(`config: SIGHTLINE_PUBLIC_URL=${publicUrl}: expected http(s)://host[:port], no path`)
  const secure = publicUrl.startsWith('https://')
  const issuer = (env.SIGHTLINE_OIDC_ISSUER ?? '').trim()
  const clientId = (env.SIGHTLINE_OIDC_CLIENT_ID ?? '').trim()
  if ((issuer === '') !== (clientId === '')) throw new Error('config: single sign-on needs both SIGHTLINE_OIDC_ISSUER and SIGHTLINE_OIDC_CLIENT_ID')
  const base = publicUrl || `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`
  return Object.freeze({
    secureCookies: secure,
    session: Object.freeze({ idleMinutes: positiveInt(env, 'SIGHTLINE_SESSION_IDLE_MINUTES', 480), absoluteHours: positiveInt(env, 'SIGHTLINE_SESSION_ABSOLUTE_HOURS', 168) }),
    loginRateLimit: DEFAULT_LOGIN_RATE_LIMIT,
    maxUploadBytes: positiveInt(env, 'SIGHTLINE_MAX_UPLOAD_MB', 50) * 1024 * 1024,
    oidc: issuer === '' ? null : Object.freeze({
      issuer, clientId, clientSecret: env.SIGHTLINE_OIDC_CLIENT_SECRET || null, redirectUri: `${base}/auth/oidc/callback`,
      allowInsecureIssuer: issuer.startsWith('http://127.0.0.1') || issuer.startsWith('http://localhost'),
    }),
    profileDir: env.SIGHTLINE_PROFILE_DIR ?? './data/profiles',
    trustedOrigins: publicUrl ? [publicUrl] : [],
  })
}

import { readFileSync } from 'node:fs'
import { DEFAULT_DATABASE_URL } from '../data/connection.js'

/** Everything Sightline reads from the environment, declared once (docs and `.env.example` come from here). */
export const CONFIG_FIELDS = [
  { key: 'databaseUrl', env: 'SIGHTLINE_DATABASE_URL', description: 'Inventory database: a SQLite file path / sqlite:PATH, or postgres://… (a password in the URL is a secret)', default: DEFAULT_DATABASE_URL, secret: false },
  { key: 'signinRetentionDays', env: 'SIGHTLINE_SIGNIN_RETENTION_DAYS', description: 'Days `sightline db prune` keeps raw sign-in events (daily rollups are kept for good)', default: '400', secret: false },
  { key: 'profileDir', env: 'SIGHTLINE_PROFILE_DIR', description: 'Where `sightline import spend --save-profile` keeps named column mappings', default: './data/profiles', secret: false },
  { key: 'evidenceSigningKey', env: 'SIGHTLINE_EVIDENCE_SIGNING_KEY', description: 'Ed25519 private key (PKCS#8 PEM text, or the path of a PEM file) that signs the manifest of evidence exports', default: undefined, secret: true },
  { key: 'testPostgresUrl', env: 'SIGHTLINE_TEST_POSTGRES_URL', description: 'PostgreSQL the test suite uses (each test makes and drops a schema of its own)', default: 'postgres://postgres@127.0.0.1:5432/test', secret: false },
] as const

export interface AppConfig {
  readonly databaseUrl: string
}

/** Builds the frozen configuration; a command-line flag beats the environment, which beats the default. */
export function loadConfig(flags: { db?: string } = {}, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = flags.db ?? env.SIGHTLINE_DATABASE_URL ?? DEFAULT_DATABASE_URL
  return Object.freeze({ databaseUrl })
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

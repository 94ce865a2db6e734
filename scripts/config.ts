import { DEFAULT_DATABASE_URL } from '../data/connection.js'
import { ENTRA_CONFIG_FIELDS } from '../collectors/entra/config.js'
import { GOOGLE_CONFIG_FIELDS } from '../collectors/google-workspace/config.js'
import { OKTA_CONFIG_FIELDS } from '../collectors/okta/config.js'
import { registerSecrets } from '../collectors/sdk/redact.js'

/** Everything Sightline reads from the environment, declared once (docs and `.env.example` come from here). */
export const CONFIG_FIELDS = [
  { key: 'databaseUrl', env: 'SIGHTLINE_DATABASE_URL', description: 'Inventory database: a SQLite file path / sqlite:PATH, or postgres://… (a password in the URL is a secret)', default: DEFAULT_DATABASE_URL, secret: false },
  { key: 'signinRetentionDays', env: 'SIGHTLINE_SIGNIN_RETENTION_DAYS', description: 'Days `sightline db prune` keeps raw sign-in events (daily rollups are kept for good)', default: '400', secret: false },
  { key: 'profileDir', env: 'SIGHTLINE_PROFILE_DIR', description: 'Where `sightline import spend --save-profile` keeps named column mappings', default: './data/profiles', secret: false },
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

/**
 * Registers every secret the environment configures, so no message printed or stored can carry one: the secret
 * fields of each source (file paths name where a key is, they are not the key) and a database URL's password.
 */
export function registerConfiguredSecrets(env: NodeJS.ProcessEnv = process.env): void {
  for (const field of [...OKTA_CONFIG_FIELDS, ...ENTRA_CONFIG_FIELDS, ...GOOGLE_CONFIG_FIELDS]) {
    if (field.secret && !/_(PATH|FILE)$/.test(field.env)) registerSecrets(env[field.env])
  }
  const url = env.SIGHTLINE_DATABASE_URL
  const password = url ? /^[a-z][a-z0-9+.-]*:\/\/[^:/@]+:([^@]*)@/i.exec(url)?.[1] : undefined
  if (password) registerSecrets(password, decodeURIComponent(password))
}

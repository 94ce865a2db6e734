import { DEFAULT_DATABASE_URL } from '../data/connection.js'

/** Everything Sightline reads from the environment, declared once (docs and `.env.example` come from here). */
export const CONFIG_FIELDS = [
  { key: 'databaseUrl', env: 'SIGHTLINE_DATABASE_URL', description: 'Inventory database: a SQLite file path / sqlite:PATH, or postgres://…', default: DEFAULT_DATABASE_URL, secret: false },
] as const

export interface AppConfig {
  readonly databaseUrl: string
}

/** Builds the frozen configuration; a command-line flag beats the environment, which beats the default. */
export function loadConfig(flags: { db?: string } = {}, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = flags.db ?? env.SIGHTLINE_DATABASE_URL ?? DEFAULT_DATABASE_URL
  return Object.freeze({ databaseUrl })
}

import { fileURLToPath } from 'node:url'

// The database URL alone (no driver): config and option help need the default without loading Kysely or a driver.

export type DialectName = 'sqlite' | 'postgres'

export const DEFAULT_DATABASE_URL = './data/sightline.db'

export interface DatabaseTarget {
  dialect: DialectName
  /** File path (SQLite, or ':memory:') or connection string (PostgreSQL). */
  location: string
}

/** One URL chooses the dialect: `postgres://…` → PostgreSQL; a path or `sqlite:` URL → SQLite. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim()
  if (trimmed === '') throw new Error('store: parse database URL: the URL is empty')
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { dialect: 'postgres', location: trimmed }
  if (/^sqlite:/i.test(trimmed)) {
    const rest = trimmed.replace(/^sqlite:(\/\/)?/i, '')
    if (rest === '' ) throw new Error(`store: parse database URL: no file in ${trimmed}`)
    return { dialect: 'sqlite', location: rest.startsWith('file:') ? fileURLToPath(rest) : rest }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new Error(`store: parse database URL: unsupported scheme in ${maskUrl(trimmed)} (use a file path, sqlite:PATH or postgres://…)`)
  }
  return { dialect: 'sqlite', location: trimmed }
}

export function maskUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@')
}

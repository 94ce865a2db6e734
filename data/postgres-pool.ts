// The PostgreSQL pool Kysely is given: one that turns a lost connection into one clear error instead of a crash.
import type { PostgresPool, PostgresPoolClient } from 'kysely'
import pg from 'pg'
import { StoreUnavailableError } from './errors.js'

/** Error codes of a connection that is gone: PostgreSQL's class 08 and 57P01-03 (shutdown), and the socket's. */
const LOST_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
/** What node-postgres says when the socket closes under it, or when a client that saw that is used again. */
const LOST_MESSAGE = /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout expired/i

export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && (LOST_CODES.has(code) || /^08/.test(code))) return true
  return error instanceof Error && LOST_MESSAGE.test(error.message)
}

/**
 * A pg.Pool behind Kysely's structural pool interface. Every client gets an `error` listener: a connection the
 * server ends while it is checked out (pg_terminate_backend, a restart) emits `error`, which unhandled would end
 * the process with a stack trace. The query that fails because of it rejects with a StoreUnavailableError that
 * names the database and the server's own reason.
 */
export function createPostgresPool(connectionString: string, displayUrl: string): { pool: PostgresPool; probe: () => Promise<void> } {
  const pgPool = new pg.Pool({ connectionString, max: 8 })
  const reasons = new WeakMap<object, Error>()
  // Idle clients' errors are emitted on the pool; the client is dropped and the next checkout connects anew.
  pgPool.on('error', () => undefined)
  pgPool.on('connect', (client) => {
    // The first error says why (the server's 57P01 "terminating connection due to administrator command"); the socket closing follows.
    client.on('error', (error: Error) => {
      if (!reasons.has(client)) reasons.set(client, error)
    })
  })
  const lost = (error: unknown, client?: object): unknown => {
    if (!isConnectionLoss(error)) return error
    // "Client … is not queryable" says only that something went wrong before; the server said what.
    const reason = (client && reasons.get(client)) ?? (error as Error)
    return new StoreUnavailableError(`store: lost the connection to ${displayUrl}: ${reason.message}`, { cause: error })
  }
  const pool: PostgresPool = {
    async connect(): Promise<PostgresPoolClient> {
      let client: pg.PoolClient
      try {
        client = await pgPool.connect()
      } catch (error) {
        throw isConnectionLoss(error) ? new StoreUnavailableError(`store: cannot reach ${displayUrl}: ${(error as Error).message}`, { cause: error }) : error
      }
      return {
        query(...args: unknown[]): never {
          const result = (client.query as (...a: unknown[]) => unknown)(...args)
          // A cursor (streamed select) comes back as it is; a query's promise rejects with the clear error.
          if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(lost(error, client))) as never
          return result as never
        },
        release: (destroy?: boolean) => client.release(destroy),
      }
    },
    end: () => pgPool.end(),
  }
  // The cheapest proof the server is there: one connection, checked out and back.
  return { pool, probe: async () => (await pool.connect()).release() }
}

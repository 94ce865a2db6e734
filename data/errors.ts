// Domain errors: what went wrong in words a person can act on, with a code each front end maps its own way
// (the CLI to exit codes, the web app to HTTP statuses). Anything else thrown is a bug or an outage.

export type DomainErrorCode = 'not-found' | 'invalid-input' | 'conflict' | 'forbidden'

/** Base class: `code` says which of the four kinds it is; `message` is one line, safe to show the user. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode
}

/** The thing named (an app key, a finding id) does not exist. HTTP 404. */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError'
  readonly code = 'not-found' as const
}

/** A value the caller gave is malformed or out of range (a status word, an email, a page size). HTTP 400. */
export class InvalidInputError extends DomainError {
  override readonly name = 'InvalidInputError'
  readonly code = 'invalid-input' as const
}

/** The request clashes with what is stored (a key that already exists, a concurrent change). HTTP 409. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError'
  readonly code = 'conflict' as const
}

/** The actor may not do this. HTTP 403. */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError'
  readonly code = 'forbidden' as const
}

/** The HTTP status a web front end answers with for each domain error code. */
export const HTTP_STATUS_FOR: Readonly<Record<DomainErrorCode, number>> = Object.freeze({
  'not-found': 404,
  'invalid-input': 400,
  conflict: 409,
  forbidden: 403,
})

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError
}

/**
 * The inventory database cannot be reached, or the connection to it was lost mid-command (server stopped or
 * restarted, connection ended by an administrator, network). Not a domain error: nothing the caller did is
 * wrong, and trying again later may succeed. The message is one line naming the database (password masked).
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'
  readonly code = 'store-unavailable' as const
}

import { isDomainError, StoreUnavailableError, type DomainErrorCode } from '../../data/errors.js'

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** Exit codes of domain errors (README "Exit codes"); 1 stays "something failed". */
export const EXIT_CODE_FOR: Readonly<Record<DomainErrorCode, number>> = Object.freeze({
  'invalid-input': 2,
  'not-found': 3,
  conflict: 4,
  forbidden: 5,
})

/** The inventory database could not be reached or was lost mid-command: trying again later may work. */
export const EXIT_STORE_UNAVAILABLE = 6

/** 2 for a usage mistake, the domain error's code, 6 for a database that is gone, else 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2
  if (error instanceof StoreUnavailableError) return EXIT_STORE_UNAVAILABLE
  if (isDomainError(error)) return EXIT_CODE_FOR[error.code]
  return 1
}

/**
 * For loops over files or sources that report each failure and go on: a lost database is not one file's
 * failure, so it ends the command (one line, exit 6) instead of failing every remaining file the same way.
 */
export function rethrowIfStoreUnavailable(error: unknown): void {
  if (error instanceof StoreUnavailableError) throw error
}

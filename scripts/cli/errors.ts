import { isDomainError, type DomainErrorCode } from '../../data/errors.js'

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

/** 2 for a usage mistake, the domain error's code, else 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2
  if (isDomainError(error)) return EXIT_CODE_FOR[error.code]
  return 1
}

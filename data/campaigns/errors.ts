import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'

// Campaign refusals are the shared domain errors (data/errors.ts): the CLI maps them to exit codes, the web app
// to HTTP statuses. These helpers keep the call sites short.
export const notFound = (what: string): NotFoundError => new NotFoundError(`${what} does not exist`)
export const invalid = (message: string): InvalidInputError => new InvalidInputError(message)
export const forbidden = (message: string): ForbiddenError => new ForbiddenError(message)
export const conflict = (message: string): ConflictError => new ConflictError(message)

// The sign-in rate limit's shape and default, apart from its queries: configuration reads it without loading Kysely.

/**
 * Failed sign-ins allowed per window before further attempts are refused without checking the password:
 * per account (guessing one user's password) and per address (spraying many accounts from one place).
 */
export interface LoginRateLimit {
  windowMinutes: number
  maxFailuresPerAccount: number
  maxFailuresPerAddress: number
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimit = Object.freeze({ windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerAddress: 30 })


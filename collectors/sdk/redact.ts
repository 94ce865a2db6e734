// Every configured secret, struck from every message before it is printed or stored — whatever a vendor echoes.
import { abbreviate, MAX_MESSAGE_CHARS } from './limits.js'

export const REDACTED = '[redacted]'

/** Shorter values are not redacted: they would strike ordinary words, and no vendor issues secrets that short. */
const MIN_SECRET_CHARS = 6

const secrets = new Set<string>()
let ordered: string[] = []

/**
 * Registers secrets (API tokens, client secrets, access tokens, database passwords) for this process. Each is
 * also registered as a vendor may echo it: URL-encoded and Base64 (as in a Basic authorization header).
 */
export function registerSecrets(...values: readonly (string | null | undefined)[]): void {
  let added = false
  for (const raw of values) {
    const value = raw?.trim()
    if (!value || value.length < MIN_SECRET_CHARS) continue
    for (const form of [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]) {
      if (!secrets.has(form)) {
        secrets.add(form)
        added = true
      }
    }
  }
  // Longest first, so a secret containing another is struck whole.
  if (added) ordered = [...secrets].sort((a, b) => b.length - a.length)
}

/** `text` with every registered secret replaced by [redacted]. */
export function redactSecrets(text: string): string {
  let out = text
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED)
  return out
}

/** A message fit to print or store: secrets struck, then cut to MAX_MESSAGE_CHARS. */
export function safeMessage(text: string): string {
  return abbreviate(redactSecrets(text), MAX_MESSAGE_CHARS)
}

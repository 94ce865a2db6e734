// Stable identity for a spend row, so importing the same file twice stores each transaction once.
import crypto from 'node:crypto'
import type { SpendRow } from './types.js'

/** Upper-case, trimmed, inner whitespace collapsed: `sq *notion  labs` and `SQ *NOTION LABS` are one merchant. */
export function normaliseMerchant(merchant: string): string {
  const upper = merchant.trim().toUpperCase()
  return upper.includes('  ') || upper.includes('\t') || upper.includes('\n') ? upper.split(/\s+/).join(' ') : upper
}

// Files repeat a few hundred merchants many times; caching their normal form saves two string copies a row.
const MERCHANT_CACHE_LIMIT = 10_000
const merchantCache = new Map<string, string>()

function cachedMerchant(merchant: string): string {
  let normal = merchantCache.get(merchant)
  if (normal === undefined) {
    normal = normaliseMerchant(merchant)
    if (merchantCache.size >= MERCHANT_CACHE_LIMIT) merchantCache.clear()
    merchantCache.set(merchant, normal)
  }
  return normal
}

type FingerprintFields = Pick<SpendRow, 'postedOn' | 'amountMinor' | 'currency' | 'merchantRaw' | 'cardLast4'>

/** The part of the fingerprint that genuine same-day duplicates share. */
export function fingerprintKey(row: FingerprintFields): string {
  return `${row.postedOn}\u001f${row.amountMinor}\u001f${row.currency}\u001f${cachedMerchant(row.merchantRaw)}\u001f${row.cardLast4 ?? ''}`
}

// One-shot crypto.hash (Node ≥ 20.12) is about 4x faster than createHash per row.
const sha256Base64url: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'base64url')
    : (text) => crypto.createHash('sha256').update(text).digest('base64url')

/** 22 base64url characters = the first 132 bits of the digest: collisions stay out of reach (~2^66 rows). */
export const FINGERPRINT_LENGTH = 22

/**
 * sha256 over date, amount, currency, normalised merchant and card, plus `occurrence` — 1 for the first row
 * with that key in a file, 2 for a second identical charge the same day, and so on — cut to 132 bits, because
 * the unique index over it is what bulk imports pay for, and a third of the bytes is a third of the index.
 */
export function rowFingerprint(row: FingerprintFields, occurrence: number): string {
  return sha256Base64url(`${fingerprintKey(row)}\u001f${occurrence}`).slice(0, FINGERPRINT_LENGTH)
}

/**
 * Counts keys by a 64-bit hash in flat typed arrays (open addressing): no per-row allocation, ~10 bytes a slot,
 * where a Map of key strings would cost ~300 MB per 1M rows.
 */
class HashedKeyCounts {
  private hi = new Int32Array(1024)
  private lo = new Int32Array(1024)
  private counts = new Uint32Array(1024)
  private mask = 1023
  size = 0

  /** Adds one to the key's count and returns the new count. */
  bump(key: string): number {
    let h1 = 0x811c9dc5
    let h2 = 0x9e3779b9
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 0x01000193)
      h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    }
    h2 ^= h2 >>> 15
    let slot = (h1 ^ (h2 >>> 7)) & this.mask
    for (;;) {
      const n = this.counts[slot]!
      if (n === 0) {
        this.hi[slot] = h1
        this.lo[slot] = h2
        this.counts[slot] = 1
        if (++this.size * 2 > this.mask) this.grow()
        return 1
      }
      if (this.hi[slot] === h1 && this.lo[slot] === h2) {
        this.counts[slot] = n + 1
        return n + 1
      }
      slot = (slot + 1) & this.mask
    }
  }

  private grow(): void {
    const { hi, lo, counts } = this
    const capacity = counts.length * 2
    this.hi = new Int32Array(capacity)
    this.lo = new Int32Array(capacity)
    this.counts = new Uint32Array(capacity)
    this.mask = capacity - 1
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i]!
      if (n === 0) continue
      let slot = (hi[i]! ^ (lo[i]! >>> 7)) & this.mask
      while (this.counts[slot] !== 0) slot = (slot + 1) & this.mask
      this.hi[slot] = hi[i]!
      this.lo[slot] = lo[i]!
      this.counts[slot] = n
    }
  }
}

export interface OccurrenceCounter {
  /** The occurrence number of this row's key within the file so far (1, 2, …). */
  next(row: FingerprintFields): number
  /** Fingerprint of the row with its occurrence number assigned. */
  fingerprint(row: FingerprintFields): string
  readonly distinctKeys: number
}

/**
 * Assigns occurrence numbers while streaming one file (keep one counter per file). Keys are counted by a
 * 64-bit hash: two different keys colliding (odds ~1e-8 in a 1M-row file) would only shift an occurrence
 * number, the same way on every re-import of that file.
 */
export function createOccurrenceCounter(): OccurrenceCounter {
  const counts = new HashedKeyCounts()
  return {
    next: (row) => counts.bump(fingerprintKey(row)),
    fingerprint(row) {
      const key = fingerprintKey(row)
      return sha256Base64url(`${key}\u001f${counts.bump(key)}`).slice(0, FINGERPRINT_LENGTH)
    },
    get distinctKeys() {
      return counts.size
    },
  }
}

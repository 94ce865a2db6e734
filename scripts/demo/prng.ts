// Seeded randomness for the demo generator: sfc32 seeded through splitmix32, so runs are reproducible.
// Math.random is never used: the same seed and options must give byte-identical files.

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const HEX = '0123456789abcdef'

function splitmix32(state: number): () => number {
  let s = state >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** FNV-1a of a label, used to derive independent sub-streams ("okta", "spend") from one seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hex8(n: number): string {
  return (BYTE_HEX[n >>> 24] as string) + (BYTE_HEX[(n >>> 16) & 255] as string) + (BYTE_HEX[(n >>> 8) & 255] as string) + (BYTE_HEX[n & 255] as string)
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  readonly seed: number

  constructor(seed: number) {
    this.seed = seed >>> 0
    const mix = splitmix32(this.seed)
    this.a = mix()
    this.b = mix()
    this.c = mix()
    this.d = mix()
    for (let i = 0; i < 12; i++) this.u32()
  }

  /** An independent generator for one part of the output, so adding draws in one part never shifts another. */
  fork(label: string): Rng {
    return new Rng((this.seed ^ hashString(label)) >>> 0)
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('demo: pick: empty list')
    return items[Math.floor(this.next() * items.length)] as T
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of items) total += w
    let r = this.next() * total
    for (const [item, w] of items) {
      r -= w
      if (r < 0) return item
    }
    return (items[items.length - 1] as readonly [T, number])[0]
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = items[i] as T
      items[i] = items[j] as T
      items[j] = tmp
    }
    return items
  }

  /** Poisson-distributed count (Knuth; fine for the small means used here). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean)
    let k = 0
    let p = this.next()
    while (p > limit) {
      k++
      p *= this.next()
    }
    return k
  }

  hex(length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += HEX[this.u32() & 15]
    return out
  }

  base62(length: number): string {
    let out = ''
    let n = 0
    for (let i = 0; i < length; i++) {
      // One 32-bit draw yields five base-62 digits (62^5 < 2^32).
      if (i % 5 === 0) n = this.u32()
      out += B62[n % 62]
      n = Math.floor(n / 62)
    }
    return out
  }

  digits(length: number): string {
    let out = ''
    let n = 0
    for (let i = 0; i < length; i++) {
      if (i % 9 === 0) n = this.u32()
      out += String(n % 10)
      n = Math.floor(n / 10)
    }
    return out
  }

  /** RFC 4122 version-4 layout, drawn from this generator. */
  uuid(): string {
    const h = hex8(this.u32()) + hex8(this.u32()) + hex8(this.u32()) + hex8(this.u32())
    const variant = HEX[8 + (this.u32() & 3)] as string
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
  }
}

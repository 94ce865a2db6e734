import { describe, expect, it } from 'vitest'
import { Rng } from './prng.js'

describe('Rng', () => {
  it('should repeat the same sequence for the same seed', () => {
    const a = new Rng(42)
    const b = new Rng(42)
    const seqA = Array.from({ length: 50 }, () => a.u32())
    const seqB = Array.from({ length: 50 }, () => b.u32())
    expect(seqA).toEqual(seqB)
  })

  it('should give different sequences for different seeds and forks', () => {
    const root = new Rng(42)
    expect(new Rng(43).u32()).not.toBe(new Rng(42).u32())
    expect(root.fork('okta').u32()).not.toBe(root.fork('google').u32())
  })

  it('should keep int() within its inclusive bounds and hit both ends', () => {
    const r = new Rng(1)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7)
      expect(v).toBeGreaterThanOrEqual(3)
      expect(v).toBeLessThanOrEqual(7)
      seen.add(v)
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7])
  })

  it('should format uuids as version-4 UUIDs and ids in their alphabets', () => {
    const r = new Rng(9)
    for (let i = 0; i < 100; i++) {
      expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(r.base62(17)).toMatch(/^[0-9A-Za-z]{17}$/)
      expect(r.digits(20)).toMatch(/^\d{20}$/)
    }
  })
})

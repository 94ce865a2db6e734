import { afterEach, describe, expect, it } from 'vitest'
import { findCandidateApp, sameVendor } from './candidates.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

describe('sameVendor', () => {
  it('should tell same-vendor keys from merely similar ones', () => {
    expect(sameVendor('synclayerdev', 'synclayerdirectorysync')).toBe(true)
    expect(sameVendor('brightsheet', 'brightside')).toBe(false)
    expect(sameVendor('acme', 'acmewidgets')).toBe(false)
  })
})

for (const dialect of DIALECTS) {
  describe(`findCandidateApp [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('should find the same vendor under a longer or shorter key, and not under a short or unrelated one', async () => {
      t = await createTestStore(dialect)
      const at = '2026-11-01T00:00:00.000Z'
      const add = async (key: string) =>
        (await t.store.db.insertInto('apps').values({ candidate_key: key, name: key, status: 'unknown', first_seen_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()).id
      const synclayer = await add('synclayer')
      const acme = await add('acme')
      expect(await findCandidateApp(t.store.db, 'synclayer')).toEqual({ id: synclayer, candidateKey: 'synclayer' })
      expect(await findCandidateApp(t.store.db, 'synclayerdirectorysync')).toEqual({ id: synclayer, candidateKey: 'synclayer' })
      expect(await findCandidateApp(t.store.db, 'synclay')).toEqual({ id: synclayer, candidateKey: 'synclayer' })
      expect(await findCandidateApp(t.store.db, 'synclayerdev')).toEqual({ id: synclayer, candidateKey: 'synclayer' })
      // Too short to stand for another vendor: "acme" is not "acmewidgets".
      expect(await findCandidateApp(t.store.db, 'acmewidgets')).toBeNull()
      expect(await findCandidateApp(t.store.db, 'acme')).toEqual({ id: acme, candidateKey: 'acme' })
      expect(await findCandidateApp(t.store.db, 'tallyfox')).toBeNull()
      // A long shared beginning that is most of the shorter key: the merchant spelling of the same vendor.
      const directorySync = await add('pipewiseprospector')
      expect(await findCandidateApp(t.store.db, 'pipewiseprosp')).toEqual({ id: directorySync, candidateKey: 'pipewiseprospector' })
      expect(await findCandidateApp(t.store.db, 'pipewisedev')).toBeNull()
    })

  })
}

import { afterEach, describe, expect, it } from 'vitest'
import { findCandidateApp } from './candidates.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

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
      // Too short to stand for another vendor: "acme" is not "acmewidgets".
      expect(await findCandidateApp(t.store.db, 'acmewidgets')).toBeNull()
      expect(await findCandidateApp(t.store.db, 'acme')).toEqual({ id: acme, candidateKey: 'acme' })
      expect(await findCandidateApp(t.store.db, 'tallyfox')).toBeNull()
    })
  })
}

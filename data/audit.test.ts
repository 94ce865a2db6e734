import { afterEach, describe, expect, it } from 'vitest'
import { appendAuditEvent, canonicalJson, verifyAuditChain, GENESIS_HASH } from './audit.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

describe('canonicalJson', () => {
  it('should sort keys at every depth and drop undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}')
  })
})

for (const dialect of DIALECTS) {
  describe(`audit chain on ${dialect}`, () => {
    let t: TestStore | undefined
    afterEach(async () => t?.dispose())

    it('should link each event to the one before and verify the whole chain', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      const first = await appendAuditEvent(db, { actor: 'cli:root', action: 'app.status.set', subjectType: 'app', subjectId: 7, payload: { to: 'sanctioned' } })
      await db.transaction().execute((trx) => appendAuditEvent(trx, { actor: 'a@x.com', action: 'finding.status.set', payload: { to: 'acknowledged' } }))
      expect(first.prev_hash).toBe(GENESIS_HASH)
      const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
      expect(rows.map((r) => r.seq)).toEqual([1, 2])
      expect(rows[1]!.prev_hash).toBe(rows[0]!.hash)
      expect(verifyAuditChain(rows)).toEqual({ ok: true, checked: 2 })
    })

    it('should roll the event back with the change it records', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      await expect(
        db.transaction().execute(async (trx) => {
          await appendAuditEvent(trx, { actor: 'cli:root', action: 'app.add' })
          throw new Error('the change failed')
        }),
      ).rejects.toThrow('the change failed')
      expect(await db.selectFrom('audit_events').selectAll().execute()).toEqual([])
    })

    it('should name the first changed, missing or reordered event', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      for (let i = 0; i < 4; i++) await appendAuditEvent(db, { actor: 'cli:root', action: 'x', payload: { i } })
      const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
      const edited = rows.map((r) => (r.seq === 3 ? { ...r, actor: 'mallory' } : r))
      expect(verifyAuditChain(edited).brokenAt).toEqual({ seq: 3, reason: expect.stringContaining('changed') })
      expect(verifyAuditChain([rows[0]!, rows[2]!, rows[3]!]).brokenAt?.seq).toBe(3)
      expect(verifyAuditChain([rows[1]!, rows[0]!]).brokenAt?.seq).toBe(2)
    })
  })
}

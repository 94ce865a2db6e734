import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { appendAuditEvent, auditSegmentForPeriod, canonicalJson, listAuditEvents, verifyAuditChain, verifyStoredAuditChain, GENESIS_HASH } from './audit.js'
import { editBehindTriggers } from './testing/tamper-audit.js'
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

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CHILD = fileURLToPath(new URL('./testing/append-audit-child.ts', import.meta.url))

function appendInChild(url: string, label: string, count: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, label, String(count)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`append child ${label} exited ${code}: ${stderr}`))))
  })
}

for (const dialect of DIALECTS) {
  describe(`audit trail is append-only on ${dialect}`, () => {
    let t: TestStore | undefined
    afterEach(async () => t?.dispose())

    it('should refuse UPDATE and DELETE of an audit row and leave it as it was', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      const event = await appendAuditEvent(db, { actor: 'cli:root', action: 'app.status.set', payload: { to: 'blocked' } })
      await expect(db.updateTable('audit_events').set({ actor: 'mallory' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only.*UPDATE/)
      await expect(db.deleteFrom('audit_events').where('seq', '=', 1).execute()).rejects.toThrow(/append-only.*DELETE/)
      await expect(db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/)
      if (dialect === 'postgres') await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only.*TRUNCATE/)
      expect(await db.selectFrom('audit_events').selectAll().execute()).toEqual([event])
    })

    it('should name the first broken link after an edit and a delete made behind the triggers', async () => {
      t = await createTestStore(dialect)
      for (let i = 0; i < 6; i++) await appendAuditEvent(t.store.db, { actor: 'cli:root', action: 'x', payload: { i } })
      expect(await verifyStoredAuditChain(t.store.db)).toMatchObject({ ok: true, checked: 6, events: 6 })
      await editBehindTriggers(t.store, { op: 'update', seq: 4, actor: 'someone-else' })
      await expect(t.store.db.updateTable('audit_events').set({ actor: 'x' }).execute()).rejects.toThrow(/append-only/)
      const edited = await verifyStoredAuditChain(t.store.db)
      expect(edited).toMatchObject({ ok: false, checked: 3, brokenAt: { seq: 4, reason: expect.stringContaining('changed') } })
      await editBehindTriggers(t.store, { op: 'delete', seq: 2 })
      expect((await verifyStoredAuditChain(t.store.db)).brokenAt).toEqual({ seq: 3, reason: expect.stringContaining('expected event 2') })
    })

    it('should list events by time, actor and action prefix, newest N in chain order', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      await appendAuditEvent(db, { actor: 'a@x.com', action: 'campaign.launch', occurredAt: '2026-07-01T10:00:00.000Z' })
      await appendAuditEvent(db, { actor: 'cli:root', action: 'app.status.set', occurredAt: '2026-08-01T10:00:00.000Z' })
      await appendAuditEvent(db, { actor: 'a@x.com', action: 'campaign.close', occurredAt: '2026-10-02T10:00:00.000Z' })
      await appendAuditEvent(db, { actor: 'a@x.com', action: 'campaign_x', occurredAt: '2026-10-03T10:00:00.000Z' })
      expect((await listAuditEvents(db, { since: '2026-07-15', until: '2026-10-03' })).map((e) => e.seq)).toEqual([2, 3])
      expect((await listAuditEvents(db, { actor: 'a@x.com', action: 'campaign.*' })).map((e) => e.seq)).toEqual([1, 3])
      expect((await listAuditEvents(db, { action: 'campaign.launch' })).map((e) => e.seq)).toEqual([1])
      expect((await listAuditEvents(db, { limit: 2 })).map((e) => e.seq)).toEqual([3, 4])
      await expect(listAuditEvents(db, { since: 'last tuesday' })).rejects.toThrow(/since/)
    })

    it('should cut a period out of the chain with the hash of the event before it as the anchor', async () => {
      t = await createTestStore(dialect)
      const { db } = t.store
      const times = ['2026-06-30T23:59:59.000Z', '2026-07-01T00:00:00.000Z', '2026-09-30T23:59:59.999Z', '2026-10-01T00:00:00.000Z']
      const events = []
      for (const occurredAt of times) events.push(await appendAuditEvent(db, { actor: 'cli:root', action: 'x', occurredAt }))
      expect(await auditSegmentForPeriod(db, '2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z')).toEqual({ fromSeq: 2, throughSeq: 3, anchorHash: events[0]!.hash, anchorSeq: 1 })
      expect(await auditSegmentForPeriod(db, '2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z')).toEqual({ fromSeq: null, throughSeq: null, anchorHash: GENESIS_HASH, anchorSeq: 0 })
      expect(await auditSegmentForPeriod(db, '2027-01-01T00:00:00.000Z', '2027-04-01T00:00:00.000Z')).toMatchObject({ fromSeq: null, anchorHash: events[3]!.hash, anchorSeq: 4 })
    })
  })
}

describe('audit chain under concurrent writers', () => {
  let t: TestStore | undefined
  afterEach(async () => t?.dispose())

  it('should not fork under many concurrent transactions on postgres', async () => {
    t = await createTestStore('postgres')
    const { db } = t.store
    // Each transaction changes something, waits a little (so they overlap on the pool's 8 connections), then appends.
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('settings').values({ key: `k${i}`, value: String(i), updated_at: '2026-12-02T00:00:00.000Z' }).execute()
          await new Promise((r) => setTimeout(r, (i * 7) % 20))
          await appendAuditEvent(trx, { actor: `system:w${i % 4}`, action: 'test.append', payload: { i } })
        }),
      ),
    )
    await Promise.all(Array.from({ length: 8 }, (_, i) => appendAuditEvent(db, { actor: 'cli:root', action: 'test.bare', payload: { i } })))
    const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
    expect(rows).toHaveLength(32)
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(32)
    expect(verifyAuditChain(rows)).toEqual({ ok: true, checked: 32 })
  })

  it('should not fork with two processes appending to one SQLite file', async () => {
    t = await createTestStore('sqlite')
    await appendAuditEvent(t.store.db, { actor: 'cli:root', action: 'test.start' })
    await Promise.all([appendInChild(t.url, 'one', 40), appendInChild(t.url, 'two', 40)])
    const rows = await t.store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
    expect(rows).toHaveLength(81)
    expect(rows.filter((r) => r.actor === 'system:one')).toHaveLength(40)
    expect(verifyAuditChain(rows)).toEqual({ ok: true, checked: 81 })
  })
})

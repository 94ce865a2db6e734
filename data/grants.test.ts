import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { grantClientIdsStartingWith, resolveGrantClients } from './grants.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

const EARLY = '2026-10-01T09:00:00.000Z'
const LATER = '2026-11-20T09:00:00.000Z'
const NOW = '2026-12-02T09:00:00.000Z'

describe.each(DIALECTS)('resolveGrantClients on %s', (dialect) => {
  let t: TestStore
  beforeEach(async () => {
    t = await createTestStore(dialect)
  })
  afterEach(async () => t.dispose())

  const grant = (identity: string, clientId: string, fields: { seen: [string, string]; scopes: string[]; revokedAt?: string | null }) =>
    t.store.db
      .insertInto('grants')
      .values({
        source: 'entra', identity_external_id: identity, client_id: clientId, scopes: JSON.stringify(fields.scopes), risk: 'low',
        first_seen_at: fields.seen[0], last_seen_at: fields.seen[1], revoked_at: fields.revokedAt ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  const rows = () => t.store.db.selectFrom('grants').select(['id', 'identity_external_id', 'client_id', 'client_name', 'scopes', 'first_seen_at', 'last_seen_at', 'revoked_at']).orderBy('id').execute()
  const move = { from: 'sp:obj-1', to: 'app-1', clientName: 'Driftnote', appId: null }

  it('should re-key a provisional row in place and leave other sources and clients alone', async () => {
    const a = await grant('u1', 'sp:obj-1', { seen: [EARLY, LATER], scopes: ['User.Read'] })
    await grant('u1', 'sp:obj-2', { seen: [EARLY, LATER], scopes: ['User.Read'] })
    await t.store.db.insertInto('grants').values({ source: 'google', identity_external_id: 'u1', client_id: 'sp:obj-1', first_seen_at: EARLY, last_seen_at: LATER }).execute()
    expect(await grantClientIdsStartingWith(t.store.db, 'entra', 'sp:')).toEqual(expect.arrayContaining(['sp:obj-1', 'sp:obj-2']))
    expect(await resolveGrantClients(t.store.db, { source: 'entra', clients: [move], actor: 'system:test', at: NOW })).toEqual({ rekeyed: 1, merged: 0 })
    const after = await rows()
    expect(after.find((r) => r.id === a.id)).toMatchObject({ client_id: 'app-1', client_name: 'Driftnote', first_seen_at: EARLY })
    expect(after.map((r) => r.client_id).sort()).toEqual(['app-1', 'sp:obj-1', 'sp:obj-2'])
  })

  it('should fold a provisional row into its twin: earliest first-seen, the later-seen state, one audit event', async () => {
    const twin = await grant('u1', 'app-1', { seen: [EARLY, EARLY], scopes: ['https://outlook.office365.com/EWS.AccessAsUser.All'], revokedAt: EARLY })
    const provisional = await grant('u1', 'sp:obj-1', { seen: [LATER, LATER], scopes: ['Mail.ReadWrite'] })
    // A review item of the provisional row follows it to the twin.
    const campaign = await t.store.db
      .insertInto('campaigns')
      .values({ name: 'Q4', status: 'active', scope_key: 'all', reviewer_rule: 'manager', fallback_reviewer: 'it@example.test', default_outcome: 'undecided', created_by: 'test', created_at: EARLY })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.store.db
      .insertInto('review_items')
      .values({ campaign_id: campaign.id, reviewer_email: 'it@example.test', assigned_by_rule: 'fallback', kind: 'grant', access_key: 'grant:entra:u1:sp:obj-1', fingerprint: 'f', grant_id: provisional.id, snapshot: '{}', status: 'pending', created_at: EARLY })
      .execute()
    expect(await resolveGrantClients(t.store.db, { source: 'entra', clients: [move], actor: 'system:test', at: NOW })).toEqual({ rekeyed: 0, merged: 1 })
    expect(await rows()).toEqual([
      { id: twin.id, identity_external_id: 'u1', client_id: 'app-1', client_name: 'Driftnote', scopes: '["Mail.ReadWrite"]', first_seen_at: EARLY, last_seen_at: LATER, revoked_at: null },
    ])
    expect(await t.store.db.selectFrom('review_items').select('grant_id').execute()).toEqual([{ grant_id: twin.id }])
    const audit = await t.store.db.selectFrom('audit_events').select(['actor', 'action', 'subject_id', 'payload']).execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor: 'system:test', action: 'grant.clients.resolved', subject_id: 'entra' })
    expect(JSON.parse(audit[0]!.payload)).toEqual({ rekeyed: 0, merged: 1, clients: [{ from: 'sp:obj-1', to: 'app-1', grants: 1 }] })
  })

  it('should keep the twin state when the twin was seen later, and audit nothing when nothing moved', async () => {
    await grant('u1', 'app-1', { seen: [LATER, NOW], scopes: ['User.Read'] })
    await grant('u1', 'sp:obj-1', { seen: [EARLY, EARLY], scopes: ['Mail.ReadWrite'], revokedAt: EARLY })
    await resolveGrantClients(t.store.db, { source: 'entra', clients: [move], actor: 'system:test', at: NOW })
    expect(await rows()).toEqual([expect.objectContaining({ client_id: 'app-1', scopes: '["User.Read"]', first_seen_at: EARLY, last_seen_at: NOW, revoked_at: null })])
    expect(await resolveGrantClients(t.store.db, { source: 'entra', clients: [move], actor: 'system:test', at: NOW })).toEqual({ rekeyed: 0, merged: 0 })
    expect(await t.store.db.selectFrom('audit_events').select('seq').execute()).toHaveLength(1)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { authenticateDeviceToken } from '../../../data/api-tokens.js'
import { createTestStore, type TestStore } from '../../../data/testing/test-store.js'
import { runCli } from '../testing/run-cli.js'
import { registerTokens } from './tokens.js'

describe('sightline tokens', () => {
  let t: TestStore
  afterEach(async () => t?.dispose())

  it('should create a token shown once, list it without its value, revoke it, and audit both', async () => {
    t = await createTestStore('sqlite')
    const created = await runCli(t.url, ['tokens', 'create', '--device', 'laptop-ada', '--json'], registerTokens)
    const { token, id } = JSON.parse(created.stdout) as { token: string; id: number }
    expect(token).toMatch(/^slt_[A-Za-z0-9_-]{43}$/)
    const stored = await t.store.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow()
    expect(stored.token_hash).not.toContain(token)
    expect(JSON.stringify(stored)).not.toContain(token)
    expect(await authenticateDeviceToken(t.store.db, token)).toMatchObject({ tokenId: id, deviceId: 'laptop-ada' })

    const listed = await runCli(t.url, ['tokens', 'list'], registerTokens)
    expect(listed.stdout).toContain('laptop-ada')
    expect(listed.stdout).not.toContain(token)
    expect(listed.stdout).toMatch(/last used 20\d\d-/)

    const revoked = await runCli(t.url, ['tokens', 'revoke', 'laptop-ada'], registerTokens)
    expect(revoked.stdout).toMatch(/^revoked token \d+ \(laptop-ada\)/)
    expect(await authenticateDeviceToken(t.store.db, token)).toBeNull()
    await expect(runCli(t.url, ['tokens', 'revoke', String(id)], registerTokens)).rejects.toThrow(/was revoked at/)

    const audit = await t.store.db.selectFrom('audit_events').select(['action', 'subject_id', 'payload']).orderBy('seq').execute()
    expect(audit).toEqual([
      { action: 'api_token.create', subject_id: String(id), payload: JSON.stringify({ kind: 'device', name: 'laptop-ada' }) },
      { action: 'api_token.revoke', subject_id: String(id), payload: JSON.stringify({ kind: 'device', name: 'laptop-ada' }) },
    ])
    expect(JSON.stringify(audit)).not.toContain(stored.token_hash)
  })

  it('should refuse a second active token for the same device name and a name with markup', async () => {
    t = await createTestStore('sqlite')
    await runCli(t.url, ['tokens', 'create', '--device', 'laptop-ada'], registerTokens)
    await expect(runCli(t.url, ['tokens', 'create', '--device', 'laptop-ada'], registerTokens)).rejects.toThrow(/an active token named "laptop-ada" exists/)
    await expect(runCli(t.url, ['tokens', 'create', '--device', '<b>x</b>'], registerTokens)).rejects.toThrow(/device name/)
  })
})

import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, type TestStore } from '../../../data/testing/test-store.js'
import { addUser, findUserByEmail, verifyPassword } from '../../../data/ui-users.js'
import { runCli } from '../testing/run-cli.js'
import { registerUsers } from './users.js'

const CLI = new URL('../../bin/sightline.js', import.meta.url).pathname

function sightline(url: string, args: string[], input?: string) {
  const run = spawnSync(process.execPath, [CLI, '--db', url, ...args], { input, encoding: 'utf8', timeout: 120_000 })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe('sightline users', () => {
  let t: TestStore
  afterEach(async () => t?.dispose())

  it('should add a user with the password read from --password-stdin (hashed, audited with the CLI actor)', async () => {
    t = await createTestStore('sqlite')
    const added = sightline(t.url, ['users', 'add', 'Ops@Example.test', '--role', 'admin', '--password-stdin'], 'a long enough passphrase\n')
    expect(added.stderr).toBe('')
    expect(added.stdout).toBe('added ops@example.test (admin)\n')
    const row = (await findUserByEmail(t.store.db, 'ops@example.test'))!
    expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$/)
    expect(await verifyPassword('a long enough passphrase', row.password_hash!)).toBe(true)
    const audit = await t.store.db.selectFrom('audit_events').select(['actor', 'action', 'payload']).execute()
    expect(audit).toEqual([{ actor: expect.stringMatching(/^cli:/), action: 'ui.user.add', payload: expect.not.stringContaining('passphrase') }])
  }, 180_000)

  it('should refuse to add a user without a terminal or --password-stdin (there is no default password)', async () => {
    t = await createTestStore('sqlite')
    const run = sightline(t.url, ['users', 'add', 'x@example.test', '--role', 'it'])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('--password-stdin')
    expect(await findUserByEmail(t.store.db, 'x@example.test')).toBeUndefined()
  }, 180_000)

  it('should add a single-sign-on-only user, set a role, disable, and list without hashes', async () => {
    t = await createTestStore('sqlite')
    await addUser(t.store.db, { email: 'ops@example.test', role: 'admin', password: 'a long enough passphrase', actor: 'system:test', at: '2026-12-02T10:00:00.000Z' })
    expect((await runCli(t.url, ['users', 'add', 'Second@example.test', '--role', 'admin', '--no-password'], registerUsers)).stdout).toBe(
      'added second@example.test (admin, single sign-on only)\n',
    )
    expect((await runCli(t.url, ['users', 'set-role', 'ops@example.test', '--role', 'auditor'], registerUsers)).stdout).toBe('ops@example.test: auditor\n')
    expect((await runCli(t.url, ['users', 'disable', 'ops@example.test'], registerUsers)).stdout).toBe('ops@example.test: disabled\n')
    const list = (await runCli(t.url, ['users', 'list', '--format', 'csv'], registerUsers)).stdout
    expect(list.split('\n')[0]).toBe('email,name,role,disabled,password,sso,last_login')
    expect(list).toContain('ops@example.test,,auditor,yes,yes,no,')
    expect(list).toContain('second@example.test,,admin,no,no,no,')
    expect(list).not.toContain('scrypt')
  })

  it('should refuse an unknown role, an unknown user, and demoting the last admin, with a clear message', async () => {
    t = await createTestStore('sqlite')
    await addUser(t.store.db, { email: 'ops@example.test', role: 'admin', actor: 'system:test', at: '2026-12-02T10:00:00.000Z' })
    await expect(runCli(t.url, ['users', 'add', 'x@example.test', '--role', 'root', '--no-password'], registerUsers)).rejects.toThrow(
      'role "root": expected one of admin, it, finance, reviewer, auditor',
    )
    await expect(runCli(t.url, ['users', 'disable', 'nobody@example.test'], registerUsers)).rejects.toThrow('user nobody@example.test: no such user')
    await expect(runCli(t.url, ['users', 'set-role', 'ops@example.test', '--role', 'it'], registerUsers)).rejects.toThrow('the last enabled admin cannot be disabled or demoted')
    expect((await findUserByEmail(t.store.db, 'ops@example.test'))!.role).toBe('admin')
  })
})

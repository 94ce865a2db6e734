import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../data/testing/test-store.js'
import { findUserByEmail } from '../../data/ui-users.js'
import { createUiTestKit, type UiTestKit } from '../testing/ui-test-kit.js'

describe.each(DIALECTS)('admin: users page (%s)', (dialect) => {
  let kit: UiTestKit
  afterEach(async () => kit?.dispose())

  it('should list users to an admin and refuse every other role with 403', async () => {
    kit = await createUiTestKit(dialect)
    const admin = await kit.signIn('admin')
    const page = await admin.get('/admin/users')
    expect(page.status).toBe(200)
    const html = await page.text()
    for (const email of Object.values(kit.emails)) expect(html).toContain(email)
    expect(html).not.toContain('scrypt$')
    for (const role of ['it', 'finance', 'reviewer', 'auditor'] as const) {
      const agent = await kit.signIn(role)
      expect((await agent.get('/admin/users')).status).toBe(403)
      expect((await agent.post('/admin/users', { email: `x-${role}@example.test`, role: 'admin' })).status).toBe(403)
    }
    expect(await findUserByEmail(kit.store.db, 'x-it@example.test')).toBeUndefined()
  })

  it('should add a user, change a role and disable, each audited with the admin as actor', async () => {
    kit = await createUiTestKit(dialect)
    const admin = await kit.signIn('admin')
    expect((await admin.post('/admin/users', { email: 'New.Person@Example.test', name: 'New Person', role: 'finance', password: 'a long enough passphrase' })).status).toBe(303)
    const added = (await findUserByEmail(kit.store.db, 'new.person@example.test'))!
    expect(added.role).toBe('finance')
    expect((await admin.post(`/admin/users/${added.id}/role`, { role: 'auditor' })).status).toBe(303)
    expect((await admin.post(`/admin/users/${added.id}/disable`)).status).toBe(303)
    const after = (await findUserByEmail(kit.store.db, 'new.person@example.test'))!
    expect([after.role, after.disabled]).toEqual(['auditor', 1])
    const audit = await kit.store.db.selectFrom('audit_events').select(['actor', 'action']).where('action', 'like', 'ui.user.%').where('actor', '=', 'admin@example.test').orderBy('seq').execute()
    expect(audit.map((a) => a.action)).toEqual(['ui.user.add', 'ui.user.role.set', 'ui.user.disable'])
  })

  it('should end the sessions of a user whose role changes', async () => {
    kit = await createUiTestKit(dialect)
    const admin = await kit.signIn('admin')
    const it_ = await kit.signIn('it')
    const user = (await findUserByEmail(kit.store.db, kit.emails.it))!
    await admin.post(`/admin/users/${user.id}/role`, { role: 'reviewer' })
    expect((await it_.get('/account')).status).toBe(303)
  })

  it('should re-show the form with a clear error for a short password or a duplicate email, and add nothing', async () => {
    kit = await createUiTestKit(dialect)
    const admin = await kit.signIn('admin')
    const short = await admin.post('/admin/users', { email: 'short@example.test', role: 'it', password: 'short' })
    expect(short.status).toBe(400)
    expect(await short.text()).toContain('at least 12 characters')
    const dup = await admin.post('/admin/users', { email: 'IT@example.test', role: 'it', password: '' })
    expect(dup.status).toBe(409)
    expect(await dup.text()).toContain('already exists')
    expect(await findUserByEmail(kit.store.db, 'short@example.test')).toBeUndefined()
  })

  it('should answer 404 for a user id that does not exist, and 400 for an unknown role', async () => {
    kit = await createUiTestKit(dialect)
    const admin = await kit.signIn('admin')
    expect((await admin.post('/admin/users/99999/disable')).status).toBe(404)
    const user = (await findUserByEmail(kit.store.db, kit.emails.it))!
    expect((await admin.post(`/admin/users/${user.id}/role`, { role: 'superuser' })).status).toBe(400)
  })

  it('should never disable or demote the last enabled admin (409)', async () => {
    kit = await createUiTestKit(dialect)
    const admin = await kit.signIn('admin')
    const me = (await findUserByEmail(kit.store.db, kit.emails.admin))!
    expect((await admin.post(`/admin/users/${me.id}/role`, { role: 'it' })).status).toBe(409)
    expect((await findUserByEmail(kit.store.db, kit.emails.admin))!.role).toBe('admin')
  })
})

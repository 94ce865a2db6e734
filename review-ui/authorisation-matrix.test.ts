import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../data/tables/auth.table.js'
import { DIALECTS } from '../data/testing/test-store.js'
import { addUser, ROLES } from '../data/ui-users.js'
import { createUiTestKit, type SignedInAgent, type UiTestKit } from './testing/ui-test-kit.js'
import { seedSmallCompany } from './testing/seed.js'

interface RouteCase {
  method: 'GET' | 'POST'
  path: (ids: Ids) => string
  /** Roles that get through authorisation; every other role must get 403. */
  allowed: readonly Role[]
  /** A body that fails validation after the role check, so an allowed role changes nothing (400). */
  form?: Record<string, string>
}

interface Ids {
  app: number
  person: number
  finding: number
  spareUser: number
}

const ALL = ROLES
const INVENTORY: readonly Role[] = ['admin', 'it', 'finance', 'auditor']
const PEOPLE: readonly Role[] = ['admin', 'it', 'auditor']
const MONEY: readonly Role[] = ['admin', 'finance', 'auditor']
const CHANGE_INVENTORY: readonly Role[] = ['admin', 'it']

/** Every route of the web app (besides sign-in itself) and who may use it. */
const ROUTES: readonly RouteCase[] = [
  { method: 'GET', path: () => '/', allowed: ALL },
  { method: 'GET', path: () => '/account', allowed: ALL },
  { method: 'GET', path: () => '/apps', allowed: INVENTORY },
  { method: 'GET', path: (i) => `/apps/${i.app}`, allowed: INVENTORY },
  { method: 'POST', path: (i) => `/apps/${i.app}/status`, allowed: CHANGE_INVENTORY, form: { status: 'not-a-status' } },
  { method: 'POST', path: (i) => `/apps/${i.app}/map`, allowed: CHANGE_INVENTORY, form: { kind: 'not-a-kind', raw: 'x', appKey: 'notion' } },
  { method: 'GET', path: () => '/people', allowed: PEOPLE },
  { method: 'GET', path: (i) => `/people/${i.person}`, allowed: PEOPLE },
  { method: 'GET', path: () => '/findings', allowed: PEOPLE },
  { method: 'GET', path: () => '/findings/export.csv', allowed: PEOPLE },
  { method: 'GET', path: (i) => `/findings/${i.finding}`, allowed: PEOPLE },
  { method: 'POST', path: (i) => `/findings/${i.finding}/status`, allowed: CHANGE_INVENTORY, form: { status: 'not-a-status', reason: 'matrix' } },
  { method: 'GET', path: () => '/spend', allowed: MONEY },
  { method: 'GET', path: () => '/spend/export.csv', allowed: MONEY },
  { method: 'GET', path: () => '/imports', allowed: INVENTORY },
  { method: 'GET', path: () => '/admin/users', allowed: ['admin'] },
  { method: 'POST', path: () => '/admin/users', allowed: ['admin'], form: { email: 'not an email', role: 'it' } },
  { method: 'POST', path: (i) => `/admin/users/${i.spareUser}/role`, allowed: ['admin'], form: { role: 'not-a-role' } },
]

describe.each(DIALECTS)('authorisation matrix (%s)', (dialect) => {
  let kit: UiTestKit
  let ids: Ids
  const agents = new Map<Role, SignedInAgent>()

  beforeAll(async () => {
    kit = await createUiTestKit(dialect, { seed: seedSmallCompany })
    const db = kit.store.db
    const spare = await addUser(db, { email: 'spare@example.test', role: 'reviewer', actor: 'system:test', at: kit.clock.now() })
    ids = {
      app: (await db.selectFrom('apps').select('id').orderBy('id').executeTakeFirstOrThrow()).id,
      person: (await db.selectFrom('people').select('id').orderBy('id').executeTakeFirstOrThrow()).id,
      finding: (await db.selectFrom('findings').select('id').orderBy('id').executeTakeFirstOrThrow()).id,
      spareUser: spare.id,
    }
    for (const role of ROLES) agents.set(role, await kit.signIn(role))
  })
  afterAll(async () => kit?.dispose())

  it('should give every role exactly the routes it is allowed (others 403), and change nothing on refused or invalid posts', async () => {
    const auditBefore = await kit.store.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const seen: string[] = []
    for (const route of ROUTES) {
      for (const role of ROLES) {
        const agent = agents.get(role)!
        const path = route.path(ids)
        const res = route.method === 'GET' ? await agent.get(path) : await agent.post(path, route.form ?? {})
        const expected = route.allowed.includes(role) ? (route.method === 'GET' ? 200 : 400) : 403
        seen.push(`${route.method} ${path} as ${role}: ${res.status}`)
        expect(`${route.method} ${path} as ${role}: ${res.status}`).toBe(`${route.method} ${path} as ${role}: ${expected}`)
      }
    }
    expect(seen).toHaveLength(ROUTES.length * ROLES.length)
    const auditAfter = await kit.store.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n))
  })

  it('should send a visitor without a session to sign in (GET) or answer 401 (POST) on every route', async () => {
    for (const route of ROUTES) {
      const path = route.path(ids)
      const res = route.method === 'GET' ? await kit.request(path) : await kit.postForm(path, route.form ?? {})
      if (route.method === 'GET') {
        expect([path, res.status, res.headers.get('location')?.startsWith('/sign-in?next=')]).toEqual([path, 303, true])
      } else {
        expect([path, res.status]).toEqual([path, 401])
      }
    }
  })

  it("should answer 404, not another object's page, for ids that do not exist", async () => {
    const admin = agents.get('admin')!
    for (const path of ['/apps/987654', '/people/987654', '/findings/987654']) expect([path, (await admin.get(path)).status]).toEqual([path, 404])
    expect((await admin.post('/admin/users/987654/disable')).status).toBe(404)
  })
})

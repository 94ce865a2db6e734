import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../data/tables/auth.table.js'
import { DIALECTS } from '../data/testing/test-store.js'
import { addUser, ROLES } from '../data/ui-users.js'
import { createUiTestKit, type SignedInAgent, type UiTestKit } from './testing/ui-test-kit.js'
import { seedSmallCompany } from './testing/seed.js'
import type { Kysely } from 'kysely'
import type { Database } from '../data/database.js'
import { createSpendUploadJob, finishSpendUploadJob } from '../data/ui-jobs.js'

interface RouteCase {
  method: 'GET' | 'POST'
  path: (ids: Ids) => string
  /** Roles that get through authorisation; every other role must get 403. */
  allowed: readonly Role[]
  /** A body that fails validation after the role check, so an allowed role changes nothing (400). */
  form?: Record<string, string>
  /** What an allowed role gets when not 200 (GET) or 400 (POST): the upload answers a plain form with 415. */
  allowedStatus?: number
}

interface Ids {
  app: number
  person: number
  finding: number
  spareUser: number
  /** A finished statement upload with rejects, and one waiting for a column mapping (both finance's). */
  upload: number
  unmapped: number
}

const ALL = ROLES
const INVENTORY: readonly Role[] = ['admin', 'it', 'finance', 'auditor']
const PEOPLE: readonly Role[] = ['admin', 'it', 'auditor']
const MONEY: readonly Role[] = ['admin', 'finance', 'auditor']
const CHANGE_INVENTORY: readonly Role[] = ['admin', 'it']
const UPLOAD: readonly Role[] = ['admin', 'finance']

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
  { method: 'GET', path: () => '/spend/uploads', allowed: MONEY },
  { method: 'POST', path: () => '/spend/uploads', allowed: UPLOAD, form: { files: 'not a multipart body' }, allowedStatus: 415 },
  { method: 'GET', path: (i) => `/spend/uploads/${i.upload}`, allowed: MONEY },
  { method: 'GET', path: (i) => `/spend/uploads/${i.upload}/rejects.csv`, allowed: UPLOAD },
  { method: 'GET', path: (i) => `/spend/uploads/${i.unmapped}`, allowed: MONEY },
  { method: 'POST', path: (i) => `/spend/uploads/${i.unmapped}/mapping`, allowed: UPLOAD, form: { 'map.date': 'No such column', 'map.merchant': 'What', 'map.amount': 'HowMuch' } },
  { method: 'GET', path: () => '/imports', allowed: INVENTORY },
  { method: 'GET', path: () => '/review', allowed: ALL },
  { method: 'GET', path: () => '/campaigns', allowed: ['admin', 'it', 'auditor'] },
  { method: 'GET', path: () => '/remediations', allowed: ['admin', 'it', 'auditor'] },
  { method: 'GET', path: () => '/evidence', allowed: ['admin', 'auditor'] },
  { method: 'GET', path: () => '/admin/users', allowed: ['admin'] },
  { method: 'POST', path: () => '/admin/users', allowed: ['admin'], form: { email: 'not an email', role: 'it' } },
  { method: 'POST', path: (i) => `/admin/users/${i.spareUser}/role`, allowed: ['admin'], form: { role: 'not-a-role' } },
]

/** Two upload jobs as the web app leaves them (the runner's writes, without running an import). */
async function seedUploads(db: Kysely<Database>, by: string, at: string): Promise<Pick<Ids, 'upload' | 'unmapped'>> {
  const detail = { sha256: 'a'.repeat(64), bytes: 100 }
  const upload = await createSpendUploadJob(db, { requestedBy: by, fileName: 'amex.csv', detail, at })
  await finishSpendUploadJob(db, upload, { status: 'completed', scanRunId: null, detail: { ...detail, layout: 'amex', read: 2, imported: 1, rejected: 1, errors: ['amex.csv: line 3: field amount: no digits'] }, rejectsCsv: 'file,line,field,reason,raw\r\namex.csv,3,amount,no digits,abc\r\n', error: null, at })
  const unmapped = await createSpendUploadJob(db, { requestedBy: by, fileName: 'bank.csv', detail, at })
  await finishSpendUploadJob(db, unmapped, { status: 'failed', scanRunId: null, detail: { ...detail, headers: ['When', 'What', 'HowMuch'], headerLine: 1 }, rejectsCsv: null, error: 'no known layout', at })
  return { upload, unmapped }
}

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
      ...(await seedUploads(db, kit.emails.finance, kit.clock.now())),
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
        const expected = route.allowed.includes(role) ? (route.allowedStatus ?? (route.method === 'GET' ? 200 : 400)) : 403
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
    for (const path of ['/apps/987654', '/people/987654', '/findings/987654', '/spend/uploads/987654', '/spend/uploads/987654/rejects.csv', '/spend/uploads/x1']) {
      expect([path, (await admin.get(path)).status]).toEqual([path, 404])
    }
    expect((await admin.post('/admin/users/987654/disable')).status).toBe(404)
  })
})

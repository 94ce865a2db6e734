import type { Hono } from 'hono'
import type { DialectName, Store } from '../../data/connection.js'
import { createTestStore, type TestStore } from '../../data/testing/test-store.js'
import type { Role } from '../../data/tables/auth.table.js'
import { addUser, hashPassword, ROLES } from '../../data/ui-users.js'
import { DEFAULT_LOGIN_RATE_LIMIT } from '../../data/ui-login-attempts.js'
import { DEFAULT_SESSION_POLICY } from '../../data/ui-sessions.js'
import { createApp } from '../app.js'
import { silentLogger, type AppEnv, type Clock, type UiConfig, type UiDeps } from '../env.js'
import { createSpendUploadRunner, type SpendUploadRunner } from '../uploads/spend-upload-runner.js'

export const TEST_ORIGIN = 'http://sightline.test'
export const TEST_PASSWORD = 'correct horse battery staple'
/** Hashed once per test process (the real scrypt parameters), then shared by every kit. */
let testPasswordHash: Promise<string> | null = null

/** The address app.request() callers appear to come from (tests have no socket). */
export const TEST_ADDRESS = '192.0.2.10'

export function testUiConfig(overrides: Partial<UiConfig> = {}): UiConfig {
  return {
    secureCookies: false, session: DEFAULT_SESSION_POLICY, loginRateLimit: DEFAULT_LOGIN_RATE_LIMIT, maxUploadBytes: 5 * 1024 * 1024,
    oidc: null, profileDir: './data/profiles', trustedOrigins: [], ...overrides,
  }
}

/** A clock tests can move. */
export function testClock(start = '2026-12-02T12:00:00.000Z'): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = Date.parse(start)
  return { now: () => new Date(now).toISOString(), set: (iso) => (now = Date.parse(iso)), advance: (ms) => (now += ms) }
}

export interface SignedInAgent {
  email: string
  role: Role
  /** `Cookie` header value. */
  cookie: string
  csrfToken: string
  /** GET as this user. */
  get(path: string, init?: RequestInit): Promise<Response>
  /** POST a form as this user, with the CSRF token (unless `_csrf` is given) and a same-origin Origin. */
  post(path: string, form?: Record<string, string>, init?: RequestInit): Promise<Response>
  /** POST multipart form data as a browser does, the CSRF token in the query (`csrf: null` leaves it out). */
  upload(path: string, form: FormData, options?: { csrf?: string | null; headers?: Record<string, string> }): Promise<Response>
}

export interface UiTestKit {
  testStore: TestStore
  store: Store
  app: Hono<AppEnv>
  clock: ReturnType<typeof testClock>
  /** The app's upload job runner (`await kit.jobs.idle()` waits for queued imports). */
  jobs: SpendUploadRunner
  /** One user of each role, all with TEST_PASSWORD: `admin@example.test`, `it@example.test`, … */
  emails: Record<Role, string>
  /** GET/POST without a session. */
  request(path: string, init?: RequestInit): Promise<Response>
  postForm(path: string, form: Record<string, string>, init?: RequestInit): Promise<Response>
  signIn(role: Role | string, password?: string): Promise<SignedInAgent>
  dispose(): Promise<void>
}

export const url = (path: string): string => `${TEST_ORIGIN}${path}`

export function formBody(form: Record<string, string>): URLSearchParams {
  return new URLSearchParams(form)
}

/** The value of the session cookie a response set, or null. */
export function sessionCookieFrom(response: Response): string | null {
  for (const header of response.headers.getSetCookie()) {
    const match = /^(?:__Host-)?sightline_session=([^;]*)/.exec(header)
    if (match && match[1]) return header.split(';')[0]!
  }
  return null
}

/** The CSRF token a page rendered into its forms. */
export function csrfTokenFrom(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null
}

/**
 * A fresh store on `dialect` with one user per role, the app built on it, and helpers to sign in and post
 * forms the way a browser does (Origin header, CSRF token). `seed` fills the inventory before the app starts.
 */
export async function createUiTestKit(
  dialect: DialectName,
  options: { config?: Partial<UiConfig>; seed?: (store: Store) => Promise<void>; deps?: Partial<UiDeps> } = {},
): Promise<UiTestKit> {
  const testStore = await createTestStore(dialect)
  const { store } = testStore
  const clock = testClock()
  const emails = Object.fromEntries(ROLES.map((r) => [r, `${r}@example.test`])) as Record<Role, string>
  const passwordHash = await (testPasswordHash ??= hashPassword(TEST_PASSWORD))
  for (const role of ROLES) await addUser(store.db, { email: emails[role], role, passwordHash, actor: 'system:test', at: clock.now() })
  if (options.seed) await options.seed(store)
  const jobs = options.deps?.jobs ?? createSpendUploadRunner({ store, clock, logger: silentLogger })
  const app = createApp({ store, config: testUiConfig(options.config), clock, logger: silentLogger, clientAddress: () => TEST_ADDRESS, jobs, ...options.deps })

  const request = (path: string, init: RequestInit = {}): Promise<Response> => Promise.resolve(app.request(url(path), init))
  const postForm = (path: string, form: Record<string, string>, init: RequestInit = {}): Promise<Response> =>
    request(path, {
      method: 'POST', body: formBody(form), ...init,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN, ...(init.headers as Record<string, string> | undefined) },
    })

  const signIn = async (who: Role | string, password = TEST_PASSWORD): Promise<SignedInAgent> => {
    const email = (ROLES as readonly string[]).includes(who) ? emails[who as Role] : who
    const response = await postForm('/sign-in', { email, password, next: '/account' })
    const cookie = sessionCookieFrom(response)
    if (response.status !== 303 || !cookie) throw new Error(`ui test kit: sign in as ${email}: status ${response.status}`)
    const page = await request('/account', { headers: { Cookie: cookie } })
    const csrfToken = csrfTokenFrom(await page.text())
    if (!csrfToken) throw new Error(`ui test kit: sign in as ${email}: no CSRF token on /account`)
    const user = await store.db.selectFrom('ui_users').select('role').where('email', '=', email).executeTakeFirstOrThrow()
    return {
      email, role: user.role, cookie, csrfToken,
      get: (path, init = {}) => request(path, { ...init, headers: { Cookie: cookie, ...(init.headers as Record<string, string> | undefined) } }),
      post: (path, form = {}, init = {}) =>
        postForm(path, { _csrf: csrfToken, ...form }, { ...init, headers: { Cookie: cookie, ...(init.headers as Record<string, string> | undefined) } }),
      upload: (path, form, options = {}) => {
        const token = options.csrf === undefined ? csrfToken : options.csrf
        const target = token === null ? path : `${path}${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}`
        return request(target, { method: 'POST', body: form, headers: { Cookie: cookie, Origin: TEST_ORIGIN, ...options.headers } })
      },
    }
  }

  const dispose = async (): Promise<void> => {
    await jobs.idle()
    await jobs.close()
    await testStore.dispose()
  }
  return { testStore, store, app, clock, jobs, emails, request, postForm, signIn, dispose }
}

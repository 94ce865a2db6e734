import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { checkLoginRateLimit, recordFailedSignIn } from '../../data/ui-login-attempts.js'
import { createSession, endSession } from '../../data/ui-sessions.js'
import { decoyPasswordHash, findUserByEmail, verifyPassword } from '../../data/ui-users.js'
import type { AppEnv } from '../env.js'
import { clearSessionCookie, setSessionCookie } from '../middleware/session.js'
import { requireSignedIn } from '../middleware/require-role.js'
import { ErrorSummary, Layout, TextField, type FieldError } from '../views/layout.js'

/** Only a path on this site: `/apps?x=1` yes; `//evil.example`, `https://…`, `/\evil` no. */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n\t]/.test(next)) return '/'
  return next
}

const SignInPage = (props: { email?: string; next: string; errors?: FieldError[]; notice?: string; sso: boolean }) => (
  <Layout title="Sign in">
    <div class="narrow">
      <ErrorSummary errors={props.errors ?? []} />
      <h1 class="heading-l">Sign in to Sightline</h1>
      {props.notice ? <p class="notice">{props.notice}</p> : null}
      <form method="post" action="/sign-in" novalidate>
        <input type="hidden" name="next" value={props.next} />
        <TextField id="email" label="Email address" type="email" autocomplete="username" value={props.email}
          error={props.errors?.find((e) => e.field === 'email')?.message} />
        <TextField id="password" label="Password" type="password" autocomplete="current-password"
          error={props.errors?.find((e) => e.field === 'password')?.message} />
        <button type="submit" class="button">Sign in</button>
      </form>
      {props.sso ? (
        <>
          <h2 class="heading-m">Or use your company account</h2>
          <p class="body">
            <a class="button button--secondary" href={`/auth/oidc/start?next=${encodeURIComponent(props.next)}`}>Sign in with single sign-on</a>
          </p>
        </>
      ) : null}
      <p class="hint">No account yet? Ask your Sightline administrator to add you.</p>
    </div>
  </Layout>
)

/** Sign in with email and password, sign out. */
export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/sign-in', (c) => {
    const next = safeNextPath(c.req.query('next'))
    if (c.var.auth) return c.redirect(next, 303)
    return c.html(<SignInPage next={next} sso={c.var.deps.config.oidc !== null} notice={c.req.query('signed-out') ? 'You are signed out.' : undefined} />)
  })

  app.post('/sign-in', async (c) => {
    const { store, clock, config, clientAddress } = c.var.deps
    const form = await c.req.parseBody()
    const email = typeof form.email === 'string' ? form.email.trim().toLowerCase() : ''
    const password = typeof form.password === 'string' ? form.password : ''
    const next = safeNextPath(typeof form.next === 'string' ? form.next : null)
    const sso = config.oidc !== null
    const errors: FieldError[] = []
    if (email === '') errors.push({ field: 'email', message: 'Enter your email address' })
    if (password === '') errors.push({ field: 'password', message: 'Enter your password' })
    if (errors.length > 0) return c.html(<SignInPage email={email} next={next} errors={errors} sso={sso} />, 400)

    const address = clientAddress(c.req.raw, c.env)
    const now = clock.now()
    const verdict = await checkLoginRateLimit(store.db, { email, address, now, limit: config.loginRateLimit })
    if (verdict.limited) {
      await recordFailedSignIn(store.db, { email, address, reason: 'rate-limited', at: now })
      c.header('Retry-After', String(verdict.retryAfterSeconds))
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60)
      throw new HTTPException(429, {
        message: `Too many failed sign-ins ${verdict.scope === 'account' ? 'for this account' : 'from your network'}. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
      })
    }

    const user = await findUserByEmail(store.db, email)
    // Always spend one scrypt verification, so a missing user answers as slowly as a wrong password.
    const passwordOk = await verifyPassword(password, user?.password_hash ?? (await decoyPasswordHash()))
    if (!user || !user.password_hash || !passwordOk || user.disabled !== 0) {
      await recordFailedSignIn(store.db, { email, address, reason: user && passwordOk && user.disabled !== 0 ? 'disabled' : 'bad-credentials', at: now })
      const message = 'Enter a correct email address and password'
      return c.html(<SignInPage email={email} next={next} errors={[{ field: 'email', message }]} sso={sso} />, 401)
    }
    const created = await createSession(store.db, { user, method: 'password', address, at: now, policy: config.session })
    setSessionCookie(c, created.token, created.session.expires_at)
    c.var.deps.logger.info('auth.signin', { requestId: c.var.requestId, user: user.id, method: 'password' })
    return c.redirect(next, 303)
  })

  app.post('/sign-out', requireSignedIn(), async (c) => {
    const auth = c.var.auth!
    await endSession(c.var.deps.store.db, { sessionId: auth.session.id, actor: auth.user.email, userId: auth.user.id, at: c.var.deps.clock.now() })
    clearSessionCookie(c)
    return c.redirect('/sign-in?signed-out=1', 303)
  })

  return app
}

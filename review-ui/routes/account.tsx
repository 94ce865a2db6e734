import { Hono } from 'hono'
import { endAllSessions } from '../../data/ui-sessions.js'
import type { AppEnv } from '../env.js'
import { requireSignedIn } from '../middleware/require-role.js'
import { clearSessionCookie } from '../middleware/session.js'
import { CsrfField, Layout } from '../views/layout.js'

/** The signed-in user's own account: who am I, sign out everywhere. */
export function accountRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireSignedIn())

  app.get('/', (c) => {
    const { user, session, csrfToken } = c.var.auth!
    return c.html(
      <Layout title="Your account" user={user} csrfToken={csrfToken}>
        <h1 class="heading-l">Your account</h1>
        <dl class="summary-list">
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
          <dt>Signed in</dt>
          <dd>
            <time datetime={session.created_at}>{session.created_at.replace('T', ' ').slice(0, 16)} UTC</time> ({session.auth_method === 'oidc' ? 'single sign-on' : 'password'})
          </dd>
        </dl>
        <h2 class="heading-m">Sign out everywhere</h2>
        <p class="body">Ends every session of your account, on every device, including this one.</p>
        <form method="post" action="/account/sign-out-everywhere">
          <CsrfField token={csrfToken} />
          <button type="submit" class="button button--warning">Sign out everywhere</button>
        </form>
      </Layout>,
    )
  })

  app.post('/sign-out-everywhere', async (c) => {
    const { user } = c.var.auth!
    await endAllSessions(c.var.deps.store.db, { userId: user.id, actor: user.email, at: c.var.deps.clock.now() })
    clearSessionCookie(c)
    return c.redirect('/sign-in?signed-out=1', 303)
  })
  return app
}

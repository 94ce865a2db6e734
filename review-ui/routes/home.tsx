import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { requireSignedIn } from '../middleware/require-role.js'
import { Layout, NAV } from '../views/layout.js'

/** `/`: the Overview for inventory roles; reviewers land on their own work. */
export function homeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/', requireSignedIn(), (c) => {
    const { user, csrfToken } = c.var.auth!
    const links = NAV.filter((n) => n.href !== '/' && n.roles.includes(user.role))
    return c.html(
      <Layout title="Overview" user={user} csrfToken={csrfToken} current="/">
        <h1 class="heading-l">Overview</h1>
        {links.length === 0 ? (
          <p class="body">Nothing is assigned to you yet. When an access review needs you, it will be listed here.</p>
        ) : (
          <ul>
            {links.map((l) => (
              <li>
                <a href={l.href}>{l.label}</a>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    )
  })
  return app
}

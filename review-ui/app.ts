import { Hono } from 'hono'
import { csrf } from 'hono/csrf'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { AppEnv, UiDeps } from './env.js'
import { jsonLineLogger, systemClock } from './env.js'
import { notFound, onError } from './errors.js'
import { csrfToken } from './middleware/csrf-token.js'
import { requestId } from './middleware/request-id.js'
import { securityHeaders } from './middleware/security-headers.js'
import { loadSession } from './middleware/session.js'
import { accountRoutes } from './routes/account.js'
import { adminUserRoutes } from './routes/admin-users.js'
import { authRoutes } from './routes/auth.js'
import { singleSignOnRoutes } from './routes/single-sign-on.js'
import { overviewRoutes } from './routes/overview.js'
import { peopleRoutes } from './routes/people.js'
import { spendRoutes } from './routes/spend.js'
import { importRoutes } from './routes/imports.js'
import { appRoutes } from './routes/apps.js'
import { findingRoutes } from './routes/findings.js'
import { evidenceRoutes } from './routes/evidence.js'
import { STYLESHEET, staticFiles } from './static-files.js'
import { createSpendUploadRunner } from './uploads/spend-upload-runner.js'
import { campaignRoutes, remediationRoutes } from './campaigns/campaign-routes.js'
import { reviewRoutes } from './campaigns/review-routes.js'
import { REVIEW_SCRIPT } from './campaigns/static.js'

/** The socket's remote address (behind a proxy this is the proxy: configure the proxy to rate-limit too). */
function socketAddress(request: Request, env: unknown): string | null {
  try {
    return getConnInfo({ req: { raw: request }, env } as never).remote.address ?? null
  } catch {
    return null // app.request() in tests has no socket
  }
}

/**
 * The whole web app as a Hono app: no listener, no environment. `scripts/cli/commands/serve.ts` builds the
 * deps from config and listens; tests call `app.request()`.
 */
export function createApp(deps: UiDeps): Hono<AppEnv> {
  const clock = deps.clock ?? systemClock
  const logger = deps.logger ?? jsonLineLogger((line) => process.stderr.write(line))
  const resolved = {
    ...deps,
    clock,
    logger,
    clientAddress: deps.clientAddress ?? socketAddress,
    jobs: deps.jobs ?? createSpendUploadRunner({ store: deps.store, clock, logger }),
  }
  const app = new Hono<AppEnv>()
  app.onError(onError)
  app.notFound(notFound)

  app.use(requestId())
  app.use(async function provideDeps(c, next) {
    c.set('deps', resolved)
    await next()
  })
  app.use(async function accessLog(c, next) {
    const started = performance.now()
    await next()
    resolved.logger.info('http.request', {
      requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status,
      ms: Math.round(performance.now() - started), user: c.get('auth')?.user.id ?? null,
    })
  })
  app.use(securityHeaders({ hsts: deps.config.secureCookies }))
  app.route('/', staticFiles([STYLESHEET, REVIEW_SCRIPT]))

  // Machine routes with their own (bearer-token) authentication are mounted here, before the session and CSRF layers.
  for (const routes of deps.machineRoutes ?? []) app.route('/', routes)

  const origins = deps.config.trustedOrigins
  app.use(csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origins.includes(origin) }))
  app.use(loadSession())
  app.use(csrfToken())

  app.route('/', authRoutes())
  if (deps.config.oidc) app.route('/auth/oidc', singleSignOnRoutes(deps.config.oidc))
  app.route('/', overviewRoutes())
  app.route('/apps', appRoutes())
  app.route('/people', peopleRoutes())
  app.route('/findings', findingRoutes())
  app.route('/spend', spendRoutes())
  app.route('/imports', importRoutes())
  app.route('/account', accountRoutes())
  app.route('/admin/users', adminUserRoutes())
  app.route('/evidence', evidenceRoutes())
  app.route('/campaigns', campaignRoutes(deps.campaigns ?? {}))
  app.route('/remediations', remediationRoutes(deps.campaigns ?? {}))
  app.route('/review', reviewRoutes())
  return app
}

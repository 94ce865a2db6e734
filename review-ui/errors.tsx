import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { HTTP_STATUS_FOR, isDomainError } from '../data/errors.js'
import type { AppEnv } from './env.js'
import { ErrorPage } from './views/layout.js'


const TITLES: Partial<Record<number, string>> = {
  400: 'Something in the request was not right',
  401: 'Please sign in',
  403: 'You do not have access to this',
  404: 'Page not found',
  409: 'That change conflicts with the current state',
  413: 'The file is too large',
  415: 'That kind of file cannot be used here',
  429: 'Too many attempts',
  500: 'Sorry, something went wrong',
  502: 'The sign-in service did not answer',
}

export function statusOf(error: unknown): ContentfulStatusCode {
  if (error instanceof HTTPException) return error.status as ContentfulStatusCode
  // Domain errors from data/ carry their kind; data/errors.ts maps each kind to its status.
  if (isDomainError(error)) return HTTP_STATUS_FOR[error.code] as ContentfulStatusCode
  return 500
}

export function renderError(c: Context<AppEnv>, status: ContentfulStatusCode, message: string): Response | Promise<Response> {
  const auth = c.get('auth') ?? null
  return c.html(
    <ErrorPage
      status={status}
      title={TITLES[status] ?? 'Something went wrong'}
      message={message}
      requestId={c.get('requestId')}
      user={auth ? { email: auth.user.email, role: auth.user.role } : null}
      csrfToken={auth?.csrfToken ?? null}
    />,
    status,
  )
}

/** One handler for every failure: expected ones (HTTPException, domain errors) say what to do; others are logged. */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  const status = statusOf(error)
  const logger = c.get('deps')?.logger
  if (status >= 500) {
    logger?.error('http.error', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, error: error.message, stack: error.stack })
    return renderError(c, 500, 'The error has been logged. Try again in a moment; if it keeps happening, tell your Sightline administrator.')
  }
  logger?.info('http.refused', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status })
  const headers = error instanceof HTTPException ? error.getResponse().headers.get('Retry-After') : null
  if (headers) c.header('Retry-After', headers)
  const message = error instanceof HTTPException && error.res ? TITLES[status] ?? 'Refused.' : error.message
  return renderError(c, status, message || (TITLES[status] ?? 'Refused.'))
}

export const notFound: NotFoundHandler<AppEnv> = (c) => renderError(c, 404, 'Check the address, or start again from the overview.')

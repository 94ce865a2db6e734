import type { Child, FC } from 'hono/jsx'
import type { Role } from '../../data/tables/auth.table.js'
import { STYLESHEET_PATH } from '../static-files.js'

export interface NavItem {
  href: string
  label: string
  roles: readonly Role[]
}

/** The main navigation; each link shows only to the roles its page admits (the server checks again). */
export const NAV: readonly NavItem[] = [
  { href: '/', label: 'Overview', roles: ['admin', 'it', 'finance', 'auditor'] },
  { href: '/apps', label: 'Apps', roles: ['admin', 'it', 'finance', 'auditor'] },
  { href: '/people', label: 'People', roles: ['admin', 'it', 'auditor'] },
  { href: '/findings', label: 'Findings', roles: ['admin', 'it', 'auditor'] },
  { href: '/spend', label: 'Spend', roles: ['admin', 'finance', 'auditor'] },
  { href: '/imports', label: 'Imports & scans', roles: ['admin', 'it', 'finance', 'auditor'] },
  { href: '/campaigns', label: 'Campaigns', roles: ['admin', 'it', 'auditor'] },
  { href: '/review', label: 'My reviews', roles: ['admin', 'it', 'finance', 'reviewer', 'auditor'] },
  { href: '/evidence', label: 'Audit & evidence', roles: ['admin', 'auditor'] },
  { href: '/admin/users', label: 'Users', roles: ['admin'] },
]

export interface LayoutUser {
  email: string
  role: Role
}

export interface LayoutProps {
  title: string
  user?: LayoutUser | null
  csrfToken?: string | null
  /** The nav link to mark as the current page. */
  current?: string
  /** Reload the page after this many seconds (a job in progress; works without JavaScript). */
  refreshSeconds?: number
  children?: Child
}

export const Layout: FC<LayoutProps> = ({ title, user, csrfToken, current, refreshSeconds, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} — Sightline`}</title>
      {refreshSeconds ? <meta http-equiv="refresh" content={String(refreshSeconds)} /> : null}
      <link rel="stylesheet" href={STYLESHEET_PATH} />
    </head>
    <body>
      <a class="skip-link" href="#main">Skip to main content</a>
      <header class="site-header">
        <div class="site-header__inner">
          <a class="site-header__brand" href="/">Sightline</a>
          {user ? (
            <div class="site-header__account">
              <span class="site-header__who">
                {user.email} <span class="tag">{user.role}</span>
              </span>
              <form method="post" action="/sign-out" class="inline-form">
                <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
                <button type="submit" class="button button--link">Sign out</button>
              </form>
            </div>
          ) : null}
        </div>
        {user ? (
          <nav class="site-nav" aria-label="Main">
            <ul class="site-nav__list">
              {NAV.filter((item) => item.roles.includes(user.role)).map((item) => (
                <li>
                  <a class="site-nav__link" href={item.href} aria-current={current === item.href ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" class="page" tabindex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <p>Sightline — self-hosted SaaS discovery and access reviews.</p>
      </footer>
    </body>
  </html>
)

export interface FieldError {
  field: string
  message: string
}

/** GOV.UK-style error summary: first thing in the page, each message links to its field. */
export const ErrorSummary: FC<{ errors: readonly FieldError[] }> = ({ errors }) =>
  errors.length === 0 ? null : (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 class="error-summary__title" id="error-summary-title">
        There is a problem
      </h2>
      <ul class="error-summary__list">
        {errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  )

/** A labelled input with its hint and error, wired with aria-describedby. */
export const TextField: FC<{
  id: string
  label: string
  name?: string
  type?: string
  value?: string
  hint?: string
  error?: string
  autocomplete?: string
  required?: boolean
}> = ({ id, label, name, type, value, hint, error, autocomplete, required }) => {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  return (
    <div class={error ? 'form-group form-group--error' : 'form-group'}>
      <label class="label" for={id}>
        {label}
      </label>
      {hint ? (
        <div class="hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      <input
        class={error ? 'input input--error' : 'input'}
        id={id}
        name={name ?? id}
        type={type ?? 'text'}
        value={value}
        autocomplete={autocomplete}
        required={required}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  )
}

/** The hidden CSRF field every state-changing form carries. */
export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />

/** A plain page for errors: what happened, what to do, and the request id to quote. */
export const ErrorPage: FC<{ status: number; title: string; message: string; requestId?: string; user?: LayoutUser | null; csrfToken?: string | null }> = ({
  status,
  title,
  message,
  requestId,
  user,
  csrfToken,
}) => (
  <Layout title={title} user={user} csrfToken={csrfToken}>
    <h1 class="heading-l">{title}</h1>
    <p class="body">{message}</p>
    {status === 401 ? (
      <p class="body">
        <a href="/sign-in">Sign in</a>
      </p>
    ) : (
      <p class="body">
        <a href="/">Go to the overview</a>
      </p>
    )}
    {requestId ? <p class="hint">Request id: {requestId} (quote it if you report this).</p> : null}
  </Layout>
)

import { Hono } from 'hono'
import type { Role } from '../../data/tables/auth.table.js'
import { isDomainError, NotFoundError } from '../../data/errors.js'
import { addUser, findUserById, listUsers, ROLES, setUserDisabled, setUserRole, type UiUserView } from '../../data/ui-users.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import { CsrfField, ErrorSummary, Layout, TextField, type FieldError } from '../views/layout.js'

const ROLE_HELP: Record<Role, string> = {
  admin: 'everything, including users',
  it: 'inventory, scans and findings',
  finance: 'spend and statement uploads',
  reviewer: 'only their own review items',
  auditor: 'reads everything, changes nothing',
}

const RoleSelect = (props: { id: string; name: string; value?: Role; label: string }) => (
  <div class="form-group">
    <label class="label" for={props.id}>
      {props.label}
    </label>
    <select class="select" id={props.id} name={props.name}>
      {ROLES.map((r) => (
        <option value={r} selected={r === props.value}>
          {r} — {ROLE_HELP[r]}
        </option>
      ))}
    </select>
  </div>
)

const UsersPage = (props: { users: UiUserView[]; me: { email: string; role: Role }; csrfToken: string; errors?: FieldError[]; values?: Record<string, string>; notice?: string }) => (
  <Layout title="Users" user={props.me} csrfToken={props.csrfToken} current="/admin/users">
    <ErrorSummary errors={props.errors ?? []} />
    <h1 class="heading-l">Users</h1>
    {props.notice ? <p class="notice notice--ok">{props.notice}</p> : null}
    <div class="table-wrap">
      <table>
        <caption>People who can sign in to Sightline</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Sign-in</th>
            <th scope="col">Last signed in</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td>
                {u.email}
                {u.name ? <div class="hint">{u.name}</div> : null}
              </td>
              <td>
                <span class="tag">{u.role}</span> {u.disabled ? <span class="tag tag--failed">disabled</span> : null}
              </td>
              <td>{[u.hasPassword ? 'password' : null, u.singleSignOn ? 'single sign-on' : null].filter(Boolean).join(', ') || 'single sign-on'}</td>
              <td>{u.lastLoginAt ? `${u.lastLoginAt.replace('T', ' ').slice(0, 16)} UTC` : 'never'}</td>
              <td>
                <form method="post" action={`/admin/users/${u.id}/role`} class="inline-form">
                  <CsrfField token={props.csrfToken} />
                  <label class="visually-hidden" for={`role-${u.id}`}>
                    Role for {u.email}
                  </label>
                  <select class="select" id={`role-${u.id}`} name="role">
                    {ROLES.map((r) => (
                      <option value={r} selected={r === u.role}>
                        {r}
                      </option>
                    ))}
                  </select>{' '}
                  <button type="submit" class="button button--secondary">
                    Set role<span class="visually-hidden"> for {u.email}</span>
                  </button>
                </form>{' '}
                <form method="post" action={`/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`} class="inline-form">
                  <CsrfField token={props.csrfToken} />
                  <button type="submit" class="button button--link">
                    {u.disabled ? 'Enable' : 'Disable'}
                    <span class="visually-hidden"> {u.email}</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <h2 class="heading-m">Add a user</h2>
    <form method="post" action="/admin/users" class="narrow" novalidate>
      <CsrfField token={props.csrfToken} />
      <TextField id="email" label="Email address" type="email" value={props.values?.email} error={props.errors?.find((e) => e.field === 'email')?.message} />
      <TextField id="name" label="Name (optional)" value={props.values?.name} />
      <RoleSelect id="role" name="role" label="Role" value={(props.values?.role as Role | undefined) ?? 'reviewer'} />
      <TextField id="password" label="Password (optional)" type="password" autocomplete="new-password"
        hint="At least 12 characters. Leave empty for a user who signs in only with single sign-on. Tell them the password another way; Sightline never sends it."
        error={props.errors?.find((e) => e.field === 'password')?.message} />
      <button type="submit" class="button">Add user</button>
    </form>
  </Layout>
)

/** Admin page for the same operations as `sightline users add|list|disable|set-role`. */
export function adminUserRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin'))

  const userEmailById = async (db: AppEnv['Variables']['deps']['store']['db'], id: string): Promise<string> => {
    const n = Number(id)
    const row = Number.isSafeInteger(n) && n > 0 ? await findUserById(db, n) : undefined
    if (!row) throw new NotFoundError(`user ${id}: no such user`)
    return row.email
  }

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const notice = c.req.query('done') ? 'Saved.' : undefined
    return c.html(<UsersPage users={await listUsers(c.var.deps.store.db)} me={user} csrfToken={csrfToken} notice={notice} />)
  })

  app.post('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const { store, clock } = c.var.deps
    const form = await c.req.parseBody()
    const values = { email: String(form.email ?? ''), name: String(form.name ?? ''), role: String(form.role ?? ''), password: String(form.password ?? '') }
    try {
      await addUser(store.db, {
        email: values.email, name: values.name, role: values.role as Role, password: values.password === '' ? null : values.password, actor: user.email, at: clock.now(),
      })
    } catch (error) {
      if (!isDomainError(error) || error.code === 'not-found' || error.code === 'forbidden') throw error
      const field = /^password/.test(error.message) ? 'password' : 'email'
      const { password: _omit, ...kept } = values
      return c.html(<UsersPage users={await listUsers(store.db)} me={user} csrfToken={csrfToken} errors={[{ field, message: error.message }]} values={kept} />, error.code === 'conflict' ? 409 : 400)
    }
    return c.redirect('/admin/users?done=1', 303)
  })

  app.post('/:id/role', async (c) => {
    const { user } = c.var.auth!
    const form = await c.req.parseBody()
    const email = await userEmailById(c.var.deps.store.db, c.req.param('id'))
    await setUserRole(c.var.deps.store.db, { email, role: String(form.role ?? '') as Role, actor: user.email, at: c.var.deps.clock.now() })
    return c.redirect('/admin/users?done=1', 303)
  })

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/:id/${action}`, async (c) => {
      const { user } = c.var.auth!
      const email = await userEmailById(c.var.deps.store.db, c.req.param('id'))
      await setUserDisabled(c.var.deps.store.db, { email, disabled: action === 'disable', actor: user.email, at: c.var.deps.clock.now() })
      return c.redirect('/admin/users?done=1', 303)
    })
  }
  return app
}

import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { loadResolver, normalizerFor } from '../../analyzer/resolve/load-resolver.js'
import { appDetail, type AppDetail } from '../../data/app-view.js'
import { APP_SORT_KEYS, APP_STATUSES, listApps, mapIdentifierToApp, parseIdentifierKind, setAppStatus, type AppSortKey } from '../../data/apps.js'
import { formatMoney } from '../../data/money.js'
import type { AppStatus } from '../../data/tables/apps.table.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import { Pagination, pageNumber, queryString, Section, SelectField, SortHeader, Tag } from '../views/components.js'
import { formatCount, formatDate, formatDateTime } from '../views/format.js'
import { CsrfField, Layout } from '../views/layout.js'

const PAGE_SIZE = 50
const SORT_LABELS: Record<AppSortKey, string> = { name: 'Name', status: 'Status', category: 'Category', spend: 'Spend', users: 'Users', lastUsed: 'Last used', firstSeen: 'First seen' }

/** Apps: the inventory table (search, filters, sort, server-side pages) and one page per app. */
export function appRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'it', 'finance', 'auditor'))

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const q = c.req.query()
    const status = queryString(q.status)
    const sort = queryString(q.sort)
    const query = {
      q: queryString(q.q),
      status: status && (APP_STATUSES as readonly string[]).includes(status) ? status : undefined,
      category: queryString(q.category),
      source: queryString(q.source),
      sort: sort && (APP_SORT_KEYS as readonly string[]).includes(sort) ? sort : undefined,
      dir: q.dir === 'asc' || q.dir === 'desc' ? q.dir : undefined,
    }
    const page = pageNumber(q.page)
    const result = await listApps(c.var.deps.store.db, {
      search: query.q, statuses: query.status ? [query.status as AppStatus] : undefined, categories: query.category ? [query.category] : undefined,
      sources: query.source ? [query.source] : undefined, sort: query.sort as AppSortKey | undefined, direction: query.dir as 'asc' | 'desc' | undefined,
      limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
    })
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE))
    const showSpend = user.role !== 'it'
    return c.html(
      <Layout title="Apps" user={user} csrfToken={csrfToken} current="/apps">
        <h1 class="heading-l">Apps</h1>
        <form method="get" action="/apps" class="filters" role="search" aria-label="Filter apps">
          <div class="form-group">
            <label class="label" for="q">
              Search
            </label>
            <input class="input" id="q" name="q" type="search" value={query.q ?? ''} />
          </div>
          <SelectField id="status" label="Status" value={query.status} options={APP_STATUSES} any="Any" />
          <div class="form-group">
            <label class="label" for="source">
              Seen by
            </label>
            <input class="input" id="source" name="source" value={query.source ?? ''} />
          </div>
          {query.sort ? <input type="hidden" name="sort" value={query.sort} /> : null}
          {query.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
          <button type="submit" class="button button--secondary">
            Filter
          </button>
        </form>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Apps, sortable by each column</caption>
            <thead>
              <tr>
                <SortHeader path="/apps" query={query} sortKey="name" label={SORT_LABELS.name} />
                <SortHeader path="/apps" query={query} sortKey="status" label={SORT_LABELS.status} />
                <SortHeader path="/apps" query={query} sortKey="category" label={SORT_LABELS.category} />
                <th scope="col">Seen by</th>
                {showSpend ? <SortHeader path="/apps" query={query} sortKey="spend" label={SORT_LABELS.spend} num defaultDir="desc" /> : null}
                <SortHeader path="/apps" query={query} sortKey="users" label={SORT_LABELS.users} num defaultDir="desc" />
                <SortHeader path="/apps" query={query} sortKey="lastUsed" label={SORT_LABELS.lastUsed} defaultDir="desc" />
              </tr>
            </thead>
            <tbody>
              {result.rows.map((a) => (
                <tr>
                  <td>
                    <a href={`/apps/${a.id}`}>{a.name}</a>
                    {a.owner ? <div class="hint">owner {a.owner}</div> : null}
                  </td>
                  <td>
                    <Tag value={a.status} />
                  </td>
                  <td>
                    {a.category ?? '—'}
                    {a.function ? <div class="hint">{a.function}</div> : null}
                  </td>
                  <td>{a.sources.join(', ') || '—'}</td>
                  {showSpend ? <td class="num">{a.spend.map((s) => formatMoney(s.totalMinor, s.currency)).join(' + ') || '—'}</td> : null}
                  <td class="num">{formatCount(a.users)}</td>
                  <td class="date">{formatDate(a.lastUsedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {result.total === 0 ? <p class="body">No apps match these filters.</p> : null}
        <Pagination path="/apps" query={query} page={page} pages={pages} total={result.total} noun="apps" />
      </Layout>,
    )
  })

  app.get('/:id{[0-9]+}', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const includeGrants = user.role !== 'finance'
    const detail = await appDetail(c.var.deps.store.db, Number(c.req.param('id')), { includeGrants })
    if (!detail) throw new HTTPException(404, { message: 'There is no such app.' })
    const canChange = user.role === 'admin' || user.role === 'it'
    const notice = c.req.query('done') === 'status' ? 'Status and owner saved.' : c.req.query('done') === 'mapped' ? 'Identifier mapped; what was stored from it now points to the chosen app.' : undefined
    return c.html(
      <Layout title={detail.app.name} user={user} csrfToken={csrfToken} current="/apps">
        <AppView d={detail} canChange={canChange} csrfToken={csrfToken} notice={notice} showPeople={user.role !== 'finance'} />
      </Layout>,
    )
  })

  app.post('/:id{[0-9]+}/status', requireRole('admin', 'it'), async (c) => {
    const { user } = c.var.auth!
    const form = await c.req.parseBody()
    const owner = typeof form.owner === 'string' ? form.owner.trim() : ''
    await setAppStatus(c.var.deps.store.db, { app: { id: Number(c.req.param('id')) }, status: String(form.status ?? ''), owner: owner === '' ? null : owner, actor: user.email, at: c.var.deps.clock.now() })
    return c.redirect(`/apps/${c.req.param('id')}?done=status`, 303)
  })

  app.post('/:id{[0-9]+}/map', requireRole('admin', 'it'), async (c) => {
    const { user } = c.var.auth!
    const form = await c.req.parseBody()
    const db = c.var.deps.store.db
    const id = Number(c.req.param('id'))
    const detail = await appDetail(db, id, { includeGrants: false, userLimit: 1 })
    if (!detail) throw new HTTPException(404, { message: 'There is no such app.' })
    const kind = parseIdentifierKind(String(form.kind ?? ''))
    const raw = String(form.raw ?? '')
    // Only an identifier this app holds can be mapped from its page (no mapping someone else's signal by id).
    if (!detail.identifiers.some((i) => i.kind === kind && i.exampleRaw === raw)) throw new HTTPException(404, { message: 'That identifier does not belong to this app.' })
    const target = String(form.appKey ?? '').trim()
    if (target === '') throw new HTTPException(400, { message: 'Enter the catalog key of the app this really is, or "none".' })
    const normalize = normalizerFor(await loadResolver(db), kind)
    await mapIdentifierToApp(db, { kind, raw, appKey: target === 'none' ? null : target, normalize, actor: user.email, at: c.var.deps.clock.now() })
    return c.redirect(`/apps/${id}?done=mapped`, 303)
  })
  return app
}

const AppView = ({ d, canChange, csrfToken, notice, showPeople }: { d: AppDetail; canChange: boolean; csrfToken: string; notice?: string; showPeople: boolean }) => {
  const a = d.app
  return (
    <>
      <p class="hint">
        <a href="/apps">Apps</a>
      </p>
      <h1 class="heading-l">{a.name}</h1>
      {notice ? <p class="notice notice--ok">{notice}</p> : null}
      <dl class="summary-list">
        <dt>Status</dt>
        <dd>
          <Tag value={a.status} />
        </dd>
        <dt>Owner</dt>
        <dd>{a.owner_email ?? 'nobody yet'}</dd>
        <dt>Vendor</dt>
        <dd>{a.vendor ?? '—'}</dd>
        <dt>Category</dt>
        <dd>{a.category ?? '—'}</dd>
        <dt>In the catalog</dt>
        <dd>{a.catalog_key ? `yes (${a.catalog_key})` : `no — discovered as ${a.candidate_key ?? 'an unknown app'}`}</dd>
        <dt>Sources</dt>
        <dd>{d.sourceApps.map((s) => `${s.source}: ${s.label}${s.goneAt ? ' (gone)' : ''}`).join('; ') || '—'}</dd>
      </dl>

      {canChange ? (
        <Section id="change" title="Status and owner">
          <form method="post" action={`/apps/${a.id}/status`} class="narrow">
            <CsrfField token={csrfToken} />
            <SelectField id="status" label="Status" value={a.status} options={APP_STATUSES} />
            <div class="form-group">
              <label class="label" for="owner">
                Owner's email (optional)
              </label>
              <input class="input" id="owner" name="owner" type="email" value={a.owner_email ?? ''} />
            </div>
            <button type="submit" class="button">
              Save
            </button>
          </form>
        </Section>
      ) : null}

      {showPeople ? (
        <Section id="users" title={`Users and accounts (${formatCount(d.usersTotal)})`}>
          {d.users.length === 0 ? <p class="body">No accounts on record.</p> : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Source</th>
                    <th scope="col">Account</th>
                    <th scope="col">Last sign-in</th>
                  </tr>
                </thead>
                <tbody>
                  {d.users.map((u) => (
                    <tr class={u.personStatus === 'terminated' && !u.goneAt ? 'is-leaver' : undefined}>
                      <td>
                        {u.personId ? <a href={`/people/${u.personId}`}>{u.name ?? u.email}</a> : u.email ?? 'unmatched identity'}
                        {u.personStatus === 'terminated' ? <div class="hint">left the company</div> : null}
                      </td>
                      <td>{u.source}</td>
                      <td>{u.goneAt ? `removed ${formatDate(u.goneAt)}` : u.accountStatus ?? 'active'}</td>
                      <td>{formatDateTime(u.lastSignInAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {d.usersTotal > d.users.length ? <p class="hint">Showing the {d.users.length} most recently active of {formatCount(d.usersTotal)}.</p> : null}
        </Section>
      ) : null}

      {d.grants ? (
        <Section id="grants" title={`OAuth grants (${d.grants.length})`}>
          {d.grants.length === 0 ? <p class="body">No OAuth grants.</p> : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Risk</th>
                    <th scope="col">What it allows</th>
                  </tr>
                </thead>
                <tbody>
                  {d.grants.map((g) => (
                    <tr>
                      <td>
                        {g.personId ? <a href={`/people/${g.personId}`}>{g.userEmail ?? 'person'}</a> : g.userEmail ?? '—'}
                        <div class="hint">
                          {g.clientName ?? ''} via {g.source}
                          {g.revokedAt ? `, revoked ${formatDate(g.revokedAt)}` : ''}
                        </div>
                      </td>
                      <td>
                        <Tag value={g.risk} />
                      </td>
                      <td>
                        <ul>
                          {g.scopes.map((s) => (
                            <li>
                              {s.meaning} <span class="hint">({s.level})</span>
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      ) : null}

      <Section id="spend" title="Spend">
        {d.spendByMonth.length === 0 ? <p class="body">No card or expense lines matched this app.</p> : (
          <>
            <div class="table-wrap">
              <table>
                <caption>By month</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col" class="num">Amount</th>
                    <th scope="col" class="num">Lines</th>
                  </tr>
                </thead>
                <tbody>
                  {d.spendByMonth.map((s) => (
                    <tr>
                      <td>{s.month}</td>
                      <td class="num">{formatMoney(s.totalMinor, s.currency)}</td>
                      <td class="num">{s.transactions}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="table-wrap">
              <table>
                <caption>By cardholder</caption>
                <thead>
                  <tr>
                    <th scope="col">Cardholder</th>
                    <th scope="col" class="num">Amount</th>
                    <th scope="col" class="num">Lines</th>
                  </tr>
                </thead>
                <tbody>
                  {d.spendByCardholder.map((s) => (
                    <tr>
                      <td>{s.cardholder}</td>
                      <td class="num">{formatMoney(s.totalMinor, s.currency)}</td>
                      <td class="num">{s.transactions}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Section>

      <Section id="identifiers" title="How Sightline recognised it">
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Signal</th>
                <th scope="col">Seen as</th>
                <th scope="col">Rule</th>
                <th scope="col" class="num">Seen</th>
                {canChange ? <th scope="col">Map to another app</th> : null}
              </tr>
            </thead>
            <tbody>
              {d.identifiers.map((i, n) => (
                <tr>
                  <td>{i.kind}</td>
                  <td>{i.exampleRaw}</td>
                  <td>
                    {i.rule} ({Math.round(i.confidence * 100)}%){i.confirmed ? <div class="hint">confirmed by {i.confirmedBy ?? 'an admin'}</div> : null}
                  </td>
                  <td class="num">{formatCount(i.seenCount)}</td>
                  {canChange ? (
                    <td>
                      <form method="post" action={`/apps/${a.id}/map`} class="inline-form">
                        <CsrfField token={csrfToken} />
                        <input type="hidden" name="kind" value={i.kind} />
                        <input type="hidden" name="raw" value={i.exampleRaw} />
                        <label class="visually-hidden" for={`map-${n}`}>
                          Catalog key for {i.exampleRaw}
                        </label>
                        <input class="input" id={`map-${n}`} name="appKey" placeholder="catalog key or none" />{' '}
                        <button type="submit" class="button button--secondary">
                          Map<span class="visually-hidden"> {i.exampleRaw}</span>
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      {showPeople ? (
        <Section id="findings" title={`Findings (${d.findings.length})`}>
          {d.findings.length === 0 ? <p class="body">No findings about this app.</p> : (
            <ul>
              {d.findings.map((f) => (
                <li>
                  <Tag value={f.severity} /> <a href={`/findings/${f.id}`}>{f.title}</a> <span class="hint">({f.status})</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      ) : null}
    </>
  )
}



import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { listDepartments, listPeople, personDetail, type PersonDetail } from '../../data/people-view.js'
import type { PersonStatus } from '../../data/tables/people.table.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import { Pagination, pageNumber, queryString, Section, SelectField, Tag } from '../views/components.js'
import { formatDate, formatDateTime } from '../views/format.js'
import { Layout } from '../views/layout.js'
import { formatMoney } from '../../data/money.js'

const STATUSES: readonly PersonStatus[] = ['active', 'suspended', 'terminated']

/** People: who works here per HR and the directories, and everything each person holds. Finance sees no grants. */
export function peopleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'it', 'auditor'))

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const today = c.var.deps.clock.now().slice(0, 10)
    const status = queryString(c.req.query('status'))
    const query = {
      q: queryString(c.req.query('q')),
      status: status && (STATUSES as readonly string[]).includes(status) ? status : undefined,
      department: queryString(c.req.query('department')),
      // `leavers=1`: leavers still holding access; `leavers=missing`: people the HR roster stopped listing.
      leavers: c.req.query('leavers') === '1' ? '1' : c.req.query('leavers') === 'missing' ? 'missing' : undefined,
    }
    const page = pageNumber(c.req.query('page'))
    const result = await listPeople(c.var.deps.store.db, { q: query.q, status: query.status as PersonStatus | undefined, department: query.department, leaversHolding: query.leavers === '1', missingFromRoster: query.leavers === 'missing', page }, today)
    const departments = await listDepartments(c.var.deps.store.db)
    return c.html(
      <Layout title="People" user={user} csrfToken={csrfToken} current="/people">
        <h1 class="heading-l">People</h1>
        <form method="get" action="/people" class="filters" role="search" aria-label="Filter people">
          <div class="form-group">
            <label class="label" for="q">
              Search
            </label>
            <input class="input" id="q" name="q" type="search" value={query.q ?? ''} />
          </div>
          <SelectField id="status" label="HR status" value={query.status} options={STATUSES} any="Any" />
          <SelectField id="department" label="Department" value={query.department} options={departments} any="Any" />
          <SelectField id="leavers" label="Show" value={query.leavers} options={[{ value: '1', label: 'Leavers still holding access' }, { value: 'missing', label: 'Missing from the HR roster' }]} any="Everyone" />
          <button type="submit" class="button button--secondary">
            Filter
          </button>
        </form>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">People</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Department</th>
                <th scope="col">HR status</th>
                <th scope="col" class="num">Apps</th>
                <th scope="col" class="num">Accounts</th>
                <th scope="col" class="num">OAuth grants</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((p) => (
                <tr class={p.leaver && p.accounts + p.grants > 0 ? 'is-leaver' : undefined}>
                  <td>
                    <a href={`/people/${p.id}`}>{p.name ?? p.email}</a>
                    <div class="hint">{p.email}</div>
                  </td>
                  <td>
                    {p.department ?? '—'}
                    {p.title ? <div class="hint">{p.title}</div> : null}
                  </td>
                  <td>
                    <Tag value={p.status} />
                    {p.leaver && p.accounts + p.grants > 0 ? <div class="hint">left, still holds access</div> : null}
                    {p.rosterMissingSince ? <div class="hint">missing from the HR roster since {formatDate(p.rosterMissingSince)}</div> : null}
                  </td>
                  <td class="num">{p.apps}</td>
                  <td class="num">{p.accounts}</td>
                  <td class="num">{p.grants}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {result.total === 0 ? <p class="body">Nobody matches these filters.</p> : null}
        <Pagination path="/people" query={query} page={result.page} pages={result.pages} total={result.total} noun="people" />
      </Layout>,
    )
  })

  app.get('/:id{[0-9]+}', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const today = c.var.deps.clock.now().slice(0, 10)
    const detail = await personDetail(c.var.deps.store.db, Number(c.req.param('id')), today)
    if (!detail) throw new HTTPException(404, { message: 'There is no such person. They may have been removed from the roster.' })
    return c.html(
      <Layout title={detail.person.name ?? detail.person.email} user={user} csrfToken={csrfToken} current="/people">
        <PersonView d={detail} />
      </Layout>,
    )
  })
  return app
}

const PersonView = ({ d }: { d: PersonDetail }) => {
  const p = d.person
  const held = d.accounts.filter((a) => !a.goneAt).length + d.grants.filter((g) => !g.revokedAt).length
  return (
    <>
      <p class="hint">
        <a href="/people">People</a>
      </p>
      <h1 class="heading-l">{p.name ?? p.email}</h1>
      {d.leaver && held > 0 ? (
        <div class="error-summary" role="region" aria-label="Leaver still holding access">
          <h2 class="error-summary__title">Left{p.end_date ? ` on ${formatDate(p.end_date)}` : ''}, still holds {held} account{held === 1 ? '' : 's'} or grant{held === 1 ? '' : 's'}</h2>
          <p class="body">Review the accounts and grants below and remove what is no longer needed.</p>
        </div>
      ) : null}
      <dl class="summary-list">
        <dt>Email</dt>
        <dd>{p.email}</dd>
        <dt>HR status</dt>
        <dd>
          <Tag value={p.status} />
          {p.roster_missing_since ? <div class="hint">Missing from the HR roster since {formatDate(p.roster_missing_since)}</div> : null}
        </dd>
        <dt>Department</dt>
        <dd>{p.department ?? '—'}</dd>
        <dt>Title</dt>
        <dd>{p.title ?? '—'}</dd>
        <dt>Manager</dt>
        <dd>{p.manager_email ?? '—'}</dd>
        <dt>Employment</dt>
        <dd>{p.employment_type ?? '—'}</dd>
        <dt>Start and end</dt>
        <dd>
          {formatDate(p.start_date)} to {p.end_date ? formatDate(p.end_date) : 'present'}
        </dd>
        <dt>Known from</dt>
        <dd>{d.identities.map((i) => `${i.source}${i.goneAt ? ' (gone)' : ''}`).join(', ') || '—'}</dd>
      </dl>

      <Section id="accounts" title={`Accounts (${d.accounts.length})`}>
        {d.accounts.length === 0 ? <p class="body">No accounts found in any source.</p> : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">App</th>
                  <th scope="col">Source</th>
                  <th scope="col">Account</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Entitlements</th>
                </tr>
              </thead>
              <tbody>
                {d.accounts.map((a) => (
                  <tr class={d.leaver && !a.goneAt ? 'is-leaver' : undefined}>
                    <td>
                      <a href={`/apps/${a.appId}`}>{a.appName}</a> <Tag value={a.appStatus} />
                    </td>
                    <td>{a.source}</td>
                    <td>
                      {a.username ?? '—'} {a.goneAt ? <span class="hint">(removed {formatDate(a.goneAt)})</span> : a.status ? <span class="hint">({a.status})</span> : null}
                    </td>
                    <td>{formatDateTime(a.lastSignInAt ?? a.lastActivityAt)}</td>
                    <td>{a.entitlements.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="grants" title={`OAuth grants (${d.grants.length})`}>
        {d.grants.length === 0 ? <p class="body">No OAuth grants.</p> : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">App</th>
                  <th scope="col">Risk</th>
                  <th scope="col">What it allows</th>
                  <th scope="col">Since</th>
                </tr>
              </thead>
              <tbody>
                {d.grants.map((g) => (
                  <tr class={d.leaver && !g.revokedAt ? 'is-leaver' : undefined}>
                    <td>
                      {g.appId ? <a href={`/apps/${g.appId}`}>{g.appName}</a> : g.clientName ?? 'unknown client'}
                      <div class="hint">
                        {g.source}
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
                    <td>{formatDate(g.firstSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      {d.otherActivity.length > 0 ? (
        <Section id="activity" title="Other apps they used (no account or grant on record)">
          <ul>
            {d.otherActivity.map((a) => (
              <li>
                <a href={`/apps/${a.appId}`}>{a.appName}</a>, last {formatDateTime(a.lastAt)}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section id="spend" title="Card and expense spend">
        {d.spendByMonth.length === 0 ? <p class="body">No card lines for this person.</p> : (
          <div class="table-wrap">
            <table>
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
        )}
        {d.spendAfterEnd.length > 0 ? (
          <>
            <h3 class="heading-s">Charged after they left</h3>
            <ul>
              {d.spendAfterEnd.map((s) => (
                <li>
                  {formatDate(s.postedOn)}: {s.appName ?? s.merchant} — {formatMoney(s.amountMinor, s.currency)}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>

      <Section id="findings" title={`Findings (${d.findings.length})`}>
        {d.findings.length === 0 ? <p class="body">No findings about this person.</p> : (
          <ul>
            {d.findings.map((f) => (
              <li>
                <Tag value={f.severity} /> <a href={`/findings/${f.id}`}>{f.title}</a> <span class="hint">({f.status})</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  )
}



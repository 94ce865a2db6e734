import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { FINDING_STATUSES, getFinding, listFindings, SEVERITIES, setFindingStatus, type FindingRow } from '../../data/findings.js'
import type { FindingStatus, Severity } from '../../data/tables/findings.table.js'
import { formatMoney } from '../../data/money.js'
import { csvResponse, toCsv } from '../csv.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import { Pagination, pageNumber, queryString, SelectField, Tag, withQuery } from '../views/components.js'
import { formatDateTime } from '../views/format.js'
import { CsrfField, Layout } from '../views/layout.js'

const PAGE_SIZE = 50

interface FindingsFilter {
  kind?: string
  severity?: string
  status?: string
  q?: string
}

function readFilter(q: Record<string, string | undefined>): FindingsFilter {
  const severity = queryString(q.severity)
  const status = queryString(q.status)
  return {
    kind: queryString(q.kind, 64),
    severity: severity && (SEVERITIES as readonly string[]).includes(severity) ? severity : undefined,
    status: status && (FINDING_STATUSES as readonly string[]).includes(status) ? status : undefined,
    q: queryString(q.q),
  }
}

const listQuery = (f: FindingsFilter) => ({
  kinds: f.kind ? [f.kind] : undefined,
  severities: f.severity ? [f.severity as Severity] : undefined,
  statuses: f.status ? [f.status as FindingStatus] : undefined,
  search: f.q,
})

/** Evidence as a definition list: keys in words, nested values flattened one level, everything escaped by JSX. */
const Evidence = ({ evidence }: { evidence: unknown }) => {
  if (evidence === null || typeof evidence !== 'object') return <p class="body">{String(evidence ?? '—')}</p>
  const words = (key: string) => key.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/[_-]/g, ' ').toLowerCase()
  const isMoney = (v: object): v is { amountMinor: number; currency: string } =>
    typeof (v as { amountMinor?: unknown }).amountMinor === 'number' && typeof (v as { currency?: unknown }).currency === 'string'
  const show = (v: unknown): string =>
    v === null || v === undefined
      ? '—'
      : Array.isArray(v)
        ? v.map(show).join(', ')
        : typeof v === 'object'
          ? isMoney(v)
            ? formatMoney(v.amountMinor, v.currency)
            : Object.entries(v as Record<string, unknown>).map(([k, x]) => `${words(k)}: ${show(x)}`).join('; ')
          : String(v)
  return (
    <dl class="evidence">
      {Object.entries(evidence as Record<string, unknown>).map(([k, v]) => (
        <>
          <dt>{words(k)}</dt>
          <dd>{show(v)}</dd>
        </>
      ))}
    </dl>
  )
}

const subjectLink = (f: FindingRow): string | null =>
  f.subjectId === null ? null : f.subjectType === 'app' ? `/apps/${f.subjectId}` : f.subjectType === 'person' ? `/people/${f.subjectId}` : null

/** Findings: filter, read the evidence, acknowledge or suppress with a reason, export CSV. */
export function findingRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'it', 'auditor'))

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const filter = readFilter(c.req.query())
    const page = pageNumber(c.req.query('page'))
    const result = await listFindings(c.var.deps.store.db, { ...listQuery(filter), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE))
    return c.html(
      <Layout title="Findings" user={user} csrfToken={csrfToken} current="/findings">
        <h1 class="heading-l">Findings</h1>
        <form method="get" action="/findings" class="filters" role="search" aria-label="Filter findings">
          <div class="form-group">
            <label class="label" for="q">
              Search
            </label>
            <input class="input" id="q" name="q" type="search" value={filter.q ?? ''} />
          </div>
          <div class="form-group">
            <label class="label" for="kind">
              Kind
            </label>
            <input class="input" id="kind" name="kind" value={filter.kind ?? ''} />
          </div>
          <SelectField id="severity" label="Severity" value={filter.severity} options={SEVERITIES} any="Any" />
          <SelectField id="status" label="Status" value={filter.status} options={FINDING_STATUSES} any="Open or acknowledged" />
          <button type="submit" class="button button--secondary">
            Filter
          </button>
        </form>
        <p class="body">
          <a href={withQuery('/findings/export.csv', { ...filter }, {})}>Download these findings as CSV</a>
        </p>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Findings, most important first</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Finding</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Last detected</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((f) => (
                <tr>
                  <td>
                    <Tag value={f.severity} />
                  </td>
                  <td>
                    <a href={`/findings/${f.id}`}>{f.title}</a>
                  </td>
                  <td>{f.kind}</td>
                  <td>
                    <Tag value={f.status} />
                  </td>
                  <td>{formatDateTime(f.lastDetectedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {result.total === 0 ? <p class="body">No findings match these filters.</p> : null}
        <Pagination path="/findings" query={{ ...filter }} page={page} pages={pages} total={result.total} noun="findings" />
      </Layout>,
    )
  })

  app.get('/export.csv', async (c) => {
    const filter = readFilter(c.req.query())
    const result = await listFindings(c.var.deps.store.db, { ...listQuery(filter), limit: 1000 })
    const body = toCsv(
      ['id', 'severity', 'kind', 'status', 'title', 'subject', 'recommendation', 'first_detected_at', 'last_detected_at', 'status_comment', 'evidence'],
      result.rows.map((f) => [f.id, f.severity, f.kind, f.status, f.title, f.subjectKey, f.recommendation, f.firstDetectedAt, f.lastDetectedAt, f.statusComment ?? '', JSON.stringify(f.evidence)]),
    )
    return csvResponse(c, 'sightline-findings.csv', body)
  })

  app.get('/:id{[0-9]+}', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const f = await getFinding(c.var.deps.store.db, Number(c.req.param('id')))
    const canTriage = user.role === 'admin' || user.role === 'it'
    const link = subjectLink(f)
    return c.html(
      <Layout title={f.title} user={user} csrfToken={csrfToken} current="/findings">
        <p class="hint">
          <a href="/findings">Findings</a>
        </p>
        <h1 class="heading-l">{f.title}</h1>
        {c.req.query('done') ? <p class="notice notice--ok">Saved. Re-analysis keeps this status and reason.</p> : null}
        <dl class="summary-list">
          <dt>Severity</dt>
          <dd>
            <Tag value={f.severity} />
          </dd>
          <dt>Status</dt>
          <dd>
            <Tag value={f.status} />
            {f.statusComment ? <div class="hint">“{f.statusComment}” — {f.statusBy ?? ''}, {formatDateTime(f.statusAt)}</div> : null}
          </dd>
          <dt>About</dt>
          <dd>{link ? <a href={link}>{f.subjectKey}</a> : f.subjectKey}</dd>
          <dt>What to do</dt>
          <dd>{f.recommendation}</dd>
          <dt>Detected</dt>
          <dd>
            first {formatDateTime(f.firstDetectedAt)}, last {formatDateTime(f.lastDetectedAt)}
          </dd>
        </dl>
        <h2 class="heading-m">Evidence</h2>
        <Evidence evidence={f.evidence} />
        {canTriage ? (
          <>
            <h2 class="heading-m">Triage</h2>
            <form method="post" action={`/findings/${f.id}/status`} class="narrow">
              <CsrfField token={csrfToken} />
              <SelectField id="status" label="New status" value={f.status === 'resolved' ? 'open' : f.status} options={[{ value: 'acknowledged', label: 'Acknowledged: known, being handled' }, { value: 'suppressed', label: 'Suppressed: not a problem here' }, { value: 'open', label: 'Open' }]} />
              <div class="form-group">
                <label class="label" for="reason">
                  Reason
                </label>
                <div class="hint" id="reason-hint">
                  Kept with the finding and in the audit trail.
                </div>
                <textarea class="textarea input" id="reason" name="reason" rows={3} aria-describedby="reason-hint" required></textarea>
              </div>
              <button type="submit" class="button">
                Save
              </button>
            </form>
          </>
        ) : null}
      </Layout>,
    )
  })

  app.post('/:id{[0-9]+}/status', requireRole('admin', 'it'), async (c) => {
    const { user } = c.var.auth!
    const form = await c.req.parseBody()
    const status = String(form.status ?? '')
    const reason = typeof form.reason === 'string' ? form.reason.trim().slice(0, 2000) : ''
    if (status !== 'open' && reason === '') {
      throw new HTTPException(400, { message: 'Give a reason: it stays with the finding so the next person knows why.' })
    }
    await setFindingStatus(c.var.deps.store.db, { id: Number(c.req.param('id')), status, reason, actor: user.email, at: c.var.deps.clock.now() })
    return c.redirect(`/findings/${c.req.param('id')}?done=1`, 303)
  })
  return app
}

import { Hono } from 'hono'
import { listCollectors, listRuns, type RunRow } from '../../data/runs-view.js'
import type { ScanStatus } from '../../data/tables/scans.table.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import { Pagination, pageNumber, queryString, SelectField, Tag } from '../views/components.js'
import { formatCount, formatDateTime } from '../views/format.js'
import { Layout } from '../views/layout.js'

const STATUSES: readonly ScanStatus[] = ['running', 'completed', 'partial', 'failed', 'interrupted']

/** The counts worth a glance: read, imported, rejected, duplicates (per kind of record), the rest on demand. */
function headlineCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([k]) => /\.(read|imported|inserted|written|rejected|duplicates)$/.test(k))
    .map(([k, v]) => `${k.replace('.', ' ')} ${formatCount(v)}`)
  return parts.length > 0 ? parts.join(', ') : Object.keys(counts).length > 0 ? `${Object.keys(counts).length} counters` : '—'
}

const RunRowView = ({ r, canUpload }: { r: RunRow; canUpload: boolean }) => (
  <tr>
    <td>
      {r.collector}
      <div class="hint">{r.fileName ?? r.sourceKey}</div>
    </td>
    <td>
      <Tag value={r.status} />
      {r.error ? <div class="error-message">{r.error}</div> : null}
    </td>
    <td>{formatDateTime(r.startedAt)}</td>
    <td>{headlineCounts(r.counts)}</td>
    <td>
      {r.itemErrors.length > 0 ? (
        <details>
          <summary>{formatCount(r.itemErrors.length)} problems</summary>
          <ul>
            {r.itemErrors.slice(0, 20).map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </details>
      ) : (
        '—'
      )}
      {r.hasRejects && r.jobId !== null && canUpload ? (
        <div>
          <a href={`/spend/uploads/${r.jobId}/rejects.csv`}>Download rejected rows</a>
        </div>
      ) : null}
    </td>
    <td>{r.startedBy}</td>
  </tr>
)

/** Imports & scans: every run with counts, errors, rejects and who started it. */
export function importRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'it', 'finance', 'auditor'))

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const db = c.var.deps.store.db
    const collectors = await listCollectors(db)
    const collector = queryString(c.req.query('collector'))
    const status = queryString(c.req.query('status'))
    const query = { collector: collector && collectors.includes(collector) ? collector : undefined, status: status && (STATUSES as readonly string[]).includes(status) ? status : undefined }
    const result = await listRuns(db, { page: pageNumber(c.req.query('page')), collector: query.collector, status: query.status as ScanStatus | undefined })
    const canUpload = user.role === 'admin' || user.role === 'finance'
    return c.html(
      <Layout title="Imports & scans" user={user} csrfToken={csrfToken} current="/imports">
        <h1 class="heading-l">Imports &amp; scans</h1>
        {canUpload ? (
          <p class="body">
            <a href="/spend/uploads">Upload card or expense statements</a> (CSV); uploads and command-line imports both appear here.
          </p>
        ) : null}
        <form method="get" action="/imports" class="filters" aria-label="Filter runs">
          <SelectField id="collector" label="Source" value={query.collector} options={collectors} any="Any" />
          <SelectField id="status" label="Status" value={query.status} options={STATUSES} any="Any" />
          <button type="submit" class="button button--secondary">
            Filter
          </button>
        </form>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Import and scan runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Counts</th>
                <th scope="col">Problems</th>
                <th scope="col">Started by</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <RunRowView r={r} canUpload={canUpload} />
              ))}
            </tbody>
          </table>
        </div>
        {result.total === 0 ? <p class="body">No imports or scans yet.</p> : null}
        <Pagination path="/imports" query={query} page={result.page} pages={result.pages} total={result.total} noun="runs" />
      </Layout>,
    )
  })
  return app
}

import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { SPEND_GROUPS, summarizeSpend, type SpendGroupBy, type SpendSummaryRow } from '../../data/spend-report.js'
import { csvResponse, toCsv } from '../csv.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import { queryString, SelectField, withQuery } from '../views/components.js'
import { formatCount, formatDate } from '../views/format.js'
import { Layout } from '../views/layout.js'
import { formatMinor, formatMoney } from '../../data/money.js'
import { spendUploadRoutes } from './spend-uploads.js'

const GROUP_LABEL: Record<SpendGroupBy, string> = { app: 'App', category: 'Category', department: 'Department', cardholder: 'Cardholder' }
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

interface SpendQuery {
  by: SpendGroupBy
  from?: string
  to?: string
}

/** `?by=app&from=2026-01&to=2026-06` → the report's options; a malformed month is a 400 with the field named. */
function parseSpendQuery(q: Record<string, string | undefined>): SpendQuery {
  const by = (queryString(q.by) ?? 'app') as SpendGroupBy
  if (!SPEND_GROUPS.includes(by)) throw new HTTPException(400, { message: `Group by: choose one of ${SPEND_GROUPS.join(', ')}.` })
  const from = queryString(q.from)
  const to = queryString(q.to)
  for (const [name, v] of [['From', from], ['To', to]] as const) {
    if (v !== undefined && !MONTH.test(v)) throw new HTTPException(400, { message: `${name} month: enter it as YYYY-MM, for example 2026-01.` })
  }
  if (from && to && from > to) throw new HTTPException(400, { message: 'The "from" month is after the "to" month.' })
  return { by, from, to }
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

async function report(db: Parameters<typeof summarizeSpend>[0], q: SpendQuery): Promise<SpendSummaryRow[]> {
  return summarizeSpend(db, { by: q.by, from: q.from ? `${q.from}-01` : undefined, to: q.to ? lastDayOf(q.to) : undefined })
}

/** Spend by app, category, department or cardholder over a month range; currencies are never added together. */
export function spendRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'finance', 'auditor'))
  app.route('/uploads', spendUploadRoutes())

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const q = parseSpendQuery(c.req.query())
    const rows = await report(c.var.deps.store.db, q)
    const currencies = [...new Set(rows.map((r) => r.currency))]
    const query = { by: q.by, from: q.from, to: q.to }
    return c.html(
      <Layout title="Spend" user={user} csrfToken={csrfToken} current="/spend">
        <h1 class="heading-l">Spend</h1>
        <p class="body">
          <a href="/spend/uploads">{user.role === 'auditor' ? 'Statement uploads' : 'Upload card or expense statements'}</a>
        </p>
        <form method="get" action="/spend" class="filters" aria-label="Choose the spend report">
          <SelectField id="by" label="Group by" value={q.by} options={SPEND_GROUPS.map((g) => ({ value: g, label: GROUP_LABEL[g] }))} />
          <div class="form-group">
            <label class="label" for="from">
              From month
            </label>
            <input class="input" id="from" name="from" type="month" placeholder="YYYY-MM" value={q.from ?? ''} />
          </div>
          <div class="form-group">
            <label class="label" for="to">
              To month
            </label>
            <input class="input" id="to" name="to" type="month" placeholder="YYYY-MM" value={q.to ?? ''} />
          </div>
          <button type="submit" class="button button--secondary">
            Show
          </button>
        </form>
        <p class="body">
          <a href={withQuery('/spend/export.csv', query, {})} download>
            Download this report as CSV
          </a>
        </p>
        {rows.length === 0 ? <p class="body">No card or expense lines in this range.</p> : null}
        {currencies.map((currency) => {
          const list = rows.filter((r) => r.currency === currency)
          const total = list.reduce((a, r) => a + r.totalMinor, 0)
          return (
            <div class="table-wrap">
              <table>
                <caption>
                  {currency}: {formatMoney(total, currency)} in {formatCount(list.reduce((a, r) => a + r.transactions, 0))} lines
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{GROUP_LABEL[q.by]}</th>
                    <th scope="col" class="num">
                      Total
                    </th>
                    <th scope="col" class="num">
                      Lines
                    </th>
                    <th scope="col" class="num">
                      A month
                    </th>
                    <th scope="col" class="num">
                      A year
                    </th>
                    <th scope="col">Dates</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <tr>
                      <td>{r.appId !== null ? <a href={`/apps/${r.appId}`}>{r.group}</a> : r.group}</td>
                      <td class="num">{formatMoney(r.totalMinor, currency)}</td>
                      <td class="num">{formatCount(r.transactions)}</td>
                      <td class="num">{formatMoney(r.monthlyRunRateMinor, currency)}</td>
                      <td class="num">{formatMoney(r.annualRunRateMinor, currency)}</td>
                      <td>
                        {formatDate(r.firstDate)} to {formatDate(r.lastDate)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        })}
        <p class="hint">Refunds count against charges. Amounts in different currencies are listed apart and never added.</p>
      </Layout>,
    )
  })

  app.get('/export.csv', async (c) => {
    const q = parseSpendQuery(c.req.query())
    const rows = await report(c.var.deps.store.db, q)
    const body = toCsv(
      [q.by, 'currency', 'total', 'lines', 'monthly_run_rate', 'annual_run_rate', 'first_date', 'last_date'],
      rows.map((r) => [r.group, r.currency, formatMinor(r.totalMinor, r.currency), r.transactions, formatMinor(r.monthlyRunRateMinor, r.currency), formatMinor(r.annualRunRateMinor, r.currency), r.firstDate, r.lastDate]),
    )
    return csvResponse(c, `sightline-spend-by-${q.by}.csv`, body)
  })
  return app
}

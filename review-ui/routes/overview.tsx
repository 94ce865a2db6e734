import { Hono } from 'hono'
import { APP_STATUS_ORDER, overviewReadModel, SEVERITY_ORDER, type Overview } from '../../data/overview.js'
import type { AppEnv } from '../env.js'
import { requireSignedIn } from '../middleware/require-role.js'
import { BarChart, ColumnChart } from '../views/charts.js'
import { daysAgo, formatCount, formatDateTime } from '../views/format.js'
import { Layout, type LayoutUser } from '../views/layout.js'
import { formatMoney } from '../../data/money.js'

const INVENTORY_ROLES = ['admin', 'it', 'finance', 'auditor'] as const

const Card = (props: { label: string; value: string; href?: string }) => (
  <div class="card">
    <p class="card__label">{props.label}</p>
    <p class="card__value">{props.href ? <a href={props.href}>{props.value}</a> : props.value}</p>
  </div>
)

const OverviewPage = (props: { o: Overview; user: LayoutUser; csrfToken: string; seesSpend: boolean; seesFindings: boolean }) => {
  const { o } = props
  return (
    <Layout title="Overview" user={props.user} csrfToken={props.csrfToken} current="/">
      <h1 class="heading-l">Overview</h1>
      <div class="cards">
        <Card label="Apps discovered" value={formatCount(o.appsTotal)} href="/apps" />
        <Card label="New in the last 30 days" value={formatCount(o.newApps)} href="/apps?sort=first_seen&dir=desc" />
        {props.seesFindings ? <Card label="Shadow apps (open)" value={formatCount(o.shadowApps)} href="/findings?kind=shadow-app" /> : null}
        <Card label="Unknown apps" value={formatCount(o.appsByStatus.unknown)} href="/apps?status=unknown" />
      </div>

      <h2 class="heading-m">Apps by status</h2>
      <BarChart
        id="apps-by-status"
        title="Apps by status"
        data={APP_STATUS_ORDER.map((s) => ({ label: s, value: o.appsByStatus[s], tone: s === 'blocked' ? 'critical' : s === 'unsanctioned' ? 'high' : s === 'unknown' ? 'medium' : undefined }))}
      />

      {props.seesFindings ? (
        <>
          <h2 class="heading-m">Open findings by severity</h2>
          <BarChart id="findings-by-severity" title="Open findings by severity" data={SEVERITY_ORDER.map((s) => ({ label: s, value: o.openFindingsBySeverity[s], tone: s }))} />
          <p class="body">
            <a href="/findings?status=open">All open findings</a>
          </p>
        </>
      ) : null}

      {props.seesSpend ? (
        <>
          <h2 class="heading-m">Spend by month</h2>
          {o.spendByMonth.length === 0 ? <p class="body">No card or expense statements imported yet.</p> : null}
          {o.spendByMonth.map((s) => (
            <section aria-labelledby={`spend-${s.currency}`}>
              <h3 class="heading-s" id={`spend-${s.currency}`}>
                {s.currency}: run-rate {formatMoney(s.monthlyRunRateMinor, s.currency)} a month
              </h3>
              <ColumnChart
                id={`spend-chart-${s.currency}`}
                title={`Spend in ${s.currency} by month`}
                data={s.months.map((m) => ({ label: m.month, value: m.totalMinor }))}
                format={(n) => formatMoney(n, s.currency)}
              />
            </section>
          ))}
          <p class="hint">Currencies are shown apart: Sightline never adds amounts in different currencies.</p>
        </>
      ) : null}

      <h2 class="heading-m">Freshness of each source</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">When each source last imported or scanned</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Last completed</th>
              <th scope="col">Last run</th>
              <th scope="col" class="num">Failed since</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {o.sources.map((s) => (
              <tr>
                <td>{s.collector}</td>
                <td>
                  {formatDateTime(s.lastCompletedAt)} <span class="hint">({daysAgo(s.lastCompletedAt, o.asOf)})</span>
                </td>
                <td>
                  <span class={`tag tag--${s.lastRunStatus}`}>{s.lastRunStatus}</span>
                </td>
                <td class="num">{formatCount(s.failedSince)}</td>
                <td>{s.stale ? <span class="tag tag--unknown">stale</span> : <span class="tag tag--ok">fresh</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {o.sources.length === 0 ? <p class="body">Nothing imported yet. Start with <code>sightline import</code> or the Imports page.</p> : null}
    </Layout>
  )
}

/** `/`: the Overview for inventory roles; reviewers land on their own work. */
export function overviewRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/', requireSignedIn(), async (c) => {
    const { user, csrfToken } = c.var.auth!
    if (!(INVENTORY_ROLES as readonly string[]).includes(user.role)) {
      return c.html(
        <Layout title="Your reviews" user={user} csrfToken={csrfToken} current="/">
          <h1 class="heading-l">Your reviews</h1>
          <p class="body">
            Access reviews assigned to you are listed under <a href="/review">My reviews</a>. When a new review needs you, you will get an email.
          </p>
        </Layout>,
      )
    }
    const o = await overviewReadModel(c.var.deps.store.db, { now: c.var.deps.clock.now() })
    const seesSpend = user.role === 'admin' || user.role === 'finance' || user.role === 'auditor'
    const seesFindings = user.role !== 'finance'
    return c.html(<OverviewPage o={o} user={user} csrfToken={csrfToken} seesSpend={seesSpend} seesFindings={seesFindings} />)
  })
  return app
}

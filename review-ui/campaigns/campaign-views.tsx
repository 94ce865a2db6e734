import type { FC } from 'hono/jsx'
import type { CampaignDetail, CampaignSummary, ProgressRow } from '../../data/campaigns/queries.js'
import type { RemediationRow } from '../../data/campaigns/remediation-queue.js'
import { RUBBER_STAMP_WORDS } from '../../data/campaigns/rubber-stamp.js'
import { describeScope, type CampaignScope } from '../../data/campaigns/scope.js'
import type { OutboxMessage } from '../../data/tables/reviews.table.js'
import { formatDate, formatDateTime, plural } from '../views/format.js'
import { CsrfField, ErrorSummary, Layout, TextField, type FieldError, type LayoutUser } from '../views/layout.js'

const pct = (a: number, b: number) => (b ? Math.floor((a / b) * 100) : 0)

export const CampaignListPage: FC<{ me: LayoutUser; csrfToken: string; campaigns: CampaignSummary[]; canManage: boolean }> = (p) => (
  <Layout title="Campaigns" user={p.me} csrfToken={p.csrfToken} current="/campaigns">
    <h1 class="heading-l">Access review campaigns</h1>
    {p.canManage ? (
      <p>
        <a class="button" href="/campaigns/new">Create a campaign</a> <a class="button button--secondary" href="/remediations">Remediation queue</a>
      </p>
    ) : null}
    <div class="table-wrap">
      <table>
        <caption>Campaigns, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Campaign</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">Decided</th>
            <th scope="col" class="num">Reviewers</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {p.campaigns.map((c) => (
            <tr>
              <td>
                <a href={`/campaigns/${c.id}`}>{c.name}</a>
                {c.delta ? <span class="hint"> (changes only)</span> : null}
              </td>
              <td>
                <span class="tag">{c.status}</span>
                {c.stage > 1 ? ` stage ${c.stage}` : ''}
              </td>
              <td class="num">
                {c.decided} / {c.items} ({pct(c.decided, c.items)}%)
              </td>
              <td class="num">{c.reviewers}</td>
              <td>{formatDate(c.dueAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {p.campaigns.length === 0 ? <p>No campaigns yet.</p> : null}
  </Layout>
)

export interface CreateValues {
  name?: string
  apps?: string
  categories?: string
  statuses?: string[]
  riskyGrants?: string
  inactiveDays?: string
  departments?: string
  leavers?: string
  reviewer?: string
  reviewerEmail?: string
  fallback?: string
  stage2?: string
  due?: string
  default?: string
  instructions?: string
  delta?: string
  schedule?: string
}

const Check: FC<{ id: string; name: string; value: string; label: string; checked?: boolean }> = (p) => (
  <div class="form-group form-group--check">
    <input type="checkbox" id={p.id} name={p.name} value={p.value} checked={p.checked} />
    <label for={p.id}>{p.label}</label>
  </div>
)

export const CreateCampaignPage: FC<{ me: LayoutUser; csrfToken: string; values: CreateValues; errors: FieldError[] }> = ({ me, csrfToken, values: v, errors }) => {
  const err = (f: string) => errors.find((e) => e.field === f)?.message
  return (
    <Layout title="Create a campaign" user={me} csrfToken={csrfToken} current="/campaigns">
      <ErrorSummary errors={errors} />
      <h1 class="heading-l">Create a campaign</h1>
      <form method="post" action="/campaigns" class="narrow" novalidate>
        <CsrfField token={csrfToken} />
        <TextField id="name" label="Name" value={v.name} error={err('name')} hint="For example “Q1 2027 access review”." />
        <fieldset class="fieldset">
          <legend class="heading-s">What to review</legend>
          <p class="hint">Leave everything empty to review all access. Each condition narrows the list.</p>
          <TextField id="apps" label="Apps (names or catalog keys, comma-separated)" value={v.apps} error={err('apps')} />
          <TextField id="categories" label="Categories (comma-separated)" value={v.categories} />
          <p class="label">App status</p>
          {(['sanctioned', 'unsanctioned', 'unknown', 'blocked', 'shadow'] as const).map((s) => (
            <Check id={`status-${s}`} name="statuses" value={s} label={s === 'shadow' ? 'shadow (discovered, no integration)' : s} checked={v.statuses?.includes(s)} />
          ))}
          <Check id="riskyGrants" name="riskyGrants" value="1" label="Risky OAuth grants (high or critical scopes)" checked={v.riskyGrants === '1'} />
          <TextField id="inactiveDays" label="Or inactive for more than (days)" value={v.inactiveDays} error={err('inactiveDays')} />
          <TextField id="departments" label="Departments (comma-separated)" value={v.departments} />
          <Check id="leavers" name="leavers" value="1" label="Only people who have left" checked={v.leavers === '1'} />
          <Check id="delta" name="delta" value="1" label="Only what changed since the last closed campaign with the same scope" checked={v.delta === '1'} />
        </fieldset>
        <fieldset class="fieldset">
          <legend class="heading-s">Who reviews</legend>
          <div class="form-group">
            <label class="label" for="reviewer">
              Reviewer
            </label>
            <select class="select" id="reviewer" name="reviewer">
              <option value="manager" selected={(v.reviewer ?? 'manager') === 'manager'}>the person’s manager (from HR)</option>
              <option value="owner" selected={v.reviewer === 'owner'}>the app’s owner</option>
              <option value="named" selected={v.reviewer === 'named'}>one named reviewer</option>
            </select>
          </div>
          <TextField id="reviewerEmail" label="Named reviewer’s email (if one named reviewer)" type="email" value={v.reviewerEmail} error={err('reviewerEmail')} />
          <TextField id="fallback" label="Fallback reviewer’s email" type="email" value={v.fallback} error={err('fallback')} hint="Reviews items whose manager or owner is unknown, and anything that would be someone’s own access." />
          <div class="form-group">
            <label class="label" for="stage2">
              Second stage (reviews what the first kept)
            </label>
            <select class="select" id="stage2" name="stage2">
              <option value="">none</option>
              <option value="owner" selected={v.stage2 === 'owner'}>the app’s owner</option>
              <option value="manager" selected={v.stage2 === 'manager'}>the person’s manager</option>
            </select>
          </div>
        </fieldset>
        <fieldset class="fieldset">
          <legend class="heading-s">When and what if nobody decides</legend>
          <TextField id="due" label="Due date" type="date" value={v.due} error={err('due')} />
          <div class="form-group">
            <label class="label" for="default">
              Items nobody decided are recorded as
            </label>
            <select class="select" id="default" name="default">
              {(['undecided', 'keep', 'revoke', 'flag'] as const).map((o) => (
                <option value={o} selected={(v.default ?? 'undecided') === o}>
                  {o} (marked as a default)
                </option>
              ))}
            </select>
          </div>
          <div class="form-group">
            <label class="label" for="instructions">
              Instructions for reviewers (optional)
            </label>
            <textarea class="input" id="instructions" name="instructions" rows={3}>
              {v.instructions ?? ''}
            </textarea>
          </div>
          <div class="form-group">
            <label class="label" for="schedule">
              Repeat
            </label>
            <select class="select" id="schedule" name="schedule">
              <option value="">no</option>
              <option value="quarterly" selected={v.schedule === 'quarterly'}>every quarter</option>
            </select>
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" name="then" value="launch" class="button">
            Create and launch
          </button>
          <button type="submit" name="then" value="draft" class="button button--secondary">
            Save as draft
          </button>
        </div>
      </form>
    </Layout>
  )
}

const ProgressTable: FC<{ caption: string; rows: ProgressRow[]; keyLabel: string }> = (p) => (
  <div class="table-wrap">
    <table>
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{p.keyLabel}</th>
          <th scope="col" class="num">Decided</th>
          <th scope="col" class="num">Keep</th>
          <th scope="col" class="num">Revoke</th>
          <th scope="col" class="num">Modify</th>
          <th scope="col" class="num">Default</th>
          <th scope="col">Signed off</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr>
            <th scope="row">{r.key}</th>
            <td class="num">
              <progress max={r.total} value={r.decided}>
                {pct(r.decided, r.total)}%
              </progress>{' '}
              {r.decided}/{r.total}
            </td>
            <td class="num">{r.keep}</td>
            <td class="num">{r.revoke}</td>
            <td class="num">{r.modify}</td>
            <td class="num">{r.defaulted}</td>
            <td>{r.signedOff === r.total ? 'yes' : r.signedOff ? `${r.signedOff}/${r.total}` : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)

export const CampaignPage: FC<{ me: LayoutUser; csrfToken: string; detail: CampaignDetail; outbox: OutboxMessage[]; canManage: boolean; notice?: string; mailConfigured: boolean }> = (p) => {
  const c = p.detail.campaign
  const total = Object.values(p.detail.byDecision).reduce((a, b) => a + b, 0)
  const pending = p.detail.byDecision.pending ?? 0
  const flagged = p.detail.rubberStamp.filter((r) => r.flags.length)
  return (
    <Layout title={c.name} user={p.me} csrfToken={p.csrfToken} current="/campaigns">
      <p>
        <a href="/campaigns">All campaigns</a>
      </p>
      <h1 class="heading-l">{c.name}</h1>
      {p.notice ? (
        <p class="notice notice--ok" role="status">
          {p.notice}
        </p>
      ) : null}
      <dl class="summary-list">
        <div>
          <dt>Status</dt>
          <dd>
            <span class="tag">{c.status}</span>
            {c.current_stage > 1 ? ` stage ${c.current_stage}` : ''}
          </dd>
        </div>
        <div>
          <dt>Scope</dt>
          <dd>{describeScope(JSON.parse(c.scope) as CampaignScope)}{c.delta ? ' — changes since the last campaign only' : ''}</dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{formatDate(c.due_at)}</dd>
        </div>
        <div>
          <dt>Undecided items become</dt>
          <dd>{c.default_outcome} (marked as a default)</dd>
        </div>
      </dl>
      {c.status !== 'draft' ? (
        <div class="cards">
          <div class="card">
            <p class="card__label">Decided</p>
            <p class="card__value">
              {total - pending} / {total}
            </p>
          </div>
          {Object.entries(p.detail.byDecision)
            .filter(([k]) => k !== 'pending')
            .map(([k, n]) => (
              <div class="card">
                <p class="card__label">{k}</p>
                <p class="card__value">{n}</p>
              </div>
            ))}
          {Object.entries(p.detail.remediations).map(([k, n]) => (
            <div class="card">
              <p class="card__label">remediations {k}</p>
              <p class="card__value">{n}</p>
            </div>
          ))}
        </div>
      ) : null}
      {p.canManage ? (
        <div class="actions">
          {c.status === 'draft' ? (
            <form method="post" action={`/campaigns/${c.id}/launch`} class="inline-form">
              <CsrfField token={p.csrfToken} />
              <button type="submit" class="button">Launch</button>
            </form>
          ) : null}
          {c.status === 'active' ? (
            <>
              <form method="post" action={`/campaigns/${c.id}/remind`} class="inline-form">
                <CsrfField token={p.csrfToken} />
                <button type="submit" class="button button--secondary">Send reminders</button>
              </form>{' '}
              <form method="post" action={`/campaigns/${c.id}/close`} class="inline-form">
                <CsrfField token={p.csrfToken} />
                <button type="submit" class="button button--warning">{c.stage2_rule && c.current_stage === 1 ? 'Close stage 1 and start stage 2' : 'Close the campaign'}</button>
              </form>
            </>
          ) : null}{' '}
          <form method="post" action={`/campaigns/${c.id}/clone`} class="inline-form">
            <CsrfField token={p.csrfToken} />
            <button type="submit" class="button button--link">Clone as a new draft</button>
          </form>
        </div>
      ) : null}
      {flagged.length ? (
        <section aria-labelledby="rubber">
          <h2 class="heading-m" id="rubber">
            Rubber-stamp signals
          </h2>
          <ul class="plain-list">
            {flagged.map((r) => (
              <li>
                <span class="tag tag--unsanctioned">check</span> {r.reviewer}: {r.flags.map((f) => RUBBER_STAMP_WORDS[f]).join('; ')} ({plural(r.decided, 'decision')}, {r.kept} kept)
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {p.detail.byReviewer.length ? <ProgressTable caption="Progress by reviewer" rows={p.detail.byReviewer} keyLabel="Reviewer" /> : null}
      {p.detail.byApp.length ? <ProgressTable caption="Progress by app" rows={p.detail.byApp} keyLabel="App" /> : null}
      <section aria-labelledby="mail">
        <h2 class="heading-m" id="mail">
          Mail
        </h2>
        <p class="hint">
          {p.mailConfigured
            ? 'Sent over SMTP. Sign-in links are made when a message is sent and are never stored or shown here.'
            : 'No SMTP server is configured (SIGHTLINE_SMTP_URL): messages wait here. Sign-in links are made only when a message is sent.'}
        </p>
        <div class="table-wrap">
          <table>
            <caption>Messages of this campaign, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Queued</th>
              </tr>
            </thead>
            <tbody>
              {p.outbox.map((m) => (
                <tr>
                  <td>{m.kind}</td>
                  <td>
                    {m.to_email}
                    {m.cc_email ? <div class="hint">cc {m.cc_email}</div> : null}
                  </td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <pre class="mail-body">{m.body}</pre>
                    </details>
                  </td>
                  <td>
                    {m.status}
                    {m.error ? <div class="hint">{m.error}</div> : null}
                  </td>
                  <td>{formatDateTime(m.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  )
}

export const RemediationPage: FC<{ me: LayoutUser; csrfToken: string; rows: RemediationRow[]; canRun: boolean; notice?: string }> = (p) => (
  <Layout title="Remediation queue" user={p.me} csrfToken={p.csrfToken} current="/campaigns">
    <h1 class="heading-l">Remediation queue</h1>
    {p.notice ? (
      <p class="notice notice--ok" role="status">
        {p.notice}
      </p>
    ) : null}
    <p class="hint">Every revoke becomes a remediation. Automatic ones go to the source’s API; the rest are tasks for IT. The next completed scan of the source verifies that the access is gone, or reopens it.</p>
    {p.canRun ? (
      <form method="post" action="/remediations/run" class="inline-form">
        <CsrfField token={p.csrfToken} />
        <button type="submit" class="button">Run automatic remediations</button>
      </form>
    ) : null}
    <div class="table-wrap">
      <table>
        <caption>Remediations, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Access</th>
            <th scope="col">Action</th>
            <th scope="col">Status</th>
            <th scope="col">Owner / due</th>
            <th scope="col">Detail</th>
            <th scope="col">Close</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr id={`remediation-${r.id}`}>
              <td>
                {r.subject_email ?? '?'} · {r.app_name ?? '?'}
                <div class="hint">{r.campaign_name}</div>
              </td>
              <td>
                {r.action} <span class="hint">({r.mode}{r.source ? `, ${r.source}` : ''})</span>
                {r.modification ? <div class="hint">change: {r.modification}</div> : null}
              </td>
              <td>
                <span class={`tag tag--${r.status === 'verified' ? 'sanctioned' : r.status === 'failed' || r.status === 'still-present' ? 'critical' : 'unknown'}`}>{r.status}</span>
                {r.verified_by_scan_run_id ? <div class="hint">by scan run {r.verified_by_scan_run_id}</div> : null}
              </td>
              <td>
                {r.owner_email ?? '—'}
                {r.due_at ? <div class="hint">due {formatDate(r.due_at)}</div> : null}
              </td>
              <td>
                {r.attempts ? `${plural(r.attempts, 'attempt')}` : ''}
                {r.request ? <div class="hint">{r.request}</div> : null}
                {r.error ? <div class="hint">{r.error}</div> : null}
                {r.note ? <div class="hint">note: {r.note}</div> : null}
              </td>
              <td>
                {p.canRun && (r.mode === 'manual' || r.status !== 'pending') && ['pending', 'failed', 'still-present'].includes(r.status) ? (
                  <form method="post" action={`/remediations/${r.id}/close`}>
                    <CsrfField token={p.csrfToken} />
                    <label class="label" for={`note-${r.id}`}>
                      What you did
                    </label>
                    <input class="input" type="text" id={`note-${r.id}`} name="note" maxlength={2000} />
                    <button type="submit" class="button button--secondary">Mark done</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </Layout>
)

import type { FC } from 'hono/jsx'
import type { InboxItem } from '../../data/campaigns/queries.js'
import type { Campaign } from '../../data/tables/reviews.table.js'
import { formatMinor } from '../../data/money.js'
import { withQuery } from '../views/components.js'
import { formatDate, plural } from '../views/format.js'
import { CsrfField, ErrorSummary, Layout, type FieldError, type LayoutUser } from '../views/layout.js'
import { REVIEW_SCRIPT_PATH } from './static.js'

export interface InboxQuery {
  campaign?: string
  group?: string
  status?: string
  text?: string
  findings?: string
  inactive?: string
  page?: string
}

export interface InboxPageProps {
  me: LayoutUser
  csrfToken: string
  campaigns: Campaign[]
  campaign: Campaign | null
  items: InboxItem[]
  counts: { total: number; pending: number; decided: number; signedOff: number }
  /** Which page of the filtered items is shown. */
  paging: { page: number; pages: number; matching: number; size: number }
  query: InboxQuery
  notice?: string
  errors?: FieldError[]
  now: string
}

const who = (i: InboxItem) => i.snapshot.person?.name ?? i.subjectEmail ?? i.snapshot.account?.username ?? 'Unknown person'
const appName = (i: InboxItem) => i.snapshot.app?.name ?? i.snapshot.grant?.clientName ?? i.snapshot.grant?.clientId ?? 'Unknown app'

function accessWords(i: InboxItem): string {
  const s = i.snapshot
  if (s.kind === 'grant') return `OAuth grant (${s.grant?.source ?? 'unknown source'})`
  if (s.kind === 'observed') return `Uses it without an account we know of (${s.sources.join(', ')})`
  const roles = s.account?.entitlements.map((e) => e.name).join(', ')
  return `Account${roles ? `: ${roles}` : ''}${s.account?.status ? ` · ${s.account.status}` : ''}`
}

const Detail: FC<{ item: InboxItem }> = ({ item }) => {
  const s = item.snapshot
  const inactive = s.daysInactive == null ? 'never seen active' : s.daysInactive === 0 ? 'active today' : `${s.daysInactive} days inactive`
  return (
    <dl class="item-facts">
      <div>
        <dt>Last sign-in</dt>
        <dd>
          {formatDate(s.lastActivityAt)} <span class={s.daysInactive == null || s.daysInactive > 90 ? 'flag' : 'hint'}>({inactive})</span>
        </dd>
      </div>
      <div>
        <dt>Person</dt>
        <dd>
          {[s.person?.title, s.person?.department].filter(Boolean).join(', ') || '—'}
          {s.person && s.person.status !== 'active' ? <span class="tag tag--critical"> {s.person.status}{s.person.endDate ? ` since ${formatDate(s.person.endDate)}` : ''}</span> : null}
        </dd>
      </div>
      {s.peers ? (
        <div>
          <dt>Peers</dt>
          <dd>
            {s.peers.withAccess} of {s.peers.total} in {s.peers.department} have {appName(item)}
          </dd>
        </div>
      ) : null}
      {s.spend.seatMonthly || s.spend.person.length ? (
        <div>
          <dt>Cost</dt>
          <dd>
            {s.spend.seatMonthly ? `about ${formatMinor(s.spend.seatMonthly.amountMinor, s.spend.seatMonthly.currency)} a seat a month` : ''}
            {s.spend.person.length ? ` · their card paid ${s.spend.person.map((m) => formatMinor(m.amountMinor, m.currency)).join(' + ')} in 12 months` : ''}
          </dd>
        </div>
      ) : null}
      <div>
        <dt>Seen by</dt>
        <dd>{s.sources.join(', ') || '—'}</dd>
      </div>
      {s.grant?.scopes.length ? (
        <div class="item-facts__wide">
          <dt>What it can do</dt>
          <dd>
            <ul class="plain-list">
              {s.grant.scopes.map((sc) => (
                <li>
                  <span class={`tag tag--${sc.level}`}>{sc.level}</span> {sc.meaning}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
      {s.findings.length ? (
        <div class="item-facts__wide">
          <dt>Findings</dt>
          <dd>
            <ul class="plain-list">
              {s.findings.map((f) => (
                <li>
                  <span class={`tag tag--${f.severity}`}>{f.severity}</span> {f.title}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
      {item.previous ? (
        <div class="item-facts__wide">
          <dt>Last time</dt>
          <dd>
            {item.previous.decision ?? 'undecided'}
            {item.previous.isDefault ? ' (default, nobody decided)' : item.previous.decidedBy ? ` by ${item.previous.decidedBy}` : ''}
            {item.previous.reason ? ` — “${item.previous.reason}”` : ''} in {item.previous.campaignName}
            {item.previous.changed ? '; the access has changed since' : ''}
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

const ItemCard: FC<{ item: InboxItem; csrfToken: string; back: string; headingLevel: 'h3' | 'h2' }> = ({ item, csrfToken, back }) => {
  const id = `item-${item.id}`
  const open = !item.signedOff
  return (
    <article class={`item${item.status === 'decided' ? ' item--decided' : ''}`} id={id} data-item="1" data-pending={item.status === 'pending' ? '1' : '0'} tabindex={-1} aria-labelledby={`${id}-title`}>
      <div class="item__head">
        {open && item.status === 'pending' ? (
          <span class="item__select">
            <input type="checkbox" name="item" value={`${item.id}:${item.version}`} id={`${id}-select`} form="bulk" />
            <label for={`${id}-select`} class="visually-hidden">
              Select {who(item)} · {appName(item)} for a bulk decision
            </label>
          </span>
        ) : null}
        <h3 class="item__title" id={`${id}-title`}>
          {who(item)} · {appName(item)}
        </h3>
        <span class="hint">{item.subjectEmail}</span>
        {item.decision ? (
          <span class={`tag tag--${item.decision === 'keep' ? 'sanctioned' : 'critical'}`}>
            {item.decision}
            {item.isDefault ? ' (default)' : ''}
          </span>
        ) : null}
      </div>
      <p class="item__access">{accessWords(item)}</p>
      <Detail item={item} />
      {item.decision && item.reason ? <p class="hint">Reason: {item.reason}{item.modification ? ` · change: ${item.modification}` : ''}</p> : null}
      {open && item.status === 'pending' ? (
        <form method="post" action={`/review/items/${item.id}/decide`} class="decide">
          <CsrfField token={csrfToken} />
          <input type="hidden" name="version" value={String(item.version)} />
          <input type="hidden" name="back" value={back} />
          <div class="decide__fields">
            <label class="label" for={`${id}-reason`}>
              Reason <span class="hint">(needed to revoke or modify)</span>
            </label>
            <input class="input" type="text" name="reason" id={`${id}-reason`} maxlength={2000} autocomplete="off" />
            <label class="label" for={`${id}-modification`}>
              Modify: what to change
            </label>
            <input class="input" type="text" name="modification" id={`${id}-modification`} maxlength={2000} autocomplete="off" />
          </div>
          <div class="actions">
            <button type="submit" name="decision" value="keep" class="button">
              Keep <kbd>a</kbd>
            </button>
            <button type="submit" name="decision" value="revoke" class="button button--warning">
              Revoke <kbd>r</kbd>
            </button>
            <button type="submit" name="decision" value="modify" class="button button--secondary">
              Modify <kbd>m</kbd>
            </button>
          </div>
        </form>
      ) : null}
      {open && item.status === 'decided' && !item.isDefault ? (
        <form method="post" action={`/review/items/${item.id}/undo`} class="inline-form">
          <CsrfField token={csrfToken} />
          <input type="hidden" name="version" value={String(item.version)} />
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="button button--link" data-undo="1">
            Undo <kbd>u</kbd>
            <span class="visually-hidden"> the decision on {who(item)} · {appName(item)}</span>
          </button>
        </form>
      ) : null}
      {open && item.status === 'pending' ? (
        <p class="reassign">
          <a href={withQuery(`/review/items/${item.id}/reassign`, {}, { back })}>
            Hand on to someone else<span class="visually-hidden"> ({who(item)} · {appName(item)})</span>
          </a>
        </p>
      ) : null}
    </article>
  )
}

function groupItems(items: InboxItem[], by: 'person' | 'app'): Array<[string, InboxItem[]]> {
  const groups = new Map<string, InboxItem[]>()
  for (const i of items) {
    const key = by === 'app' ? appName(i) : `${who(i)}${i.subjectEmail ? ` (${i.subjectEmail})` : ''}`
    groups.set(key, [...(groups.get(key) ?? []), i])
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))
}

/** "Items 51–100 of 409" with previous/next links that keep the filters. */
const Pager: FC<{ base: string; query: InboxQuery; paging: InboxPageProps['paging'] }> = ({ base, query, paging }) => {
  if (paging.pages <= 1) return null
  const first = (paging.page - 1) * paging.size + 1
  const last = Math.min(paging.matching, paging.page * paging.size)
  return (
    <nav class="pager" aria-label="Pages of items">
      <p>
        Items {first}–{last} of {paging.matching}
      </p>
      {paging.page > 1 ? <a href={withQuery(base, { ...query }, { page: paging.page - 1 })} rel="prev">Previous {paging.size}</a> : null}{' '}
      {paging.page < paging.pages ? <a href={withQuery(base, { ...query }, { page: paging.page + 1 })} rel="next">Next {Math.min(paging.size, paging.matching - last)}</a> : null}
    </nav>
  )
}

export const InboxPage: FC<InboxPageProps> = (p) => {
  const group = p.query.group === 'app' ? 'app' : 'person'
  const base = '/review'
  const back = withQuery(base, { ...p.query }, {})
  const c = p.campaign
  const pct = p.counts.total ? Math.floor((p.counts.decided / p.counts.total) * 100) : 0
  return (
    <Layout title="Your access reviews" user={p.me} csrfToken={p.csrfToken} current="/review">
      <ErrorSummary errors={p.errors ?? []} />
      <div data-inbox="1">
        <h1 class="heading-l">Your access reviews</h1>
        {p.notice ? (
          <p class="notice notice--ok" role="status">
            {p.notice}
          </p>
        ) : null}
        {p.campaigns.length === 0 ? <p class="lead">Nothing to review. You will get an email when a review needs you.</p> : null}
        {p.campaigns.length > 1 ? (
          <nav aria-label="Campaigns">
            <ul class="tabs">
              {p.campaigns.map((x) => (
                <li>
                  <a href={withQuery(base, {}, { campaign: x.id })} aria-current={c?.id === x.id ? 'page' : undefined}>
                    {x.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {c ? (
          <>
            <p class="lead">
              {c.name}
              {c.current_stage > 1 ? ` (stage ${c.current_stage})` : ''}
              {c.due_at ? ` — due ${formatDate(c.due_at)}` : ''}
            </p>
            {c.instructions ? <p class="instructions">{c.instructions}</p> : null}
            <div class="progress" role="group" aria-label="Progress">
              <progress max={p.counts.total} value={p.counts.decided}>
                {pct}%
              </progress>{' '}
              {p.counts.decided} of {plural(p.counts.total, 'item')} decided ({pct}%)
              {p.counts.signedOff === p.counts.total && p.counts.total > 0 ? ' · signed off' : ''}
            </div>
            <details class="shortcuts" id="shortcuts">
              <summary>Keyboard shortcuts</summary>
              <p>
                <kbd>j</kbd>/<kbd>k</kbd> next/previous item · <kbd>a</kbd> keep · <kbd>r</kbd> revoke · <kbd>m</kbd> modify · <kbd>u</kbd> undo · <kbd>x</kbd> select for bulk ·{' '}
                <kbd>/</kbd> filter · <kbd>?</kbd> this help. Without script, <kbd>Tab</kbd> reaches every button.
              </p>
            </details>
            <form method="get" action={base} class="filters" role="search">
              <input type="hidden" name="campaign" value={String(c.id)} />
              <div class="form-group">
                <label class="label" for="text">
                  Find a person or app
                </label>
                <input class="input" type="search" id="text" name="text" value={p.query.text ?? ''} />
              </div>
              <div class="form-group">
                <label class="label" for="status">
                  Show
                </label>
                <select class="select" id="status" name="status">
                  {[['pending', 'to decide'], ['decided', 'decided'], ['all', 'all']].map(([v, l]) => (
                    <option value={v} selected={(p.query.status ?? 'pending') === v}>
                      {l}
                    </option>
                  ))}
                </select>
              </div>
              <div class="form-group">
                <label class="label" for="group">
                  Group by
                </label>
                <select class="select" id="group" name="group">
                  <option value="person" selected={group === 'person'}>person</option>
                  <option value="app" selected={group === 'app'}>app</option>
                </select>
              </div>
              <div class="form-group">
                <label class="label" for="inactive">
                  Inactive for more than (days)
                </label>
                <input class="input input--short" type="number" min="1" id="inactive" name="inactive" value={p.query.inactive ?? ''} />
              </div>
              <div class="form-group form-group--check">
                <input type="checkbox" id="findings" name="findings" value="1" checked={p.query.findings === '1'} />
                <label for="findings">Only with findings</label>
              </div>
              <button type="submit" class="button button--secondary">Filter</button>
            </form>
            {p.items.length > 0 && (p.query.status ?? 'pending') !== 'decided' ? (
              <form method="post" action="/review/bulk" id="bulk" class="bulk">
                <CsrfField token={p.csrfToken} />
                <input type="hidden" name="back" value={back} />
                <fieldset>
                  <legend>Decide the selected items at once</legend>
                  <p class="hint">Tick items below (or <kbd>x</kbd>), or choose “every item on this page”.</p>
                  <div class="form-group form-group--check">
                    <input type="checkbox" id="bulk-all" name="all" value={p.items.filter((i) => i.status === 'pending').map((i) => `${i.id}:${i.version}`).join(',')} />
                    <label for="bulk-all">Every item on this page ({p.items.filter((i) => i.status === 'pending').length})</label>
                  </div>
                  <label class="label" for="bulk-decision">
                    Decision
                  </label>
                  <select class="select" id="bulk-decision" name="decision">
                    <option value="keep">keep</option>
                    <option value="revoke">revoke</option>
                  </select>
                  <label class="label" for="bulk-reason">
                    Reason (needed to revoke)
                  </label>
                  <input class="input" type="text" id="bulk-reason" name="reason" maxlength={2000} />
                  <button type="submit" class="button button--secondary">Decide selected</button>
                </fieldset>
              </form>
            ) : null}
            {groupItems(p.items, group).map(([title, list]) => (
              <section class="group" aria-label={title}>
                <h2 class="heading-m">
                  {title} <span class="hint">{plural(list.length, 'item')}</span>
                </h2>
                {list.map((item) => (
                  <ItemCard item={item} csrfToken={p.csrfToken} back={back} headingLevel="h3" />
                ))}
              </section>
            ))}
            {p.items.length === 0 ? <p>No items match.</p> : null}
            <Pager base={base} query={p.query} paging={p.paging} />
            {p.counts.pending === 0 && p.counts.total > 0 && p.counts.signedOff < p.counts.total ? (
              <form method="post" action={`/review/campaigns/${c.id}/sign-off`} class="sign-off">
                <CsrfField token={p.csrfToken} />
                <h2 class="heading-m">Sign off</h2>
                <p>You have decided every item. Signing off makes your decisions final: revoked access is then removed and checked by the next scan.</p>
                <button type="submit" class="button">Sign off my decisions</button>
              </form>
            ) : null}
          </>
        ) : null}
      </div>
      <script src={REVIEW_SCRIPT_PATH} defer></script>
    </Layout>
  )
}

export interface ReassignPageProps {
  me: LayoutUser
  csrfToken: string
  item: InboxItem
  back: string
  errors?: FieldError[]
}

/** Handing one item on to another reviewer: its own page, so the inbox carries one form per item, not two. */
export const ReassignPage: FC<ReassignPageProps> = ({ me, csrfToken, item, back, errors }) => (
  <Layout title="Hand on an access review" user={me} csrfToken={csrfToken} current="/review">
    <ErrorSummary errors={errors ?? []} />
    <h1 class="heading-l">Hand on to someone else</h1>
    <p class="lead">
      {who(item)} · {appName(item)}
    </p>
    <p class="item__access">{accessWords(item)}</p>
    <form method="post" action={`/review/items/${item.id}/reassign`} class="reassign-form">
      <CsrfField token={csrfToken} />
      <input type="hidden" name="version" value={String(item.version)} />
      <input type="hidden" name="back" value={back} />
      <label class="label" for="to">
        Their email address
      </label>
      <input class="input" type="email" name="to" id="to" autocomplete="off" required />
      <label class="label" for="why">
        Why
      </label>
      <input class="input" type="text" name="reason" id="why" maxlength={500} />
      <div class="actions">
        <button type="submit" class="button button--secondary">
          Hand on
        </button>
        <a href={back}>Cancel</a>
      </div>
    </form>
  </Layout>
)

import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { bulkDecide, DECISIONS, decideItem, countReviewerInbox, reassignItem, reviewerInbox, reviewerItem, signOff, undoDecision, type InboxFilter } from '../../data/campaigns/index.js'
import { consumeSignInLink } from '../../data/campaigns/sign-in-links.js'
import type { DecisionValue } from '../../data/tables/reviews.table.js'
import { findUserByEmail } from '../../data/ui-users.js'
import { createSession } from '../../data/ui-sessions.js'
import type { AppEnv } from '../env.js'
import { requireSignedIn } from '../middleware/require-role.js'
import { setSessionCookie } from '../middleware/session.js'
import { Layout } from '../views/layout.js'
import { InboxPage, ReassignPage, type InboxQuery } from './inbox-view.js'

type Form = Record<string, string | File | (string | File)[]>

const str = (form: Form, key: string): string => {
  const v = form[key]
  return typeof v === 'string' ? v : ''
}

function positiveInt(value: string, what: string): number {
  const n = Number(value)
  if (!/^\d{1,12}$/.test(value) || !Number.isSafeInteger(n)) throw new HTTPException(400, { message: `${what} is not a number` })
  return n
}

/** Only a path of this inbox may be a redirect target. */
const inboxPath = (back: string | undefined): string => (back && back.startsWith('/review') && !back.startsWith('//') ? back : '/review')

function backTo(form: Form, notice: string): string {
  const path = inboxPath(str(form, 'back'))
  return `${path}${path.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}`
}

/** `id:version` pairs from checkboxes, or the comma-joined list of "every item shown". */
function selection(form: Form): Array<{ id: number; version: number }> {
  const raw: string[] = []
  const items = form['item']
  if (typeof items === 'string') raw.push(items)
  else if (Array.isArray(items)) for (const i of items) if (typeof i === 'string') raw.push(i)
  const all = str(form, 'all')
  if (all) raw.push(...all.split(','))
  const seen = new Map<number, number>()
  for (const r of raw) {
    const m = /^(\d{1,12}):(\d{1,9})$/.exec(r.trim())
    if (!m) throw new HTTPException(400, { message: 'The selection is not valid; reload the page.' })
    seen.set(Number(m[1]), Number(m[2]))
  }
  return [...seen].map(([id, version]) => ({ id, version }))
}

const NOTICES: Record<DecisionValue, string> = { keep: 'Kept.', revoke: 'Revoke recorded.', modify: 'Change recorded.' }

/** Items per inbox page: a manager's whole team fits; a fallback reviewer with hundreds pages through them. */
export const INBOX_PAGE_SIZE = 50

async function inboxData(c: Context<AppEnv>, query: InboxQuery) {
  const { store } = c.var.deps
  const me = c.var.auth!.user.email
  // Campaigns first, then one index probe each: a join over the reviewer's items read every one of them.
  const campaigns = await store.db
    .selectFrom('campaigns as c')
    .selectAll('c')
    .where('c.status', '=', 'active')
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('review_items as i').select('i.id').whereRef('i.campaign_id', '=', 'c.id').whereRef('i.stage', '=', 'c.current_stage').where('i.reviewer_email', '=', me)),
    )
    .orderBy('c.id')
    .execute()
  const wanted = query.campaign && /^\d+$/.test(query.campaign) ? Number(query.campaign) : null
  const campaign = campaigns.find((x) => x.id === wanted) ?? campaigns[0] ?? null
  if (!campaign) return { campaigns, campaign: null, items: [], counts: { total: 0, pending: 0, decided: 0, signedOff: 0 }, paging: { page: 1, pages: 1, matching: 0, size: INBOX_PAGE_SIZE } }
  const filter: InboxFilter = {
    campaignId: campaign.id,
    status: query.status === 'decided' || query.status === 'all' ? query.status : 'pending',
    text: query.text?.slice(0, 200),
    withFindings: query.findings === '1',
    inactiveDays: query.inactive && /^\d{1,4}$/.test(query.inactive) ? Number(query.inactive) : undefined,
  }
  const matching = await countReviewerInbox(store.db, me, filter)
  const pages = Math.max(1, Math.ceil(matching / INBOX_PAGE_SIZE))
  const page = Math.min(pages, query.page && /^\d{1,6}$/.test(query.page) ? Math.max(1, Number(query.page)) : 1)
  const items = await reviewerInbox(store.db, me, { ...filter, limit: INBOX_PAGE_SIZE, offset: (page - 1) * INBOX_PAGE_SIZE })
  const counts = await store.db
    .selectFrom('review_items')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      (eb) => eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(1).else(0).end()).as('pending'),
      (eb) => eb.fn.sum<number>(eb.case().when('signed_off_at', 'is not', null).then(1).else(0).end()).as('signed'),
    ])
    .where('campaign_id', '=', campaign.id)
    .where('stage', '=', campaign.current_stage)
    .where('reviewer_email', '=', me)
    .executeTakeFirstOrThrow()
  const total = Number(counts.total)
  const pending = Number(counts.pending ?? 0)
  return { campaigns, campaign, items, counts: { total, pending, decided: total - pending, signedOff: Number(counts.signed ?? 0) }, paging: { page, pages, matching, size: INBOX_PAGE_SIZE } }
}

/**
 * The reviewer inbox: only the signed-in person's own items (every query names them), decisions as plain forms
 * that work without script, and the emailed sign-in link. Any role may have items to review.
 */
export function reviewRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  // The emailed link: GET only shows a button (mail scanners fetch links), POST uses the single-use token.
  app.get('/sign-in/:token', (c) =>
    c.html(
      <Layout title="Sign in to review access">
        <h1 class="heading-l">Sign in to review access</h1>
        <p class="lead">This link signs you in once. It stops working after you use it or when it expires.</p>
        <form method="post" action={`/review/sign-in/${encodeURIComponent(c.req.param('token'))}`}>
          <button type="submit" class="button">
            Continue to my reviews
          </button>
        </form>
      </Layout>,
    ),
  )
  app.post('/sign-in/:token', async (c) => {
    const { store, clock, config, clientAddress } = c.var.deps
    const now = clock.now()
    const email = await consumeSignInLink(store.db, c.req.param('token'), now)
    const user = email ? await findUserByEmail(store.db, email) : undefined
    if (!user || user.disabled !== 0) {
      throw new HTTPException(400, { message: 'This sign-in link has been used, has expired, or is not valid. Ask for a new one from whoever runs the review.' })
    }
    const created = await createSession(store.db, { user, method: 'email-link', address: clientAddress(c.req.raw, c.env), at: now, policy: config.session })
    setSessionCookie(c, created.token, created.session.expires_at)
    c.var.deps.logger.info('auth.signin', { requestId: c.var.requestId, user: user.id, method: 'email-link' })
    return c.redirect('/review', 303)
  })

  app.use(requireSignedIn())

  app.get('/', async (c) => {
    const q = c.req.query()
    const query: InboxQuery = { campaign: q.campaign, group: q.group, status: q.status, text: q.text, findings: q.findings, inactive: q.inactive, page: q.page }
    const data = await inboxData(c, query)
    const { user, csrfToken } = c.var.auth!
    return c.html(<InboxPage me={user} csrfToken={csrfToken} query={query} notice={q.notice?.slice(0, 200)} now={c.var.deps.clock.now()} {...data} />)
  })

  app.post('/items/:id/decide', async (c) => {
    const form = (await c.req.parseBody()) as Form
    const decision = str(form, 'decision') as DecisionValue
    if (!DECISIONS.includes(decision)) throw new HTTPException(400, { message: 'Choose keep, revoke or modify.' })
    await decideItem(
      c.var.deps.store.db,
      { itemId: positiveInt(c.req.param('id'), 'item'), decision, reason: str(form, 'reason'), modification: str(form, 'modification'), version: positiveInt(str(form, 'version'), 'version') },
      c.var.auth!.user.email,
      { now: c.var.deps.clock.now() },
    )
    return c.redirect(backTo(form, NOTICES[decision]), 303)
  })

  app.post('/items/:id/undo', async (c) => {
    const form = (await c.req.parseBody()) as Form
    await undoDecision(c.var.deps.store.db, { itemId: positiveInt(c.req.param('id'), 'item'), version: positiveInt(str(form, 'version'), 'version') }, c.var.auth!.user.email, { now: c.var.deps.clock.now() })
    return c.redirect(backTo(form, 'Decision undone.'), 303)
  })

  app.get('/items/:id/reassign', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const item = await reviewerItem(c.var.deps.store.db, user.email, positiveInt(c.req.param('id'), 'item'))
    const back = inboxPath(c.req.query('back'))
    if (item.status !== 'pending' || item.signedOff) return c.redirect(`${back}${back.includes('?') ? '&' : '?'}notice=${encodeURIComponent('That item is already decided.')}`, 303)
    return c.html(<ReassignPage me={user} csrfToken={csrfToken} item={item} back={back} />)
  })

  app.post('/items/:id/reassign', async (c) => {
    const form = (await c.req.parseBody()) as Form
    const item = await reassignItem(
      c.var.deps.store.db,
      { itemId: positiveInt(c.req.param('id'), 'item'), version: positiveInt(str(form, 'version'), 'version'), to: str(form, 'to'), reason: str(form, 'reason') },
      c.var.auth!.user.email,
      { now: c.var.deps.clock.now() },
    )
    return c.redirect(backTo(form, `Handed on to ${item.reviewer_email}.`), 303)
  })

  app.post('/bulk', async (c) => {
    const form = (await c.req.parseBody()) as Form
    const decision = str(form, 'decision') as DecisionValue
    if (decision !== 'keep' && decision !== 'revoke') throw new HTTPException(400, { message: 'Bulk decisions are keep or revoke.' })
    const items = selection(form)
    if (items.length === 0) throw new HTTPException(400, { message: 'Select at least one item (tick it, or choose “every item shown”).' })
    const result = await bulkDecide(c.var.deps.store.db, { items, decision, reason: str(form, 'reason') }, c.var.auth!.user.email, { now: c.var.deps.clock.now() })
    const conflicts = result.conflicts.length ? ` ${result.conflicts.length} changed meanwhile and were left alone.` : ''
    return c.redirect(backTo(form, `${result.decided.length} item(s): ${decision}.${conflicts}`), 303)
  })

  app.post('/campaigns/:id/sign-off', async (c) => {
    const r = await signOff(c.var.deps.store.db, positiveInt(c.req.param('id'), 'campaign'), c.var.auth!.user.email, { now: c.var.deps.clock.now() })
    return c.redirect(`/review?notice=${encodeURIComponent(`Signed off ${r.items} item(s). Thank you.`)}`, 303)
  })

  return app
}

import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import {
  campaignDetail, cloneCampaign, closeCampaign, closeManualRemediation, createCampaign, launchCampaign, listCampaigns, listOutbox, listRemediations,
  parseScope, queueReminders, runRemediations, scheduleFromCampaign, sendOutbox, type CreateCampaignInput, type ReviewerRule,
} from '../../data/campaigns/index.js'
import { isDomainError } from '../../data/errors.js'
import type { DefaultOutcome } from '../../data/tables/reviews.table.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import type { FieldError } from '../views/layout.js'
import { CampaignListPage, CampaignPage, CreateCampaignPage, RemediationPage, type CreateValues } from './campaign-views.js'
import type { CampaignUiDeps } from './deps.js'

type Form = Record<string, string | File | (string | File)[]>
const str = (form: Form, key: string): string => (typeof form[key] === 'string' ? (form[key] as string).trim() : '')
const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '')

function idParam(c: Context<AppEnv>): number {
  const v = c.req.param('id') ?? ''
  if (!/^\d{1,12}$/.test(v)) throw new HTTPException(404, { message: 'No such campaign.' })
  return Number(v)
}

/** Sends what the outbox holds when SMTP is configured; otherwise the dashboard shows it. */
async function deliver(c: Context<AppEnv>, deps: CampaignUiDeps): Promise<void> {
  if (!deps.mail) return
  await sendOutbox(c.var.deps.store.db, { transport: deps.mail.transport, from: deps.mail.from, baseUrl: deps.mail.baseUrl ?? new URL(c.req.url).origin, actor: c.var.auth!.user.email })
}

/** The create form's fields → the domain input; field errors name the form field they belong to. */
function readCreateForm(form: Form): { values: CreateValues; input: CreateCampaignInput | null; errors: FieldError[] } {
  const statuses = ([] as unknown[]).concat(form['statuses'] ?? []).filter((s): s is string => typeof s === 'string')
  const values: CreateValues = {
    name: str(form, 'name'), apps: str(form, 'apps'), categories: str(form, 'categories'), statuses, riskyGrants: str(form, 'riskyGrants'),
    inactiveDays: str(form, 'inactiveDays'), departments: str(form, 'departments'), leavers: str(form, 'leavers'), reviewer: str(form, 'reviewer'),
    reviewerEmail: str(form, 'reviewerEmail'), fallback: str(form, 'fallback'), stage2: str(form, 'stage2'), due: str(form, 'due'),
    default: str(form, 'default'), instructions: str(form, 'instructions'), delta: str(form, 'delta'), schedule: str(form, 'schedule'),
  }
  const errors: FieldError[] = []
  if (!values.name) errors.push({ field: 'name', message: 'Enter a name for the campaign' })
  if (!values.fallback) errors.push({ field: 'fallback', message: 'Enter the fallback reviewer’s email address' })
  if (values.inactiveDays && !/^\d{1,4}$/.test(values.inactiveDays)) errors.push({ field: 'inactiveDays', message: 'Inactive days must be a whole number' })
  if (values.reviewer === 'named' && !values.reviewerEmail) errors.push({ field: 'reviewerEmail', message: 'Enter the named reviewer’s email address' })
  if (values.due && !/^\d{4}-\d{2}-\d{2}$/.test(values.due)) errors.push({ field: 'due', message: 'Enter the due date as a date' })
  if (errors.length) return { values, input: null, errors }
  const scope: Record<string, unknown> = {}
  if (values.apps) scope.apps = list(values.apps).map((a) => (/^\d+$/.test(a) ? Number(a) : a))
  if (values.categories) scope.categories = list(values.categories)
  if (statuses.length) scope.appStatuses = statuses
  if (values.riskyGrants === '1') scope.riskyGrants = true
  if (values.inactiveDays) scope.inactiveDays = Number(values.inactiveDays)
  if (values.departments) scope.departments = list(values.departments)
  if (values.leavers === '1') scope.leaversOnly = true
  const reviewer: ReviewerRule = values.reviewer === 'owner' ? { kind: 'owner' } : values.reviewer === 'named' ? { kind: 'named', email: values.reviewerEmail! } : { kind: 'manager' }
  const stage2: ReviewerRule | null = values.stage2 === 'owner' ? { kind: 'owner' } : values.stage2 === 'manager' ? { kind: 'manager' } : null
  return {
    values,
    errors,
    input: {
      name: values.name!, scope: parseScope(scope), reviewer, stage2, fallbackReviewer: values.fallback!, dueAt: values.due || null,
      instructions: values.instructions || null, defaultOutcome: (values.default || 'undecided') as DefaultOutcome, delta: values.delta === '1',
    },
  }
}

/** Campaigns for IT and admins (auditors read): list, create, dashboard, launch, remind, close, clone. */
export function campaignRoutes(deps: CampaignUiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'it', 'auditor'))
  const manage = requireRole('admin', 'it')
  const canManage = (c: Context<AppEnv>) => c.var.auth!.user.role !== 'auditor'

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    return c.html(<CampaignListPage me={user} csrfToken={csrfToken} campaigns={await listCampaigns(c.var.deps.store.db)} canManage={canManage(c)} />)
  })

  app.get('/new', manage, (c) => {
    const { user, csrfToken } = c.var.auth!
    return c.html(<CreateCampaignPage me={user} csrfToken={csrfToken} values={{ fallback: user.email }} errors={[]} />)
  })

  app.post('/', manage, async (c) => {
    const { user, csrfToken } = c.var.auth!
    const form = (await c.req.parseBody({ all: true })) as Form
    const { values, input, errors } = (() => {
      try {
        return readCreateForm(form)
      } catch (error) {
        if (isDomainError(error)) return { values: {} as CreateValues, input: null, errors: [{ field: 'apps', message: error.message }] }
        throw error
      }
    })()
    if (!input) return c.html(<CreateCampaignPage me={user} csrfToken={csrfToken} values={values} errors={errors} />, 400)
    const db = c.var.deps.store.db
    let campaign
    try {
      campaign = await createCampaign(db, input, user.email, { now: c.var.deps.clock.now() })
    } catch (error) {
      if (!isDomainError(error)) throw error
      const field = /^(\w+)/.exec(error.message)?.[1] ?? 'name'
      const known = ['name', 'due', 'fallback', 'reviewerEmail', 'apps']
      return c.html(<CreateCampaignPage me={user} csrfToken={csrfToken} values={values} errors={[{ field: known.includes(field) ? field : field === 'reviewer' ? 'reviewerEmail' : 'name', message: error.message }]} />, 400)
    }
    let notice = 'Saved as a draft.'
    if (str(form, 'then') === 'launch') {
      const launched = await launchCampaign(db, campaign.id, user.email, { now: c.var.deps.clock.now() })
      notice = `Launched: ${launched.items} items for ${launched.reviewers.length} reviewers.`
      await deliver(c, deps)
    }
    if (str(form, 'schedule') === 'quarterly') await scheduleFromCampaign(db, await db.selectFrom('campaigns').selectAll().where('id', '=', campaign.id).executeTakeFirstOrThrow(), 'quarterly', user.email)
    return c.redirect(`/campaigns/${campaign.id}?notice=${encodeURIComponent(notice)}`, 303)
  })

  app.get('/:id', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const detail = await campaignDetail(c.var.deps.store.db, idParam(c))
    const outbox = await listOutbox(c.var.deps.store.db, { campaignId: detail.campaign.id, limit: 200 })
    return c.html(<CampaignPage me={user} csrfToken={csrfToken} detail={detail} outbox={outbox} canManage={canManage(c)} notice={c.req.query('notice')?.slice(0, 200)} mailConfigured={Boolean(deps.mail)} />)
  })

  app.post('/:id/launch', manage, async (c) => {
    const r = await launchCampaign(c.var.deps.store.db, idParam(c), c.var.auth!.user.email, { now: c.var.deps.clock.now() })
    await deliver(c, deps)
    return c.redirect(`/campaigns/${r.campaign.id}?notice=${encodeURIComponent(`Launched: ${r.items} items for ${r.reviewers.length} reviewers.`)}`, 303)
  })

  app.post('/:id/remind', manage, async (c) => {
    const id = idParam(c)
    const r = await queueReminders(c.var.deps.store.db, { actor: c.var.auth!.user.email, campaignId: id, now: c.var.deps.clock.now() })
    await deliver(c, deps)
    return c.redirect(`/campaigns/${id}?notice=${encodeURIComponent(`${r.reminders} reminder(s) and ${r.escalations} escalation(s) queued.`)}`, 303)
  })

  app.post('/:id/close', manage, async (c) => {
    const id = idParam(c)
    const r = await closeCampaign(c.var.deps.store.db, id, c.var.auth!.user.email, { now: c.var.deps.clock.now() })
    await deliver(c, deps)
    const what = r.advancedToStage ? `Stage 1 closed; stage 2 has ${r.stage2Items} items.` : 'Closed.'
    return c.redirect(`/campaigns/${id}?notice=${encodeURIComponent(`${what} ${r.defaulted} undecided item(s) recorded as a default; ${r.remediations} remediation(s) queued.`)}`, 303)
  })

  app.post('/:id/clone', manage, async (c) => {
    const copy = await cloneCampaign(c.var.deps.store.db, idParam(c), c.var.auth!.user.email, { now: c.var.deps.clock.now() })
    return c.redirect(`/campaigns/${copy.id}?notice=${encodeURIComponent('Cloned as a draft.')}`, 303)
  })

  return app
}

/** The remediation queue for IT: run the automatic ones, close manual tasks with a note. */
export function remediationRoutes(deps: CampaignUiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'it', 'auditor'))
  const manage = requireRole('admin', 'it')

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const rows = await listRemediations(c.var.deps.store.db)
    return c.html(<RemediationPage me={user} csrfToken={csrfToken} rows={rows} canRun={user.role !== 'auditor'} notice={c.req.query('notice')?.slice(0, 200)} />)
  })

  app.post('/run', manage, async (c) => {
    if (!deps.dispatch) throw new HTTPException(400, { message: 'No source has remediation credentials configured; close the tasks by hand.' })
    const r = await runRemediations(c.var.deps.store.db, deps.dispatch, { actor: c.var.auth!.user.email, limit: 200 })
    return c.redirect(`/remediations?notice=${encodeURIComponent(`${r.done} done, ${r.failed} failed, ${r.toManual} handed to IT.`)}`, 303)
  })

  app.post('/:id/close', manage, async (c) => {
    const form = (await c.req.parseBody()) as Form
    const id = c.req.param('id')
    if (!/^\d{1,12}$/.test(id)) throw new HTTPException(404, { message: 'No such remediation.' })
    await closeManualRemediation(c.var.deps.store.db, { id: Number(id), note: str(form, 'note') }, c.var.auth!.user.email, { now: c.var.deps.clock.now() })
    return c.redirect(`/remediations?notice=${encodeURIComponent('Marked done; the next scan of the source checks it.')}`, 303)
  })

  return app
}

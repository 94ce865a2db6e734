import type { Kysely } from 'kysely'
import { z } from 'zod'
import { appendAuditEvent, type Actor } from '../audit.js'
import type { Database } from '../database.js'
import type { Campaign, CampaignSchedule } from '../tables/reviews.table.js'
import { campaignReviewerRule, campaignScope, campaignStage2Rule, createCampaign, validateCreateInput, type CreateCampaignInput } from './create.js'
import { invalid } from './errors.js'
import { launchCampaign, type LaunchResult } from './launch.js'
import { loadCampaign } from './load.js'

/** A copy of a campaign's settings as a new draft (same scope rules, reviewers, default, instructions). */
export async function cloneCampaign(
  db: Kysely<Database>,
  campaignId: number,
  actor: Actor,
  options: { name?: string; dueAt?: string | null; now?: string } = {},
): Promise<Campaign> {
  const source = await loadCampaign(db, campaignId)
  return createCampaign(db, { ...campaignInput(source), name: options.name ?? `${source.name} (copy)`, dueAt: options.dueAt ?? null, parentCampaignId: source.id }, actor, { now: options.now })
}

export function campaignInput(c: Campaign): CreateCampaignInput {
  return {
    name: c.name,
    scope: campaignScope(c),
    reviewer: campaignReviewerRule(c),
    stage2: campaignStage2Rule(c),
    fallbackReviewer: c.fallback_reviewer,
    instructions: c.instructions,
    defaultOutcome: c.default_outcome,
    delta: c.delta === 1,
  }
}

const templateSchema = z.object({ input: z.record(z.string(), z.unknown()), dueDays: z.number().int().positive() })

/** `2027-01-01T00:00:00.000Z` + 3 months, on the same day of the month (clamped to its end). */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d.toISOString()
}

const CADENCE_MONTHS = { quarterly: 3, monthly: 1 } as const

/** Repeats a campaign: `campaigns tick` creates and launches it when due, then moves the date on. */
export async function createSchedule(
  db: Kysely<Database>,
  input: { name: string; cadence: 'quarterly' | 'monthly'; template: Omit<CreateCampaignInput, 'dueAt'>; dueDays: number; firstRunAt: string },
  actor: Actor,
  options: { now?: string } = {},
): Promise<CampaignSchedule> {
  const now = options.now ?? new Date().toISOString()
  if (!(input.cadence in CADENCE_MONTHS)) throw invalid(`cadence: "${input.cadence}" is not quarterly or monthly`)
  if (!Number.isInteger(input.dueDays) || input.dueDays < 1) throw invalid('due days: a whole number of days after launch')
  validateCreateInput({ ...input.template, dueAt: null })
  const first = new Date(input.firstRunAt)
  if (Number.isNaN(first.getTime())) throw invalid(`first run: "${input.firstRunAt}" is not a date`)
  return db.transaction().execute(async (tx) => {
    const schedule = await tx
      .insertInto('campaign_schedules')
      .values({ name: input.name.trim() || input.template.name, cadence: input.cadence, template: JSON.stringify({ input: input.template, dueDays: input.dueDays }), next_run_at: first.toISOString(), created_by: actor, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAuditEvent(tx, { actor, action: 'campaign.schedule.create', subjectType: 'campaign_schedule', subjectId: schedule.id, payload: { cadence: input.cadence, firstRunAt: schedule.next_run_at, dueDays: input.dueDays }, occurredAt: now })
    return schedule
  })
}

/** Schedules a campaign to repeat with its own settings (the `--schedule quarterly` of create). */
export async function scheduleFromCampaign(db: Kysely<Database>, campaign: Campaign, cadence: 'quarterly' | 'monthly', actor: Actor, options: { now?: string } = {}): Promise<CampaignSchedule> {
  const from = campaign.launched_at ?? options.now ?? new Date().toISOString()
  const dueDays = campaign.due_at ? Math.max(1, Math.round((Date.parse(campaign.due_at) - Date.parse(from)) / 86_400_000)) : 14
  return createSchedule(db, { name: campaign.name, cadence, template: campaignInput(campaign), dueDays, firstRunAt: addMonths(from, CADENCE_MONTHS[cadence]) }, actor, options)
}

/** A run's name: the template's name and the quarter (or month) it starts in. */
function periodName(name: string, cadence: 'quarterly' | 'monthly', at: string): string {
  const d = new Date(at)
  const period = cadence === 'quarterly' ? `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}` : at.slice(0, 7)
  return `${name} — ${period}`
}

/**
 * Runs every schedule that is due: creates the campaign from its template, launches it, and sets the next run.
 * Called by `sightline campaigns tick` from cron (or by the server). A run missed by months runs once.
 */
export async function runDueSchedules(db: Kysely<Database>, actor: Actor, options: { now?: string } = {}): Promise<LaunchResult[]> {
  const now = options.now ?? new Date().toISOString()
  const due = await db.selectFrom('campaign_schedules').selectAll().where('active', '=', 1).where('next_run_at', '<=', now).orderBy('id').execute()
  const launched: LaunchResult[] = []
  for (const s of due) {
    const template = templateSchema.parse(JSON.parse(s.template))
    const input = template.input as unknown as CreateCampaignInput
    const dueAt = new Date(Date.parse(now) + template.dueDays * 86_400_000).toISOString()
    const campaign = await createCampaign(db, { ...input, name: periodName(input.name, s.cadence, now), dueAt, scheduleId: s.id, parentCampaignId: s.last_campaign_id }, actor, { now })
    const result = await launchCampaign(db, campaign.id, actor, { now })
    let next = s.next_run_at
    while (next <= now) next = addMonths(next, CADENCE_MONTHS[s.cadence])
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('campaign_schedules').set({ next_run_at: next, last_campaign_id: campaign.id }).where('id', '=', s.id).execute()
      await appendAuditEvent(tx, { actor, action: 'campaign.schedule.run', subjectType: 'campaign_schedule', subjectId: s.id, payload: { campaignId: campaign.id, nextRunAt: next }, occurredAt: now })
    })
    launched.push(result)
  }
  return launched
}

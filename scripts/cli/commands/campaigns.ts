import type { Command } from 'commander'
import {
  campaignDetail, campaignItems, cloneCampaign, closeCampaign, closeManualRemediation, createCampaign, createSmtpTransport,
  describeAccess, describeScope, launchCampaign, listCampaigns, listOutbox, listRemediations, parseScopeText, queueReminders, reviewerRuleFromText,
  RUBBER_STAMP_WORDS, runCampaignTick, runRemediations, scheduleFromCampaign, sendOutbox,
} from '../../../data/campaigns/index.js'
import type { DefaultOutcome } from '../../../data/tables/reviews.table.js'
import type { Store } from '../../../data/connection.js'
import { cliActor, mailFromEnv, remediationDispatchFromEnv } from '../campaign-env.js'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError } from '../errors.js'
import { createOutput, type Output } from '../output.js'

function idArg(value: string, what = 'campaign id'): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${what}: "${value}" is not a number`)
  return Number(value)
}


async function deliverMail(store: Store, out: Output, actor: string): Promise<void> {
  const mail = mailFromEnv()
  if (!mail.smtpUrl) {
    const pending = (await listOutbox(store.db, { limit: 1000 })).filter((m) => m.status !== 'sent').length
    if (pending) out.info(`${pending} message(s) wait in the outbox (SIGHTLINE_SMTP_URL is not set; the web app shows them)`)
    return
  }
  const transport = createSmtpTransport({ url: mail.smtpUrl, from: mail.from })
  try {
    const sent = await sendOutbox(store.db, { transport, from: mail.from, baseUrl: mail.baseUrl, actor })
    out.info(`mail: ${sent.sent} sent, ${sent.failed} failed`)
  } finally {
    transport.close()
  }
}

export function registerCampaigns(program: Command): void {
  const campaigns = program.command('campaigns').description('access certification campaigns: create, launch, remind, close, and run schedules')

  campaigns
    .command('create')
    .description('create a draft campaign (launch it with `campaigns launch ID` or --launch)')
    .requiredOption('--name <name>', 'campaign name')
    .option('--scope <terms>', 'all, or ;-separated: apps=slack,42; categories=crm; status=unsanctioned,shadow; risky-grants; inactive=90; departments=Sales; leavers', 'all')
    .option('--reviewer <who>', 'manager (from HR), owner (the app owner) or an email address', 'manager')
    .requiredOption('--fallback <email>', 'reviews items whose rule names nobody, or the person under review')
    .option('--due <date>', 'due date, YYYY-MM-DD')
    .option('--stage2 <who>', 'second stage for what stage 1 kept: manager, owner or an email')
    .option('--default <outcome>', 'outcome recorded (as a default) for items nobody decided: undecided, keep, revoke or flag', 'undecided')
    .option('--delta', 'only access that changed since the last closed campaign of the same scope')
    .option('--instructions <text>', 'shown to reviewers')
    .option('--schedule <cadence>', 'repeat it: quarterly or monthly (run by `campaigns tick`)')
    .option('--launch', 'launch it at once')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { name: string; scope: string; reviewer: string; fallback: string; due?: string; stage2?: string; default: string; delta?: boolean; instructions?: string; schedule?: string; launch?: boolean; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      if (opts.schedule && opts.schedule !== 'quarterly' && opts.schedule !== 'monthly') throw new UsageError(`--schedule: "${opts.schedule}" is not quarterly or monthly`)
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const actor = cliActor()
        const result = await (async () => {
          const campaign = await createCampaign(
            store.db,
            {
              name: opts.name,
              scope: parseScopeText(opts.scope),
              reviewer: reviewerRuleFromText(opts.reviewer, '--reviewer'),
              stage2: opts.stage2 ? reviewerRuleFromText(opts.stage2, '--stage2') : null,
              fallbackReviewer: opts.fallback,
              dueAt: opts.due ?? null,
              instructions: opts.instructions ?? null,
              defaultOutcome: opts.default as DefaultOutcome,
              delta: Boolean(opts.delta),
            },
            actor,
          )
          const launch = opts.launch ? await launchCampaign(store.db, campaign.id, actor) : null
          const schedule = opts.schedule ? await scheduleFromCampaign(store.db, launch?.campaign ?? campaign, opts.schedule as 'quarterly' | 'monthly', actor) : null
          return { campaign: launch?.campaign ?? campaign, launch, schedule }
        })()
        if (out.json) {
          out.result({ id: result.campaign.id, status: result.campaign.status, items: result.launch?.items ?? null, reviewers: result.launch?.reviewers ?? null, scheduleId: result.schedule?.id ?? null, nextRunAt: result.schedule?.next_run_at ?? null })
          return
        }
        out.result(`campaign ${result.campaign.id} "${result.campaign.name}" created (${result.campaign.status})`)
        if (result.launch) out.result(`launched: ${result.launch.items} items for ${result.launch.reviewers.length} reviewers`)
        if (result.schedule) out.result(`repeats ${result.schedule.cadence}; next run ${result.schedule.next_run_at}`)
        if (result.launch) await deliverMail(store, out, actor)
      })
    })

  campaigns
    .command('launch <id>')
    .description('freeze the access in scope into review items and invite the reviewers')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const actor = cliActor()
        const r = await launchCampaign(store.db, idArg(id), actor)
        if (out.json) out.result({ id: r.campaign.id, items: r.items, reviewers: r.reviewers, unchanged: r.unchanged, baselineCampaignId: r.baselineCampaignId })
        else {
          out.result(`campaign ${r.campaign.id} launched: ${r.items} items for ${r.reviewers.length} reviewers`)
          if (r.baselineCampaignId) out.result(`delta against campaign ${r.baselineCampaignId}: ${r.unchanged} unchanged items left out`)
        }
        await deliverMail(store, out, actor)
      })
    })

  campaigns
    .command('list')
    .description('campaigns, newest first, with progress')
    .option('--status <status>', 'draft, active or closed')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { status?: string; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      if (opts.status && !['draft', 'active', 'closed'].includes(opts.status)) throw new UsageError(`--status: "${opts.status}" is not draft, active or closed`)
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const rows = await listCampaigns(store.db, { status: opts.status as 'draft' | 'active' | 'closed' | undefined })
        if (out.json) return out.result(rows)
        if (rows.length === 0) return out.result('no campaigns yet (sightline campaigns create …)')
        for (const c of rows) {
          const pct = c.items ? Math.floor((c.decided / c.items) * 100) : 0
          out.result(`${String(c.id).padStart(4)}  ${c.status.padEnd(6)}  ${`${c.decided}/${c.items}`.padStart(13)} (${String(pct).padStart(3)}%)  ${String(c.reviewers).padStart(4)} reviewers  due ${c.dueAt?.slice(0, 10) ?? '—'.padEnd(10)}  ${c.name}${c.stage > 1 ? ` [stage ${c.stage}]` : ''}`)
        }
      })
    })

  campaigns
    .command('show <id>')
    .description('progress by reviewer, app and decision; rubber-stamp signals; remediations')
    .option('--items', 'list the items too')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { items?: boolean; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const d = await campaignDetail(store.db, idArg(id))
        const items = opts.items ? await campaignItems(store.db, d.campaign.id, { stage: d.campaign.current_stage }) : null
        const remediations = await listRemediations(store.db, { campaignId: d.campaign.id })
        if (out.json) {
          const c = d.campaign
          out.result({
            campaign: { ...c, scope: JSON.parse(c.scope), reviewer_rule: JSON.parse(c.reviewer_rule), stage2_rule: c.stage2_rule ? JSON.parse(c.stage2_rule) : null },
            byReviewer: d.byReviewer, byApp: d.byApp, byDecision: d.byDecision, rubberStamp: d.rubberStamp, outbox: d.outbox,
            remediations: remediations.map((r) => ({ id: r.id, itemId: r.review_item_id, mode: r.mode, action: r.action, source: r.source, status: r.status, owner: r.owner_email, dueAt: r.due_at, attempts: r.attempts, outcome: r.outcome, error: r.error, verifiedByScanRunId: r.verified_by_scan_run_id, note: r.note })),
            items,
          })
          return
        }
        const c = d.campaign
        out.result(`campaign ${c.id} "${c.name}" — ${c.status}${c.current_stage > 1 ? `, stage ${c.current_stage}` : ''}; due ${c.due_at?.slice(0, 10) ?? '—'}; scope: ${describeScope(JSON.parse(c.scope))}`)
        out.result(`decisions: ${Object.entries(d.byDecision).map(([k, v]) => `${k} ${v}`).join(', ') || 'none yet'}`)
        out.result('by reviewer:')
        for (const r of d.byReviewer) out.result(`  ${r.key.padEnd(36)} ${`${r.decided}/${r.total}`.padStart(9)}  keep ${r.keep}  revoke ${r.revoke}  modify ${r.modify}${r.signedOff === r.total ? '  signed off' : ''}`)
        out.result('by app:')
        for (const r of d.byApp) out.result(`  ${r.key.padEnd(36)} ${`${r.decided}/${r.total}`.padStart(9)}  keep ${r.keep}  revoke ${r.revoke}  modify ${r.modify}`)
        const flagged = d.rubberStamp.filter((r) => r.flags.length)
        if (flagged.length) {
          out.result('rubber-stamp signals:')
          for (const r of flagged) out.result(`  ${r.reviewer}: ${r.flags.map((f) => RUBBER_STAMP_WORDS[f]).join('; ')}`)
        }
        if (remediations.length) {
          out.result('remediations:')
          for (const r of remediations) out.result(`  ${String(r.id).padStart(5)} ${r.status.padEnd(13)} ${r.mode.padEnd(9)} ${r.action.padEnd(14)} ${r.subject_email ?? '?'} · ${r.app_name ?? '?'}${r.owner_email ? `  owner ${r.owner_email}` : ''}${r.error ? `  (${r.error})` : ''}`)
        }
        if (items) for (const i of items) out.result(`  #${i.id} v${i.version} ${(i.decision ?? 'pending').padEnd(9)} ${describeAccess(i.snapshot)}`)
      })
    })

  campaigns
    .command('remind')
    .description('queue reminders (due soon) and escalations to the reviewer’s manager (overdue), then send mail if SMTP is configured')
    .option('--campaign <id>', 'only this campaign')
    .option('--days <n>', 'remind this many days before the due date', '3')
    .action(async (opts: { campaign?: string; days: string }, cmd: Command) => {
      const out = createOutput({ json: false })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const actor = cliActor()
        const r = await queueReminders(store.db, { actor, campaignId: opts.campaign ? idArg(opts.campaign) : undefined, reminderDays: idArg(opts.days, '--days') })
        out.result(`${r.reminders} reminder(s), ${r.escalations} escalation(s) queued`)
        await deliverMail(store, out, actor)
      })
    })

  campaigns
    .command('close <id>')
    .description('end the current stage: undecided items get the default outcome (marked as default); opens stage 2 if configured')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const out = createOutput({ json: false })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const actor = cliActor()
        const r = await closeCampaign(store.db, idArg(id), actor)
        out.result(r.advancedToStage ? `stage 1 closed; stage 2 opened with ${r.stage2Items} items` : `campaign ${r.campaign.id} closed`)
        out.result(`${r.defaulted} undecided item(s) recorded as "${r.campaign.default_outcome}" (default); ${r.remediations} remediation(s) queued`)
        await deliverMail(store, out, actor)
      })
    })

  campaigns
    .command('clone <id>')
    .description('a new draft with the same scope rules, reviewers and settings')
    .option('--name <name>')
    .option('--due <date>', 'due date, YYYY-MM-DD')
    .action(async (id: string, opts: { name?: string; due?: string }, cmd: Command) => {
      const out = createOutput({ json: false })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const c = await cloneCampaign(store.db, idArg(id), cliActor(), { name: opts.name, dueAt: opts.due ?? null })
        out.result(`campaign ${c.id} "${c.name}" created (draft) from campaign ${id}`)
      })
    })

  campaigns
    .command('remediate')
    .description('dispatch open automatic remediations to the sources with credentials in the environment')
    .option('--campaign <id>', 'only this campaign')
    .action(async (opts: { campaign?: string }, cmd: Command) => {
      const out = createOutput({ json: false })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const { dispatch, sources } = remediationDispatchFromEnv()
        if (sources.length === 0) throw new UsageError('no source credentials in the environment (SIGHTLINE_OKTA_ORG_URL, SIGHTLINE_GOOGLE_KEY_FILE, SIGHTLINE_ENTRA_TENANT_ID …)')
        const r = await runRemediations(store.db, dispatch, { actor: cliActor(), campaignId: opts.campaign ? idArg(opts.campaign) : undefined })
        out.result(`remediations: ${r.done} done, ${r.failed} failed, ${r.toManual} handed to IT as manual tasks (automatic sources: ${sources.join(', ') || 'none configured'})`)
      })
    })

  campaigns
    .command('resolve-task <remediationId>')
    .description('close a manual remediation task with a note saying what was done')
    .requiredOption('--note <text>', 'what you did')
    .action(async (remediationId: string, opts: { note: string }, cmd: Command) => {
      const out = createOutput({ json: false })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const r = await closeManualRemediation(store.db, { id: idArg(remediationId, 'remediation id'), note: opts.note }, cliActor())
        out.result(`remediation ${r.id} done${r.source ? `; the next completed ${r.source} scan verifies it` : ''}`)
      })
    })

  campaigns
    .command('tick')
    .description('for cron: launch scheduled campaigns that are due, queue reminders and escalations, send mail, run automatic remediations')
    .action(async (_opts: unknown, cmd: Command) => {
      const out = createOutput({ json: false })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const { dispatch, sources } = remediationDispatchFromEnv()
        const mail = mailFromEnv()
        const transport = mail.smtpUrl ? createSmtpTransport({ url: mail.smtpUrl, from: mail.from }) : null
        try {
          const r = await runCampaignTick(store.db, {
            actor: cliActor(), dispatch: sources.length ? dispatch : null,
            mail: transport ? { transport, from: mail.from, baseUrl: mail.baseUrl } : null,
          })
          for (const l of r.launched) out.result(`scheduled campaign ${l.campaign.id} "${l.campaign.name}" launched: ${l.items} items`)
          out.result(`${r.launched.length} scheduled campaign(s) launched; ${r.reminders} reminder(s), ${r.escalations} escalation(s) queued`)
          if (r.remediations) out.result(`remediations: ${r.remediations.done} done, ${r.remediations.failed} failed, ${r.remediations.toManual} to manual`)
          if (r.mail) out.info(`mail: ${r.mail.sent} sent, ${r.mail.failed} failed`)
          else {
            const pending = (await listOutbox(store.db, { limit: 1000 })).filter((m) => m.status !== 'sent').length
            if (pending) out.info(`${pending} message(s) wait in the outbox (SIGHTLINE_SMTP_URL is not set; the web app shows them)`)
          }
        } finally {
          transport?.close()
        }
      })
    })
}

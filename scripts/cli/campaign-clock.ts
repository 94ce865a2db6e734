import type { Store } from '../../data/connection.js'
import { runCampaignTick } from '../../data/campaigns/index.js'
import type { CampaignUiDeps } from '../../review-ui/campaigns/deps.js'
import type { Logger } from '../../review-ui/env.js'

/** Seconds between the server's campaign ticks: SIGHTLINE_CAMPAIGN_TICK_SECONDS (default 900; 0 turns it off). */
export function campaignTickSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SIGHTLINE_CAMPAIGN_TICK_SECONDS?.trim()
  if (!raw) return 900
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`config: SIGHTLINE_CAMPAIGN_TICK_SECONDS=${raw}: expected a number of seconds, 0 to turn the clock off`)
  return n
}

/**
 * `sightline serve` runs the campaign clock itself (the same `runCampaignTick` as `sightline campaigns tick`):
 * reminders and escalations go out and automatic remediations run without a cron job. One tick at a time; a
 * failed tick is logged and the next one tries again.
 */
export function startCampaignClock(store: Store, deps: CampaignUiDeps, options: { seconds: number; baseUrl: string; logger: Logger }): { stop(): Promise<void> } {
  if (options.seconds <= 0) return { stop: async () => {} }
  let running: Promise<void> | null = null
  const tick = (): void => {
    if (running) return
    running = (async () => {
      try {
        const r = await runCampaignTick(store.db, {
          actor: 'system:serve',
          dispatch: deps.dispatch ?? null,
          mail: deps.mail ? { transport: deps.mail.transport, from: deps.mail.from, baseUrl: deps.mail.baseUrl ?? options.baseUrl } : null,
        })
        const busy = r.launched.length + r.reminders + r.escalations + (r.remediations ? r.remediations.done + r.remediations.failed + r.remediations.toManual : 0) + (r.mail ? r.mail.sent + r.mail.failed : 0)
        if (busy > 0) {
          options.logger.info('campaigns.tick', {
            launched: r.launched.length, reminders: r.reminders, escalations: r.escalations, remediations: r.remediations, mail: r.mail,
          })
        }
      } catch (error) {
        options.logger.error('campaigns.tick.failed', { error: error instanceof Error ? error.message : String(error) })
      } finally {
        running = null
      }
    })()
  }
  const timer = setInterval(tick, options.seconds * 1000)
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}

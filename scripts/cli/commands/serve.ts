import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Command } from 'commander'
import { openStore } from '../../../data/connection.js'
import { loadResolver } from '../../../analyzer/resolve/load-resolver.js'
import { createTelemetryIngest } from '../../../collectors/browser-extension/ingest.js'
import { createApp } from '../../../review-ui/app.js'
import { jsonLineLogger, systemClock } from '../../../review-ui/env.js'
import { createSpendUploadRunner } from '../../../review-ui/uploads/spend-upload-runner.js'
import { failAbandonedJobs } from '../../../data/ui-jobs.js'
import { loadConfig, loadUiConfig } from '../../config.js'
import type { GlobalFlags } from '../context.js'
import { evidenceSettingsFromEnv } from './evidence.js'
import { campaignUiDepsFromEnv } from '../campaign-env.js'
import { campaignTickSeconds, startCampaignClock } from '../campaign-clock.js'
import { UsageError } from '../errors.js'

export interface ServeOptions {
  host: string
  port: string
}

export interface RunningServer {
  url: string
  close(): Promise<void>
}

/** Opens the store, builds the app and listens; resolves once listening (the caller decides when to stop). */
export async function startServer(flags: GlobalFlags & ServeOptions, onListening?: (url: string) => void): Promise<RunningServer> {
  const port = Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${flags.port}: expected 0..65535`)
  const config = loadConfig(flags)
  const ui = loadUiConfig({ host: flags.host, port })
  const store = await openStore(config.databaseUrl, { writeWait: { maxWaitMs: config.writeWaitMs } })
  // The browser extension posts here (POST /api/v1/telemetry with a device token from `sightline tokens create`).
  const telemetry = createTelemetryIngest({ store, resolver: await loadResolver(store.db) })
  const logger = jsonLineLogger((line) => process.stderr.write(line))
  const campaigns = campaignUiDepsFromEnv()
  const tickSeconds = campaignTickSeconds()
  // Uploads a stopped server left queued or running will never finish: say so on their pages.
  await failAbandonedJobs(store.db, systemClock.now())
  const jobs = createSpendUploadRunner({ store, clock: systemClock, logger })
  const app = createApp({ store, config: ui, clock: systemClock, logger, evidence: evidenceSettingsFromEnv(), campaigns, machineRoutes: [telemetry.app], jobs })
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: flags.host, port }, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address() as AddressInfo
  const host = flags.host.includes(':') ? `[${flags.host}]` : flags.host
  const url = `http://${host}:${address.port}`
  const clock = startCampaignClock(store, campaigns, { seconds: tickSeconds, baseUrl: url, logger })
  onListening?.(url)
  return {
    url,
    close: async () => {
      await clock.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await jobs.idle()
      await jobs.close()
      await telemetry.close()
      await store.close()
    },
  }
}

/** Serves until SIGINT/SIGTERM. */
export async function serveUntilStopped(flags: GlobalFlags & ServeOptions, onListening: (url: string) => void): Promise<void> {
  const running = await startServer(flags, onListening)
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  process.stderr.write('sightline: stopping the web server\n')
  await running.close()
}

/** `sightline serve [--host 127.0.0.1] [--port 8080]`: the web app. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the web app (sign in with a user from "sightline users add"); Ctrl-C stops')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', '8080')
    .action(async (options: ServeOptions) => {
      await serveUntilStopped({ ...program.opts<GlobalFlags>(), ...options }, (url) => {
        process.stdout.write(`Sightline is serving at ${url}\n`)
      })
    })
}

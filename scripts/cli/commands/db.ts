import type { Command } from 'commander'
import { migrateToLatest, migrationStatus } from '../../../data/migrate.js'
import { DEFAULT_SIGNIN_RETENTION_DAYS, pruneSigninEvents } from '../../../data/retention.js'
import { UsageError } from '../errors.js'
import { cliActor } from '../campaign-env.js'
import { createOutput } from '../output.js'
import { withStore, type GlobalFlags } from '../context.js'

export function registerDb(program: Command): void {
  const db = program.command('db').description('create, upgrade and inspect the inventory database')
  db.command('migrate')
    .description('apply pending migrations (also done automatically when any command opens the database)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const { applied } = await migrateToLatest(store.db)
        if (out.json) out.result({ database: store.displayUrl, dialect: store.dialect, applied })
        else out.result(applied.length === 0 ? `${store.displayUrl}: up to date` : `${store.displayUrl}: applied ${applied.join(', ')}`)
      }, { migrate: false })
    })
  db.command('status')
    .description('list migrations and whether each has been applied')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const status = await migrationStatus(store.db)
        const rows = status.map((m) => ({ name: m.name, appliedAt: m.executedAt?.toISOString() ?? null }))
        if (out.json) out.result({ database: store.displayUrl, dialect: store.dialect, migrations: rows })
        else {
          out.result(`${store.displayUrl} (${store.dialect})`)
          for (const r of rows) out.result(`  ${r.appliedAt ? 'applied ' : 'PENDING '} ${r.name}${r.appliedAt ? `  ${r.appliedAt}` : ''}`)
        }
      }, { migrate: false })
    })
  db.command('prune')
    .description(`expire raw sign-in events older than the retention period (daily rollups are kept; later imports skip sign-ins that old); default ${DEFAULT_SIGNIN_RETENTION_DAYS} days or $SIGHTLINE_SIGNIN_RETENTION_DAYS`)
    .option('--retention-days <n>', 'keep raw sign-in events this many days')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { retentionDays?: string; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      const days = Number(opts.retentionDays ?? process.env.SIGHTLINE_SIGNIN_RETENTION_DAYS ?? DEFAULT_SIGNIN_RETENTION_DAYS)
      if (!Number.isInteger(days) || days < 1) throw new UsageError(`--retention-days ${String(opts.retentionDays)}: expected a positive whole number`)
      const before = new Date(Date.now() - days * 86_400_000).toISOString()
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const pruned = await pruneSigninEvents(store.db, { before, actor: cliActor() })
        if (out.json) out.result({ before, ...pruned })
        else out.result(`expired ${pruned.signinEvents} raw sign-in events before ${before}; daily rollups kept; imports now skip sign-ins before ${pruned.horizon}`)
      })
    })
}

import type { Command } from 'commander'
import { migrateToLatest, migrationStatus } from '../../../data/migrate.js'
import { openStore } from '../../../data/connection.js'
import { loadConfig } from '../../config.js'
import { createOutput } from '../output.js'
import type { GlobalFlags } from '../context.js'

export function registerDb(program: Command): void {
  const db = program.command('db').description('create, upgrade and inspect the inventory database')
  db.command('migrate')
    .description('apply pending migrations (also done automatically when any command opens the database)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = loadConfig(cmd.optsWithGlobals<GlobalFlags>())
      const out = createOutput({ json: Boolean(opts.json) })
      const store = await openStore(config.databaseUrl, { migrate: false })
      try {
        const { applied } = await migrateToLatest(store.db)
        if (out.json) out.result({ database: store.displayUrl, dialect: store.dialect, applied })
        else out.result(applied.length === 0 ? `${store.displayUrl}: up to date` : `${store.displayUrl}: applied ${applied.join(', ')}`)
      } finally {
        await store.close()
      }
    })
  db.command('status')
    .description('list migrations and whether each has been applied')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = loadConfig(cmd.optsWithGlobals<GlobalFlags>())
      const out = createOutput({ json: Boolean(opts.json) })
      const store = await openStore(config.databaseUrl, { migrate: false })
      try {
        const status = await migrationStatus(store.db)
        const rows = status.map((m) => ({ name: m.name, appliedAt: m.executedAt?.toISOString() ?? null }))
        if (out.json) out.result({ database: store.displayUrl, dialect: store.dialect, migrations: rows })
        else {
          out.result(`${store.displayUrl} (${store.dialect})`)
          for (const r of rows) out.result(`  ${r.appliedAt ? 'applied ' : 'PENDING '} ${r.name}${r.appliedAt ? `  ${r.appliedAt}` : ''}`)
        }
      } finally {
        await store.close()
      }
    })
}

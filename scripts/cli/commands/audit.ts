import type { Command } from 'commander'
import { listAuditEvents, parseAuditInstant, verifyStoredAuditChain } from '../../../data/audit.js'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError } from '../errors.js'
import { renderRows } from '../format.js'

interface ListFlags {
  since?: string
  until?: string
  actor?: string
  action?: string
  limit?: string
  json?: boolean
}

function checkedInstant(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    return parseAuditInstant(field, value)
  } catch (error) {
    throw new UsageError(`--${field} ${value}: expected a date (YYYY-MM-DD) or an ISO-8601 time`, { cause: error })
  }
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit trail')

  audit
    .command('verify')
    .description('walk the whole chain from its first event and name the first broken link (exit code 1 if any)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const check = await withStore(cmd.optsWithGlobals<GlobalFlags>(), (store) => verifyStoredAuditChain(store.db))
      if (!check.ok) process.exitCode = 1
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(check)}\n`)
        return
      }
      if (check.ok) {
        process.stdout.write(`audit verify: OK: ${check.checked} events, head ${check.headHash}${check.headAt ? ` (${check.headAt})` : ''}\n`)
      } else {
        const b = check.brokenAt!
        process.stdout.write(`audit verify: BROKEN at event ${b.seq}: ${b.reason}\n`)
        process.stdout.write(`audit verify: ${check.checked} events before it hold (last good hash ${check.headHash}); ${check.events} events stored\n`)
      }
    })

  audit
    .command('list')
    .description('audit events in chain order, filtered')
    .option('--since <date>', 'events at or after this date or ISO-8601 time (UTC)')
    .option('--until <date>', 'events before this date or time')
    .option('--actor <actor>', 'only this actor (an email, cli:USER, system:PART, device:ID)')
    .option('--action <action>', 'only this action, or a prefix ending in * (campaign.*)')
    .option('--limit <n>', 'only the newest N events')
    .option('--json', 'one JSON object per line, with the hashes')
    .action(async (opts: ListFlags, cmd: Command) => {
      const since = checkedInstant('since', opts.since)
      const until = checkedInstant('until', opts.until)
      let limit: number | undefined
      if (opts.limit !== undefined) {
        limit = Number(opts.limit)
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${opts.limit}: expected a whole number ≥ 1`)
      }
      const events = await withStore(cmd.optsWithGlobals<GlobalFlags>(), (store) =>
        listAuditEvents(store.db, { since, until, actor: opts.actor, action: opts.action, limit }),
      )
      if (opts.json) {
        const lines = events.map((e) => JSON.stringify({ ...e, payload: JSON.parse(e.payload) as unknown }))
        if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
        return
      }
      const rows = events.map((e) => ({ seq: e.seq, time: e.occurred_at, actor: e.actor, action: e.action, subject: e.subject_type ? `${e.subject_type}:${e.subject_id ?? ''}` : '', payload: e.payload }))
      process.stdout.write(`${renderRows(rows, ['seq', 'time', 'actor', 'action', 'subject', 'payload'], 'table')}\n`)
    })
}

import type { Command } from 'commander'
import { CATEGORIES } from '../../../data/catalog/index.js'
import { addCustomApp, APP_SORT_KEYS, APP_STATUSES, listApps, MAX_PAGE_SIZE, mapIdentifierToApp, parseAppStatus, parseIdentifierKind, setAppStatus, type AppSortKey } from '../../../data/apps.js'
import type { IdentifierKind } from '../../../data/tables/apps.table.js'
import { loadResolver, normalizerFor } from '../../../analyzer/resolve/load-resolver.js'
import { withStore, type GlobalFlags } from '../context.js'
import { parseFormat, renderRows } from '../format.js'
import { UsageError } from '../errors.js'
import { formatMoney } from '../../../data/money.js'

const defaultActor = (): string => `cli:${process.env.USER ?? 'unknown'}`

/** `domain:figma.com` → kind and raw value; the value may itself hold colons (a URL). */
export function parseIdentifierArg(arg: string): { kind: IdentifierKind; value: string } {
  const at = arg.indexOf(':')
  if (at <= 0 || at === arg.length - 1) throw new UsageError(`--identifier ${arg}: expected KIND:VALUE, e.g. merchant:"FIGMA SAN FRANCISCO"`)
  return { kind: parseIdentifierKind(arg.slice(0, at)), value: arg.slice(at + 1) }
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} ${value}: expected a whole number`)
  return n
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

export function registerApps(program: Command): void {
  const apps = program.command('apps').description('apps in the inventory: list them, map identifiers, set status, add your own')
  apps
    .command('list')
    .description('apps with status, owner, users, spend and last use; filtered, sorted and paged')
    .option('--status <statuses>', `only these statuses, comma-separated (${APP_STATUSES.join(', ')})`)
    .option('--category <categories>', 'only these categories, comma-separated')
    .option('--function <functions>', 'only these catalog functions, comma-separated (e.g. video-meetings)')
    .option('--source <sources>', 'only apps seen by these sources, comma-separated (okta, entra, google, spend, browser-extension …)')
    .option('--search <text>', 'name, vendor or key contains this text')
    .option('--sort <key>', `sort by ${APP_SORT_KEYS.join(', ')}`, 'name')
    .option('--direction <dir>', 'asc or desc (default: asc for name, status and category; desc for the figures)')
    .option('--limit <n>', `at most this many rows (up to ${MAX_PAGE_SIZE})`, String(MAX_PAGE_SIZE))
    .option('--offset <n>', 'skip this many rows first', '0')
    .option('--format <format>', 'table, csv, json or jsonl', 'table')
    .action(async (opts: { status?: string; category?: string; function?: string; source?: string; search?: string; sort: string; direction?: string; limit: string; offset: string; format: string }, cmd: Command) => {
      const format = parseFormat(opts.format)
      const statuses = list(opts.status)?.map(parseAppStatus)
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const page = await listApps(store.db, {
          statuses, categories: list(opts.category), functions: list(opts.function), sources: list(opts.source), search: opts.search,
          sort: opts.sort as AppSortKey, ...(opts.direction ? { direction: opts.direction as 'asc' | 'desc' } : {}),
          limit: whole('--limit', opts.limit), offset: whole('--offset', opts.offset),
        })
        const rows = page.rows.map((r) => ({
          key: r.key, name: r.name, category: r.category, status: r.status, owner: r.owner, identifiers: r.identifiers, users: r.users,
          spend: format === 'table' || format === 'csv' ? r.spend.map((s) => formatMoney(s.totalMinor, s.currency)).join(' + ') : r.spend,
          last_used: r.lastUsedAt, sources: format === 'table' || format === 'csv' ? r.sources.join(' ') : r.sources,
        }))
        process.stdout.write(`${renderRows(rows, ['key', 'name', 'category', 'status', 'owner', 'identifiers', 'users', 'spend', 'last_used', 'sources'], format)}\n`)
        if (format === 'table' && page.total > page.offset + page.rows.length) process.stderr.write(`${page.total - page.offset - page.rows.length} more (use --offset)\n`)
      })
    })
  apps
    .command('map')
    .description('confirm or override what an identifier means, and re-point every stored record that came from it')
    .requiredOption('--identifier <kind:value>', 'e.g. merchant:"SQ *ACME TOOLS", domain:acme.io, oauth_client:1234.apps.googleusercontent.com')
    .requiredOption('--app <key>', 'catalog key of the app, or none for "not an app"')
    .option('--by <actor>', 'who decided (recorded in the audit trail)', defaultActor())
    .action(async (opts: { identifier: string; app: string; by: string }, cmd: Command) => {
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const { kind, value: raw } = parseIdentifierArg(opts.identifier)
        const normalize = normalizerFor(await loadResolver(store.db), kind)
        const r = await mapIdentifierToApp(store.db, { kind, raw, appKey: opts.app === 'none' ? null : opts.app, normalize, actor: opts.by })
        const m = r.moved
        const target = opts.app === 'none' ? 'not an app' : opts.app
        process.stdout.write(`${r.kind}:${r.value} → ${target} (${r.created ? 'new identifier' : 'identifier updated'})\n`)
        process.stdout.write(
          `re-pointed: ${m.spend} spend line(s), ${m.grants} grant(s), ${m.sourceApps} source app(s), ${m.telemetry} telemetry event(s), ` +
            `${m.signinEvents} sign-in event(s), ${m.signinDaily} daily sign-in row(s)\n`,
        )
      })
    })
  apps
    .command('set-status')
    .description('set an app\'s status (and owner)')
    .argument('<key>', 'catalog key or unknown-app key')
    .argument('<status>', APP_STATUSES.join(', '))
    .option('--owner <email>', 'who owns the app')
    .option('--by <actor>', 'who decided (recorded in the audit trail)', defaultActor())
    .action(async (key: string, status: string, opts: { owner?: string; by: string }, cmd: Command) => {
      parseAppStatus(status)
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const r = await setAppStatus(store.db, { app: { key }, status, actor: opts.by, ...(opts.owner !== undefined ? { owner: opts.owner } : {}) })
        process.stdout.write(`${key}: ${r.status}${r.owner ? `, owner ${r.owner}` : ''}\n`)
      })
    })
  apps
    .command('add')
    .description('add your own catalog entry (an internal tool, a niche vendor) so signals resolve to it')
    .requiredOption('--key <key>', 'kebab-case key, e.g. acme-wiki')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--category <category>', CATEGORIES.join(', '))
    .option('--vendor <vendor>', 'vendor (default: the name)')
    .option('--domain <domain>', 'a domain of the app (repeatable)', collect)
    .option('--merchant <pattern>', 'a card statement pattern, upper-case (repeatable)', collect)
    .option('--replace', 'overwrite an existing custom entry with this key')
    .option('--by <actor>', 'who added it (recorded in the audit trail)', defaultActor())
    .action(async (opts: { key: string; name: string; category: string; vendor?: string; domain?: string[]; merchant?: string[]; replace?: boolean; by: string }, cmd: Command) => {
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const outcome = await addCustomApp(store.db, {
          key: opts.key, name: opts.name, category: opts.category, domains: opts.domain ?? [], merchants: opts.merchant ?? [],
          replace: Boolean(opts.replace), actor: opts.by, ...(opts.vendor ? { vendor: opts.vendor } : {}),
        })
        process.stdout.write(`custom catalog entry ${opts.key} ${outcome}\n`)
      })
    })
}

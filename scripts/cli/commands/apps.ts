import type { Command } from 'commander'
import type { Kysely } from 'kysely'
import type { Database } from '../../../data/database.js'
import type { AppStatus, IdentifierKind } from '../../../data/tables/apps.table.js'
import { CATEGORIES, catalogEntrySchema, loadCatalog, validateCatalog } from '../../../data/catalog/index.js'
import { loadCustomEntries, saveCustomEntry } from '../../../data/custom-catalog.js'
import { ensureCatalogApp, mapIdentifier, type MapIdentifierResult } from '../../../data/identifiers.js'
import { withStore, type GlobalFlags } from '../context.js'
import { parseFormat, renderRows } from '../format.js'
import { UsageError } from '../errors.js'
import { loadResolver } from '../resolver.js'
import { findEntry } from './catalog.js'
import { parseKind } from './resolve.js'

export const APP_STATUSES: readonly AppStatus[] = ['sanctioned', 'unsanctioned', 'blocked', 'unknown']

function parseStatus(value: string): AppStatus {
  if (!APP_STATUSES.includes(value as AppStatus)) throw new UsageError(`status ${value}: expected one of ${APP_STATUSES.join(', ')}`)
  return value as AppStatus
}

const nowIso = (): string => new Date().toISOString()
const defaultActor = (): string => process.env.USER ?? 'cli'

export interface AppListRow {
  id: number
  key: string
  name: string
  category: string | null
  status: AppStatus
  owner: string | null
  identifiers: number
}

export async function listApps(db: Kysely<Database>, statuses?: readonly AppStatus[]): Promise<AppListRow[]> {
  let q = db
    .selectFrom('apps')
    .select((eb) => [
      'apps.id', 'apps.catalog_key', 'apps.candidate_key', 'apps.name', 'apps.category', 'apps.status', 'apps.owner_email',
      eb.selectFrom('identifiers').select((e) => e.fn.countAll<number>().as('n')).whereRef('identifiers.app_id', '=', 'apps.id').as('identifiers'),
    ])
    .orderBy('apps.name')
    .orderBy('apps.id')
  if (statuses && statuses.length > 0) q = q.where('apps.status', 'in', statuses)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id, key: r.catalog_key ?? r.candidate_key ?? String(r.id), name: r.name, category: r.category, status: r.status,
    owner: r.owner_email, identifiers: Number(r.identifiers ?? 0),
  }))
}

/** `domain:figma.com` → kind and raw value; the value may itself hold colons (a URL). */
export function parseIdentifierArg(arg: string): { kind: IdentifierKind; value: string } {
  const at = arg.indexOf(':')
  if (at <= 0 || at === arg.length - 1) throw new UsageError(`--identifier ${arg}: expected KIND:VALUE, e.g. merchant:"FIGMA SAN FRANCISCO"`)
  return { kind: parseKind(arg.slice(0, at)), value: arg.slice(at + 1) }
}

/** Confirms or overrides an identifier's app (`none` = not an app) and re-points what is already stored from it. */
export async function mapIdentifierToApp(
  db: Kysely<Database>,
  input: { identifier: string; app: string; by: string; at?: string },
): Promise<MapIdentifierResult & { kind: IdentifierKind; value: string }> {
  const { kind, value: raw } = parseIdentifierArg(input.identifier)
  let app = null
  if (input.app !== 'none') {
    const found = await findEntry(db, input.app)
    if (!found) throw new UsageError(`--app ${input.app}: no catalog entry has this key (add one with "apps add", or use none)`)
    app = { catalogKey: found.entry.key, name: found.entry.name, vendor: found.entry.vendor, category: found.entry.category }
  }
  const resolver = await loadResolver(db)
  const normalize = (v: string): string => resolver.resolve({ kind, value: v }).normalized
  const value = normalize(raw)
  if (value === '') throw new UsageError(`--identifier ${input.identifier}: nothing is left of the value after normalisation`)
  const result = await mapIdentifier(db, { kind, value, exampleRaw: raw, app, normalize, confirmedBy: input.by, at: input.at ?? nowIso() })
  return { ...result, kind, value }
}

/** Finds an app by catalog key or candidate key; a catalog entry not yet in the inventory gets its row. */
async function appIdForKey(db: Kysely<Database>, key: string, at: string): Promise<number> {
  const row = await db
    .selectFrom('apps')
    .select('id')
    .where((eb) => eb.or([eb('catalog_key', '=', key), eb('candidate_key', '=', key)]))
    .orderBy('catalog_key')
    .executeTakeFirst()
  if (row) return row.id
  const found = await findEntry(db, key)
  if (!found) throw new UsageError(`app ${key}: no app in the inventory or the catalog has this key`)
  return ensureCatalogApp(db, { catalogKey: found.entry.key, name: found.entry.name, vendor: found.entry.vendor, category: found.entry.category }, at)
}

export async function setAppStatus(
  db: Kysely<Database>,
  input: { key: string; status: string; owner?: string; at?: string },
): Promise<{ id: number; status: AppStatus; owner: string | null }> {
  const status = parseStatus(input.status)
  const owner = input.owner === undefined ? undefined : input.owner.trim().toLowerCase()
  if (owner !== undefined && !/^[^\s@]+@[^\s@]+$/.test(owner)) throw new UsageError(`--owner ${input.owner}: expected an email address`)
  const at = input.at ?? nowIso()
  return db.transaction().execute(async (trx) => {
    const id = await appIdForKey(trx, input.key, at)
    await trx
      .updateTable('apps')
      .set({ status, updated_at: at, ...(owner !== undefined ? { owner_email: owner } : {}) })
      .where('id', '=', id)
      .execute()
    const row = await trx.selectFrom('apps').select(['status', 'owner_email']).where('id', '=', id).executeTakeFirstOrThrow()
    return { id, status: row.status, owner: row.owner_email }
  })
}

export interface AddAppInput {
  key: string
  name: string
  category: string
  vendor?: string
  domains?: readonly string[]
  merchants?: readonly string[]
  replace?: boolean
  by?: string | null
  at?: string
}

/** Validates and stores a company catalog entry; it must not clash with the shipped catalog or other custom entries. */
export async function addCustomApp(db: Kysely<Database>, input: AddAppInput): Promise<'created' | 'replaced'> {
  if (!(CATEGORIES as readonly string[]).includes(input.category)) {
    throw new UsageError(`--category ${input.category}: expected one of ${CATEGORIES.join(', ')}`)
  }
  const parsed = catalogEntrySchema.safeParse({
    key: input.key.trim(),
    name: input.name.trim(),
    vendor: (input.vendor ?? input.name).trim(),
    category: input.category,
    domains: (input.domains ?? []).map((d) => d.trim().toLowerCase()),
    merchantPatterns: (input.merchants ?? []).map((m) => m.trim().toUpperCase()),
  })
  if (!parsed.success) {
    throw new UsageError(`apps add: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ')}`)
  }
  const entry = parsed.data
  if (loadCatalog().byKey(entry.key)) throw new UsageError(`apps add: ${entry.key} is a shipped catalog entry; pick another key`)
  const stored = await loadCustomEntries(db)
  const others = stored.filter((e) => (e as { key?: unknown }).key !== entry.key)
  if (!input.replace && others.length !== stored.length) throw new UsageError(`apps add: ${entry.key} exists; pass --replace to overwrite it`)
  const problems = validateCatalog([...loadCatalog().entries, ...others, entry]).filter((p) => p.entry.split(', ').includes(entry.key))
  if (problems.length > 0) throw new UsageError(`apps add: ${problems.map((p) => p.message).join('; ')}`)
  const at = input.at ?? nowIso()
  return db.transaction().execute((trx) => saveCustomEntry(trx, { key: entry.key, entry, by: input.by ?? null, at, replace: Boolean(input.replace) }))
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

export function registerApps(program: Command): void {
  const apps = program.command('apps').description('apps in the inventory: list them, map identifiers, set status, add your own')
  apps
    .command('list')
    .description('apps with status, owner and how many identifiers point at them')
    .option('--status <statuses>', `only these statuses, comma-separated (${APP_STATUSES.join(', ')})`)
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (opts: { status?: string; format: string }, cmd: Command) => {
      const format = parseFormat(opts.format)
      const statuses = opts.status?.split(',').map((s) => parseStatus(s.trim()))
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const rows = await listApps(store.db, statuses)
        process.stdout.write(`${renderRows(rows as unknown as Record<string, unknown>[], ['key', 'name', 'category', 'status', 'owner', 'identifiers'], format)}\n`)
      })
    })
  apps
    .command('map')
    .description('confirm or override what an identifier means, and re-point every stored record that came from it')
    .requiredOption('--identifier <kind:value>', 'e.g. merchant:"SQ *ACME TOOLS", domain:acme.io, oauth_client:1234.apps.googleusercontent.com')
    .requiredOption('--app <key>', 'catalog key of the app, or none for "not an app"')
    .option('--by <email>', 'who decided', defaultActor())
    .action(async (opts: { identifier: string; app: string; by: string }, cmd: Command) => {
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const r = await mapIdentifierToApp(store.db, opts)
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
    .action(async (key: string, status: string, opts: { owner?: string }, cmd: Command) => {
      parseStatus(status)
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const r = await setAppStatus(store.db, { key, status, ...(opts.owner !== undefined ? { owner: opts.owner } : {}) })
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
    .option('--by <email>', 'who added it', defaultActor())
    .action(async (opts: { key: string; name: string; category: string; vendor?: string; domain?: string[]; merchant?: string[]; replace?: boolean; by: string }, cmd: Command) => {
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const outcome = await addCustomApp(store.db, {
          key: opts.key, name: opts.name, category: opts.category, domains: opts.domain ?? [], merchants: opts.merchant ?? [],
          replace: Boolean(opts.replace), by: opts.by, ...(opts.vendor ? { vendor: opts.vendor } : {}),
        })
        process.stdout.write(`custom catalog entry ${opts.key} ${outcome}\n`)
      })
    })
}

// The one place a card line's app is decided, with one rule order (docs/architecture.md "Attribution"):
//   1. admin mapping        the line's identifier was confirmed by a person: its app, or none
//   2. catalog match        the resolver matched the descriptor to a catalog entry: that app, with the resolver's rule
//   3. umbrella attribution the catalog match is a vendor's billing umbrella (ATLASSIAN) and analysis found the
//                           product in use (Jira): that product
//   4. candidate app        the descriptor matched nothing but belongs to an unknown-vendor app (a recurring
//                           merchant promoted by analysis, or a vendor another source discovered): that app
// The rule is recorded on the line (`spend_transactions.rule`). Applying it twice changes nothing.
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'

export const ATTRIBUTION_RULES = ['override', 'umbrella-attribution', 'candidate-app'] as const

/** What the attribution of a line depends on: the line's identifier as stored. */
export interface IdentifierVerdict {
  confirmed: boolean
  appId: number | null
  /** The resolver's rule (`merchant-pattern`, `exact-name` …); `unknown` when it matched no catalog entry. */
  rule: string
}

export interface Attribution {
  appId: number | null
  rule: string
}

/**
 * The app and rule of every line carrying this identifier. `umbrellaTargets` maps an umbrella app id to the
 * product app its charges belong to (analysis decides it; an import knows none yet).
 */
export function decideAttribution(identifier: IdentifierVerdict, umbrellaTargets: ReadonlyMap<number, number> = new Map()): Attribution {
  if (identifier.confirmed) return { appId: identifier.appId, rule: 'override' }
  if (identifier.appId === null) return { appId: null, rule: identifier.rule }
  if (identifier.rule !== 'unknown') {
    const product = umbrellaTargets.get(identifier.appId)
    return product !== undefined ? { appId: product, rule: 'umbrella-attribution' } : { appId: identifier.appId, rule: identifier.rule }
  }
  return { appId: identifier.appId, rule: 'candidate-app' }
}

/** Identifiers per statement: three parameters each, far under SQLite's limit. */
const CHUNK = 1000

/**
 * Re-decides the app of every card line that has an identifier (or only those of `identifierIds`) and writes the
 * lines whose app or rule changed. Returns how many lines changed. Run it in the caller's transaction.
 */
export async function attributeCardLines(
  db: Kysely<Database>,
  options: { umbrellaTargets?: ReadonlyMap<number, number>; identifierIds?: readonly number[] } = {},
): Promise<number> {
  let q = db.selectFrom('identifiers').select(['id', 'app_id', 'rule', 'confirmed']).where('kind', 'in', ['merchant', 'name'])
  if (options.identifierIds) {
    if (options.identifierIds.length === 0) return 0
    q = q.where('id', 'in', [...options.identifierIds])
  }
  const identifiers = await q.execute()
  let changed = 0
  for (let i = 0; i < identifiers.length; i += CHUNK) {
    const rows = identifiers.slice(i, i + CHUNK).map((ident) => {
      const a = decideAttribution({ confirmed: ident.confirmed === 1, appId: ident.app_id, rule: ident.rule }, options.umbrellaTargets)
      return sql`(cast(${ident.id} as integer), cast(${a.appId} as integer), cast(${a.rule} as text))`
    })
    const r = await sql`
      with v(identifier_id, app_id, rule) as (values ${sql.join(rows)})
      update spend_transactions set app_id = v.app_id, rule = v.rule
      from v
      where spend_transactions.identifier_id = v.identifier_id
        and (spend_transactions.app_id is distinct from v.app_id or spend_transactions.rule is distinct from v.rule)
    `.execute(db)
    changed += Number(r.numAffectedRows ?? 0)
  }
  return changed
}

/**
 * Links card lines that have no identifier yet to one (an admin mapped a descriptor that was stored before it
 * had an identifier); their app is then decided by attributeCardLines. Returns how many lines were linked.
 */
export async function linkCardLinesToIdentifier(db: Kysely<Database>, identifierId: number, merchantRaws: readonly string[]): Promise<number> {
  let linked = 0
  for (let i = 0; i < merchantRaws.length; i += 500) {
    const r = await db
      .updateTable('spend_transactions')
      .set({ identifier_id: identifierId })
      .where('identifier_id', 'is', null)
      .where('merchant_raw', 'in', merchantRaws.slice(i, i + 500))
      .executeTakeFirst()
    linked += Number(r.numUpdatedRows)
  }
  return linked
}

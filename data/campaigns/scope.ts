import { z } from 'zod'
import { canonicalJson } from '../audit.js'
import { invalid } from './errors.js'

/** App statuses a scope can name; `shadow` is any app discovered from signals rather than the catalog or an admin. */
export const SCOPE_APP_STATUSES = ['sanctioned', 'unsanctioned', 'unknown', 'blocked', 'shadow'] as const

/**
 * Which access a campaign covers. Every list narrows (they combine with AND); an empty scope is everything.
 * The two risk conditions widen each other (risky grants OR inactive), and together narrow the rest.
 */
export const campaignScopeSchema = z
  .object({
    /** App ids, catalog keys or exact names. */
    apps: z.array(z.union([z.number().int().positive(), z.string().trim().min(1)])).min(1).optional(),
    categories: z.array(z.string().trim().min(1)).min(1).optional(),
    appStatuses: z.array(z.enum(SCOPE_APP_STATUSES)).min(1).optional(),
    /** OAuth grants whose scopes are high or critical risk. */
    riskyGrants: z.boolean().optional(),
    /** Access with no activity for more than this many days (or never). */
    inactiveDays: z.number().int().positive().max(3650).optional(),
    departments: z.array(z.string().trim().min(1)).min(1).optional(),
    /** People who left (terminated, or past their end date). */
    leaversOnly: z.boolean().optional(),
  })
  .strict()

export type CampaignScope = z.infer<typeof campaignScopeSchema>

export function parseScope(value: unknown, where = 'scope'): CampaignScope {
  const result = campaignScopeSchema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw invalid(`${where}: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

/** "The same scope" for delta campaigns: canonical JSON, lists sorted. */
export function scopeKey(scope: CampaignScope): string {
  const sorted: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(scope)) sorted[k] = Array.isArray(v) ? [...v].map(String).sort() : v
  return canonicalJson(sorted)
}

const listOf = (value: string) => value.split(',').map((s) => s.trim()).filter((s) => s !== '')

/**
 * The one-line scope syntax of the CLI and the create form: `all`, or `;`-separated terms —
 * `apps=slack,42`, `categories=crm`, `status=unsanctioned,shadow`, `risky-grants`, `inactive=90`,
 * `departments=Sales,Finance`, `leavers`.
 */
export function parseScopeText(text: string): CampaignScope {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.toLowerCase() === 'all' || trimmed.toLowerCase() === 'everything') return {}
  const scope: Record<string, unknown> = {}
  for (const term of trimmed.split(';').map((t) => t.trim()).filter((t) => t !== '')) {
    const eq = term.indexOf('=')
    const key = (eq < 0 ? term : term.slice(0, eq)).trim().toLowerCase()
    const value = eq < 0 ? '' : term.slice(eq + 1)
    const needsValue = () => {
      if (value.trim() === '') throw invalid(`scope: "${key}" needs a value (${key}=…)`)
    }
    switch (key) {
      case 'apps':
      case 'app':
        needsValue()
        scope.apps = listOf(value).map((v) => (/^\d+$/.test(v) ? Number(v) : v))
        break
      case 'categories':
      case 'category':
        needsValue()
        scope.categories = listOf(value)
        break
      case 'status':
      case 'statuses':
        needsValue()
        scope.appStatuses = listOf(value).map((v) => v.toLowerCase())
        break
      case 'risky-grants':
        scope.riskyGrants = true
        break
      case 'inactive': {
        needsValue()
        const n = Number(value.trim())
        if (!Number.isInteger(n)) throw invalid(`scope: inactive: "${value}" is not a whole number of days`)
        scope.inactiveDays = n
        break
      }
      case 'departments':
      case 'department':
        needsValue()
        scope.departments = listOf(value)
        break
      case 'leavers':
        scope.leaversOnly = true
        break
      default:
        throw invalid(`scope: unknown term "${key}" (use apps=, categories=, status=, risky-grants, inactive=, departments=, leavers or all)`)
    }
  }
  return parseScope(scope)
}

/** The scope in words, for lists, mails and evidence. */
export function describeScope(scope: CampaignScope): string {
  const parts: string[] = []
  if (scope.apps) parts.push(`apps ${scope.apps.join(', ')}`)
  if (scope.categories) parts.push(`categories ${scope.categories.join(', ')}`)
  if (scope.appStatuses) parts.push(`app status ${scope.appStatuses.join(', ')}`)
  const risk: string[] = []
  if (scope.riskyGrants) risk.push('risky grants')
  if (scope.inactiveDays) risk.push(`inactive > ${scope.inactiveDays} days`)
  if (risk.length) parts.push(risk.join(' or '))
  if (scope.departments) parts.push(`departments ${scope.departments.join(', ')}`)
  if (scope.leaversOnly) parts.push('leavers only')
  return parts.length ? parts.join('; ') : 'everything'
}

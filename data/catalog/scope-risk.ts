import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

/** How much an OAuth grant lets an app do, in words a reviewer acts on. */
export type RiskLevel = 'critical' | 'high' | 'medium' | 'low'

export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical']

export interface ScopeRisk {
  scope: string
  level: RiskLevel
  reason: string
  /** False when the scope is not in the tables: judged medium until someone looks. */
  known: boolean
}

export interface GrantRisk {
  level: RiskLevel
  /** One line per scope that decided the level, e.g. `gmail.readonly: reads every email …`. */
  reasons: string[]
}

const tableSchema = z.object({
  prefix: z.string().url(),
  scopes: z
    .array(z.object({ scope: z.string().min(1), level: z.enum(['critical', 'high', 'medium', 'low']), reason: z.string().min(10) }))
    .min(1),
})
type ScopeTable = z.infer<typeof tableSchema>

function loadTable(file: string): ScopeTable {
  const path = fileURLToPath(new URL(`./scopes/${file}`, import.meta.url))
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    throw new Error(`scope risk: read ${file}: ${(cause as Error).message}`, { cause })
  }
  const parsed = tableSchema.safeParse(raw)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    throw new Error(`scope risk: validate ${file}: ${first?.path.join('.')}: ${first?.message}`, { cause: parsed.error })
  }
  return parsed.data
}

interface Entry {
  level: RiskLevel
  reason: string
  label: string
}

function index(table: ScopeTable, foldCase: boolean): Map<string, Entry> {
  const map = new Map<string, Entry>()
  for (const s of table.scopes) {
    const key = foldCase ? s.scope.toLowerCase() : s.scope
    if (map.has(key)) throw new Error(`scope risk: duplicate scope ${s.scope}`)
    map.set(key, { level: s.level, reason: s.reason, label: s.scope.replace(/^https:\/\//, '').replace(/\/$/, '') })
  }
  return map
}

const googleTable = loadTable('google.json')
const graphTable = loadTable('microsoft-graph.json')
const GOOGLE = index(googleTable, false)
// Microsoft permission names are case-insensitive (tokens carry `Mail.Read`, consent screens sometimes `mail.read`).
const GRAPH = index(graphTable, true)

function lookup(scope: string): Entry | undefined {
  const s = scope.trim()
  if (s.startsWith(googleTable.prefix)) return GOOGLE.get(s.slice(googleTable.prefix.length))
  if (s.toLowerCase().startsWith(graphTable.prefix)) return GRAPH.get(s.slice(graphTable.prefix.length).toLowerCase())
  return GOOGLE.get(s) ?? GRAPH.get(s.toLowerCase())
}

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 }

/** The risk of one Google or Microsoft Graph scope; unknown scopes are `medium` so nobody skips them. */
export function classifyScope(scope: string): ScopeRisk {
  const entry = lookup(scope)
  if (!entry) return { scope, level: 'medium', reason: `${scope}: not in Sightline's scope tables; check what it allows`, known: false }
  return { scope, level: entry.level, reason: `${entry.label}: ${entry.reason}`, known: true }
}

/** The risk of a grant: its riskiest scope decides the level; the reasons name the scopes at that level. */
export function classifyScopes(scopes: readonly string[]): GrantRisk {
  const distinct = [...new Set(scopes.map((s) => s.trim()).filter((s) => s !== ''))]
  if (distinct.length === 0) return { level: 'low', reasons: [] }
  const risks = distinct.map(classifyScope)
  let level: RiskLevel = 'low'
  for (const r of risks) if (RANK[r.level] > RANK[level]) level = r.level
  return { level, reasons: [...new Set(risks.filter((r) => r.level === level).map((r) => r.reason))] }
}

/** Orders levels for sorting and thresholds (`riskRank('high') >= riskRank('medium')`). */
export function riskRank(level: RiskLevel): number {
  return RANK[level]
}

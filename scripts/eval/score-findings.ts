import { readFileSync } from 'node:fs'
import type { Store } from '../../data/connection.js'

/** Precision and recall of one finding kind against one ground-truth list of the demo generator. */
export interface KindScore {
  kind: string
  planted: number
  found: number
  matched: number
  precision: number
  recall: number
  missed: string[]
  unexpected: string[]
}

type Gt = Record<string, unknown>
type Ev = Record<string, any>

/** 'unknown:tallyfox' matches an unknown candidate app whose normalised key contains "tallyfox". */
function appMatches(gtKey: string, foundKey: string): boolean {
  if (gtKey === foundKey) return true
  if (gtKey.startsWith('unknown:') && foundKey.startsWith('candidate:')) {
    const slug = gtKey.slice('unknown:'.length).replace(/[^a-z0-9]/g, '')
    return foundKey.slice('candidate:'.length).replace(/[^a-z0-9]/g, '').includes(slug)
  }
  return false
}

const appOf = (e: Ev): string => e.app?.key ?? ''
const lower = (s: unknown) => String(s ?? '').toLowerCase()

/** How each finding kind is scored: the ground-truth list, and how a planted item and a finding are the same case. */
const RULES: { kind: string; list: string; key: (gt: any) => string; matches: (gt: any, e: Ev, subject: string) => boolean }[] = [
  { kind: 'shadow-app', list: 'shadowApps', key: (g) => g.key, matches: (g, e) => appMatches(g.key, appOf(e)) },
  { kind: 'duplicate-spend', list: 'duplicateSubscriptions', key: (g) => g.app, matches: (g, e) => appMatches(g.app, appOf(e)) },
  {
    kind: 'overlapping-tools', list: 'overlappingTools', key: (g) => `${g.category}:${[...g.apps].sort().join('+')}`,
    matches: (g, e) => JSON.stringify([...g.apps].sort()) === JSON.stringify((e.apps as { key: string }[]).map((a) => a.key).sort()),
  },
  { kind: 'terminated-seat', list: 'seatsOfTerminated', key: (g) => `${g.email}:${g.app}`, matches: (g, e) => lower(g.email) === lower(e.person) && appMatches(g.app, appOf(e)) },
  { kind: 'charges-after-termination', list: 'chargesAfterTermination', key: (g) => `${g.email}:${g.app}`, matches: (g, e) => lower(g.email) === lower(e.person) && appMatches(g.app, appOf(e)) },
  { kind: 'orphaned-access', list: 'terminatedWithAccess', key: (g) => g.email, matches: (g, e) => lower(g.email) === lower(e.person?.email) },
  { kind: 'contractor-past-end', list: 'contractorsPastEndDate', key: (g) => g.email, matches: (g, e) => lower(g.email) === lower(e.person?.email) },
  { kind: 'unmatched-identity', list: 'unmatchedIdentities', key: (g) => g.email, matches: (g, e) => lower(g.email) === lower(e.email) },
  { kind: 'inactive-license', list: 'inactiveLicenses', key: (g) => `${g.email}:${g.app}`, matches: (g, e) => lower(g.email) === lower(e.user) && appMatches(g.app, appOf(e)) },
  { kind: 'risky-grant', list: 'riskyGrants', key: (g) => `${g.email}:${g.clientId}`, matches: (g, e) => lower(g.email) === lower(e.user) && g.clientId === e.clientId },
  { kind: 'risky-extension', list: 'riskyExtensions', key: (g) => g.id, matches: (g, e) => g.id === e.extensionId },
  { kind: 'outlier-access', list: 'outlierAccess', key: (g) => `${g.email}:${g.app}`, matches: (g, e) => lower(g.email) === lower(e.user) && appMatches(g.app, appOf(e)) },
]

export const SCORED_KINDS = RULES.map((r) => r.kind)

/** Scores the current (open or acknowledged) findings against ground-truth.json, kind by kind. */
export async function scoreFindings(store: Store, groundTruthPath: string): Promise<{ rows: KindScore[]; minPrecision: number; minRecall: number }> {
  const gt = JSON.parse(readFileSync(groundTruthPath, 'utf8')) as Gt
  const findings = await store.db.selectFrom('findings').select(['kind', 'subject_key', 'evidence']).where('status', 'in', ['open', 'acknowledged']).execute()
  const rows: KindScore[] = []
  for (const rule of RULES) {
    const planted = (gt[rule.list] as unknown[] | undefined) ?? []
    const found = findings.filter((f) => f.kind === rule.kind).map((f) => ({ subject: f.subject_key, e: JSON.parse(f.evidence) as Ev }))
    const usedFindings = new Set<number>()
    const missed: string[] = []
    let matched = 0
    for (const g of planted) {
      const i = found.findIndex((f, idx) => !usedFindings.has(idx) && rule.matches(g, f.e, f.subject))
      if (i === -1) missed.push(rule.key(g))
      else {
        usedFindings.add(i)
        matched += 1
      }
    }
    const unexpected = found.filter((_, idx) => !usedFindings.has(idx)).map((f) => f.subject)
    rows.push({
      kind: rule.kind,
      planted: planted.length,
      found: found.length,
      matched,
      precision: found.length === 0 ? (planted.length === 0 ? 1 : 0) : Math.round((matched / found.length) * 1000) / 1000,
      recall: planted.length === 0 ? 1 : Math.round((matched / planted.length) * 1000) / 1000,
      missed,
      unexpected,
    })
  }
  return { rows, minPrecision: Math.min(...rows.map((r) => r.precision)), minRecall: Math.min(...rows.map((r) => r.recall)) }
}

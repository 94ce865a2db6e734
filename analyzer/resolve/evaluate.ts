import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Resolution, Signal, SignalKind } from './types.js'

export interface EvalCase {
  kind: SignalKind
  value: string
  /** a catalog key, or 'unknown' when the signal is not a catalogued app */
  expected: string
  note?: string
}

export interface Confusion {
  case: EvalCase
  got: string
  rule: string
}

export interface EvalReport {
  total: number
  /** cases whose expected answer is a catalog key */
  catalogued: number
  /** cases that resolved to some catalog key */
  predicted: number
  correct: number
  precision: number
  recall: number
  /** cases expected 'unknown' or a personal/consumer entry */
  hardNegatives: number
  /** hard negatives that resolved to a business (non-personal) catalog app */
  leaks: Confusion[]
  /** every case whose answer differs from the expected one */
  confusions: Confusion[]
  byKind: Record<string, { total: number; correct: number }>
}

const DEFAULT_SET = fileURLToPath(new URL('./eval/signals.jsonl', import.meta.url))
const KINDS = new Set<SignalKind>(['merchant', 'domain', 'oauth_client', 'sso_app', 'name'])

/** Reads the labelled JSONL set; a malformed line is an error, not a skipped case. */
export function loadEvalSet(path: string = DEFAULT_SET): EvalCase[] {
  const out: EvalCase[] = []
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return
      let c: EvalCase
      try {
        c = JSON.parse(line) as EvalCase
      } catch (cause) {
        throw new Error(`resolve: load eval set: line ${i + 1} is not JSON`, { cause })
      }
      if (!KINDS.has(c.kind) || typeof c.value !== 'string' || typeof c.expected !== 'string') {
        throw new Error(`resolve: load eval set: line ${i + 1} lacks kind/value/expected`)
      }
      out.push(c)
    })
  return out
}

/**
 * Scores a resolver against labelled cases. Precision counts every case that resolved to an app;
 * recall counts the cases whose expected answer is an app. `categoryOf` tells personal entries apart.
 */
export function scoreResolutions(
  cases: readonly EvalCase[],
  resolve: (s: Signal) => Resolution,
  categoryOf: (key: string) => string | undefined,
): EvalReport {
  let catalogued = 0
  let predicted = 0
  let correct = 0
  let correctOfCatalogued = 0
  let hardNegatives = 0
  const leaks: Confusion[] = []
  const confusions: Confusion[] = []
  const byKind: Record<string, { total: number; correct: number }> = {}
  for (const c of cases) {
    const r = resolve({ kind: c.kind, value: c.value })
    const got = r.app?.key ?? 'unknown'
    const k = (byKind[c.kind] ??= { total: 0, correct: 0 })
    k.total++
    const expectsApp = c.expected !== 'unknown'
    if (expectsApp) catalogued++
    if (r.app) predicted++
    if (got === c.expected) {
      k.correct++
      if (r.app) correct++
      if (expectsApp) correctOfCatalogued++
    } else {
      confusions.push({ case: c, got, rule: r.rule })
    }
    const hard = !expectsApp || categoryOf(c.expected) === 'personal'
    if (hard) {
      hardNegatives++
      if (r.app && got !== c.expected && r.app.category !== 'personal') leaks.push({ case: c, got, rule: r.rule })
    }
  }
  return {
    total: cases.length,
    catalogued,
    predicted,
    correct,
    precision: predicted === 0 ? 1 : correct / predicted,
    recall: catalogued === 0 ? 1 : correctOfCatalogued / catalogued,
    hardNegatives,
    leaks,
    confusions,
    byKind,
  }
}

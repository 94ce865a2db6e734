import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Resolution, Signal, SignalKind } from './types.js'

export interface EvalCase {
  kind: SignalKind
  value: string
  /** a catalog key; 'unknown' when the signal is no catalogued app; 'not-app' for a known non-SaaS merchant or site */
  expected: string
  /** for 'unknown' cases: the vendor key discovery should group it under (scored as discovered, not resolved) */
  candidate?: string
  /** where the string was seen (a public statement, a vendor's doc page …) */
  source?: string
  note?: string
}

export interface KindScore {
  total: number
  correct: number
  /** cases that resolved to some app */
  predicted: number
  /** predicted and right */
  truePositives: number
  /** cases whose expected answer is an app */
  catalogued: number
  precision: number
  recall: number
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
  byKind: Record<string, KindScore>
  /** by the expected app's category ('unknown' and 'not-app' cases under their own names) */
  byCategory: Record<string, KindScore>
  /** unknown cases labelled with a vendor: how many became a candidate of that vendor */
  discovery: { labelled: number; discovered: number }
}

const DEFAULT_SET = fileURLToPath(new URL('./eval/signals.jsonl', import.meta.url))
/** Later batches, one file per public source (eval/SOURCES.md says where each came from). */
const BATCH_DIR = fileURLToPath(new URL('./eval/batches/', import.meta.url))
const KINDS = new Set<SignalKind>(['merchant', 'domain', 'oauth_client', 'sso_app', 'name'])

/** The shipped set: signals.jsonl and every batch file, in name order. */
export function defaultEvalFiles(): string[] {
  const batches = readdirSync(BATCH_DIR).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(BATCH_DIR, f))
  return [DEFAULT_SET, ...batches]
}

/** Reads the labelled JSONL set (by default every shipped file); a malformed line is an error, not a skipped case. */
export function loadEvalSet(path?: string): EvalCase[] {
  if (path === undefined) return defaultEvalFiles().flatMap((f) => loadEvalFile(f))
  return loadEvalFile(path)
}

function loadEvalFile(path: string): EvalCase[] {
  const out: EvalCase[] = []
  const file = path.split('/').pop()
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return
      let c: EvalCase
      try {
        c = JSON.parse(line) as EvalCase
      } catch (cause) {
        throw new Error(`resolve: load eval set: ${file} line ${i + 1} is not JSON`, { cause })
      }
      if (!KINDS.has(c.kind) || typeof c.value !== 'string' || typeof c.expected !== 'string') {
        throw new Error(`resolve: load eval set: ${file} line ${i + 1} lacks kind/value/expected`)
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
  let hardNegatives = 0
  const leaks: Confusion[] = []
  const confusions: Confusion[] = []
  const byKind: Record<string, KindScore> = {}
  const byCategory: Record<string, KindScore> = {}
  const all = emptyScore()
  const discovery = { labelled: 0, discovered: 0 }
  for (const c of cases) {
    const r = resolve({ kind: c.kind, value: c.value })
    const got = r.app?.key ?? (r.rule === 'not-an-app' ? 'not-app' : 'unknown')
    const expectsApp = c.expected !== 'unknown' && c.expected !== 'not-app'
    const group = expectsApp ? (categoryOf(c.expected) ?? 'uncatalogued') : c.expected
    for (const score of [all, (byKind[c.kind] ??= emptyScore()), (byCategory[group] ??= emptyScore())]) {
      score.total++
      if (got === c.expected) score.correct++
      if (expectsApp) score.catalogued++
      if (r.app) score.predicted++
      if (r.app && got === c.expected) score.truePositives++
    }
    if (got !== c.expected) confusions.push({ case: c, got, rule: r.rule })
    if (c.expected === 'unknown' && c.candidate) {
      discovery.labelled++
      if (r.candidate?.key === c.candidate) discovery.discovered++
    }
    const hard = !expectsApp || categoryOf(c.expected) === 'personal'
    if (hard) {
      hardNegatives++
      if (r.app && got !== c.expected && r.app.category !== 'personal') leaks.push({ case: c, got, rule: r.rule })
    }
  }
  for (const score of [all, ...Object.values(byKind), ...Object.values(byCategory)]) finish(score)
  return {
    total: cases.length,
    catalogued: all.catalogued,
    predicted: all.predicted,
    correct: all.truePositives,
    precision: all.precision,
    recall: all.recall,
    hardNegatives,
    leaks,
    confusions,
    byKind,
    byCategory,
    discovery,
  }
}

function emptyScore(): KindScore {
  return { total: 0, correct: 0, predicted: 0, truePositives: 0, catalogued: 0, precision: 1, recall: 1 }
}

/** Precision over cases that resolved to an app; recall over cases whose answer is an app (right app only). */
function finish(score: KindScore): void {
  score.precision = score.predicted === 0 ? 1 : score.truePositives / score.predicted
  score.recall = score.catalogued === 0 ? 1 : score.truePositives / score.catalogued
}

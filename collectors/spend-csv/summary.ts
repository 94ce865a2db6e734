// A quick account of a spend file: what was read, what failed, totals per currency, date range.
import { newSpendStats, readSpendBatches } from './read-spend-file.js'
import type { SpendItem, SpendReadOptions, SpendReadStats, SpendRowError } from './types.js'

export interface SpendFileSummary extends SpendReadStats {
  firstDate?: string
  lastDate?: string
  /** Sum of amountMinor per currency (purchases minus refunds). */
  totalsByCurrency: Record<string, number>
  /** Up to `maxErrors` row errors, in file order. */
  sampleErrors: SpendRowError[]
}

export interface SpendSummaryBuilder {
  add(item: SpendItem): void
  finish(stats: SpendReadStats): SpendFileSummary
}

export function createSpendSummary(maxErrors = 20): SpendSummaryBuilder {
  let firstDate: string | undefined
  let lastDate: string | undefined
  const totals: Record<string, number> = {}
  const sampleErrors: SpendRowError[] = []
  return {
    add(item) {
      if ('error' in item) {
        if (sampleErrors.length < maxErrors) sampleErrors.push(item)
        return
      }
      if (firstDate === undefined || item.postedOn < firstDate) firstDate = item.postedOn
      if (lastDate === undefined || item.postedOn > lastDate) lastDate = item.postedOn
      totals[item.currency] = (totals[item.currency] ?? 0) + item.amountMinor
    },
    finish: (stats) => ({ ...stats, firstDate, lastDate, totalsByCurrency: totals, sampleErrors }),
  }
}

/** Reads the whole file and summarises it (a dry run of an import). */
export async function summarizeSpendFile(path: string, opts: SpendReadOptions = {}, maxErrors = 20): Promise<SpendFileSummary> {
  const stats = newSpendStats()
  const summary = createSpendSummary(maxErrors)
  for await (const batch of readSpendBatches(path, { ...opts, stats })) for (const item of batch) summary.add(item)
  return summary.finish(stats)
}

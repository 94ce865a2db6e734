import { describeAnnual, paidApps, periodsOfApp, ratesByCurrency } from './paid-apps.js'
import type { FindingCandidate, FindingModule } from './types.js'

/** The same app paid by several cards, cardholders or departments: consolidation candidates. */
export const duplicateSpend: FindingModule = {
  kind: 'duplicate-spend',
  description: 'The same app paid through several cards, cardholders or departments (consolidation candidates).',
  async detect(db, config) {
    const { apps, coverage } = await paidApps(db, config)
    const out: FindingCandidate[] = []
    for (const app of apps) {
      const payers = [...new Set(app.payers.map((p) => p.payer))]
      if (payers.length < 2) continue
      const byCurrency = ratesByCurrency(app, coverage)
      const departments = [...new Set(app.payers.map((p) => p.department).filter((d): d is string => d !== null))].sort()
      const usdLike = Math.max(...Object.values(byCurrency).map((r) => r.annualMinor))
      out.push({
        kind: 'duplicate-spend',
        subjectKey: `app:${app.key}`,
        subjectType: 'app',
        subjectId: app.appId,
        severity: usdLike >= 500_000 ? 'medium' : 'low',
        score: usdLike / 100,
        title: `${app.name} is paid by ${payers.length} separate payers (${describeAnnual(app, coverage)} a year)`,
        evidence: { app: { key: app.key, name: app.name, status: app.status }, windowDays: config.spendWindowDays, coverage: periodsOfApp(app, coverage), totals: app.totals, byCurrency, payers: app.payers, departments },
        recommendation: `Consolidate ${app.name} into one company plan owned by one team; cancel the ${payers.length - 1} other subscription(s).`,
      })
    }
    return out
  },
}

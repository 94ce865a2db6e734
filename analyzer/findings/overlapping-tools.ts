import { loadCatalog } from '../../data/catalog/index.js'
import { periodsOf } from '../../data/run-rate.js'
import { paidApps, ratesByCurrency, type PaidApp } from './paid-apps.js'
import type { FindingCandidate, FindingModule } from './types.js'

/** Several paid apps of one category at once (e.g. three video-meeting tools). */
export const overlappingTools: FindingModule = {
  kind: 'overlapping-tools',
  description: 'Two or more apps of the same category paid in the same period.',
  async detect(db, config) {
    const { apps, coverage } = await paidApps(db, config)
    // Substitutes share a catalog `function` (video-meetings, password-manager …); the coarse category is a fallback.
    const catalog = loadCatalog()
    const byCategory = new Map<string, PaidApp[]>()
    for (const app of apps) {
      if (app.key.startsWith('candidate:')) continue
      const entry = catalog.byKey(app.key)
      const group = entry?.function ?? app.category
      if (!group || config.overlapExemptCategories.includes(group)) continue
      byCategory.set(group, [...(byCategory.get(group) ?? []), app])
    }
    const out: FindingCandidate[] = []
    for (const [category, all] of [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      // A product and its umbrella billing entity (Jira and Atlassian) are one purchase, not two tools.
      const keys = new Set(all.map((a) => a.key))
      const list = all.filter((a) => !all.some((b) => b !== a && catalog.byKey(b.key)?.parent === a.key && keys.has(a.key)))
      if (list.length < 2) continue
      const items = list.map((a) => ({ key: a.key, name: a.name, status: a.status, byCurrency: ratesByCurrency(a, coverage) }))
      const annualByCurrency: Record<string, number> = {}
      for (const i of items) for (const [c, r] of Object.entries(i.byCurrency)) annualByCurrency[c] = (annualByCurrency[c] ?? 0) + r.annualMinor
      out.push({
        kind: 'overlapping-tools',
        subjectKey: `category:${category}`,
        subjectType: 'spend',
        subjectId: null,
        severity: list.length >= 3 ? 'medium' : 'low',
        score: list.length * 10,
        title: `${list.length} paid ${category} tools: ${items.map((i) => i.name).join(', ')}`,
        evidence: { category, apps: items, annualByCurrency, windowDays: config.spendWindowDays, coverage: periodsOf(list.flatMap((a) => Object.values(a.shares).flat()), coverage) },
        recommendation: `Pick one ${category} tool (prefer the sanctioned one: ${items.filter((i) => i.status === 'sanctioned').map((i) => i.name).join(', ') || 'none is sanctioned yet'}) and retire the others.`,
      })
    }
    return out
  },
}

import { loadCatalog } from '../../data/catalog/index.js'
import type { Severity } from '../../data/tables/findings.table.js'
import { daysBefore } from '../config.js'
import { formatMoney } from '../../data/money.js'
import { appUsage, riskRank } from './app-usage.js'
import type { FindingModule } from './types.js'

/** Apps seen in any signal that IT has not sanctioned, ranked by users, spend and data-access risk. */
export const shadowApps: FindingModule = {
  kind: 'shadow-app',
  description: 'Apps people use or pay for that are not sanctioned (not integrated with the IdP or approved by an admin).',
  async detect(db, config) {
    const usage = await appUsage(db, daysBefore(config.asOf, 365))
    const apps = await db
      .selectFrom('apps')
      .select(['id', 'name', 'catalog_key', 'candidate_key', 'status', 'category'])
      .where('status', 'in', ['unknown', 'unsanctioned', 'blocked'])
      .execute()
    // An umbrella billing entity (Atlassian) is covered when one of its products (Jira) is sanctioned.
    const catalog = loadCatalog()
    const sanctioned = await db.selectFrom('apps').select('catalog_key').where('status', '=', 'sanctioned').where('catalog_key', 'is not', null).execute()
    const covered = new Set(sanctioned.map((a) => catalog.byKey(a.catalog_key!)?.parent).filter((p): p is string => Boolean(p)))
    const candidates = []
    for (const app of apps) {
      if (app.category && config.personalCategories.includes(app.category)) continue
      if (app.catalog_key && covered.has(app.catalog_key)) continue
      const u = usage.get(app.id)
      if (!u || (u.users === 0 && u.spendMinor <= 0)) continue
      const key = app.catalog_key ?? `candidate:${app.candidate_key}`
      const risk = riskRank(u.maxGrantRisk)
      const severity: Severity =
        app.status === 'blocked' ? 'critical' : risk >= 3 ? 'high' : u.users >= 10 || u.spendMinor >= 100_000 ? 'medium' : 'low'
      const annual = u.spendMinor > 0 ? formatMoney(u.spendMinor, u.spendCurrency) : null
      candidates.push({
        kind: 'shadow-app' as const,
        subjectKey: `app:${key}`,
        subjectType: 'app' as const,
        subjectId: app.id,
        severity,
        score: u.users + u.spendMinor / 10_000 + risk * 10 + (app.status === 'blocked' ? 100 : 0),
        title: `${app.status === 'blocked' ? 'Blocked' : 'Unsanctioned'} app in use: ${app.name}`,
        evidence: {
          app: { key, name: app.name, status: app.status, category: app.category, catalogued: app.catalog_key !== null },
          users: u.users,
          spendLast12Months: u.spendMinor > 0 ? { amountMinor: u.spendMinor, currency: u.spendCurrency } : null,
          activeGrants: u.activeGrants,
          maxGrantRisk: u.maxGrantRisk,
          firstSeen: u.firstSeen,
          seenBy: u.sources,
        },
        recommendation:
          app.status === 'blocked'
            ? `${app.name} is blocked: revoke its grants and accounts and tell the ${u.users} people using it why.`
            : `Decide on ${app.name}: sanction it (put it behind SSO and assign an owner), replace it with an approved tool, or block it. ` +
              `${u.users} ${u.users === 1 ? 'person uses' : 'people use'} it${annual ? `, ${annual} paid in the last 12 months` : ''}` +
              `${u.maxGrantRisk && risk >= 3 ? `, and it holds ${u.maxGrantRisk}-risk OAuth access` : ''}.`,
      })
    }
    return candidates.sort((a, b) => b.score - a.score || a.subjectKey.localeCompare(b.subjectKey))
  },
}

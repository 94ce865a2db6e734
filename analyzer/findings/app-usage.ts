import { sql, type Kysely } from 'kysely'
import type { Database } from '../../data/database.js'

export interface AppUsage {
  appId: number
  users: number
  sources: string[]
  firstSeen: string | null
  spendMinor: number
  spendCurrency: string | null
  maxGrantRisk: string | null
  activeGrants: number
}

const RISK_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 }
export function riskRank(level: string | null | undefined): number {
  return level ? RISK_RANK[level] ?? 0 : 0
}

/**
 * Per app, set-based: distinct people seen using it across grants, sign-ins, telemetry and accounts,
 * which kinds of source saw it, when first, and card spend since `spendSince`.
 */
export async function appUsage(db: Kysely<Database>, spendSince: string): Promise<Map<number, AppUsage>> {
  // Each source is first reduced to one row per app × source × person (the daily rollup has one per day),
  // then read once for both the per-source first sighting and the distinct people per app.
  const signals = await sql<{ app_id: number; source: string; first_seen: string; users: number }>`
    with seen as materialized (
      select app_id, 'oauth:' || source as source, coalesce(cast(person_id as text), user_email, identity_external_id) as person_key, min(first_seen_at) as first_seen
        from grants where app_id is not null and revoked_at is null group by 1, 2, 3
      union all
      select app_id, 'signin:' || source, coalesce(cast(person_id as text), user_key), min(first_at)
        from signin_daily where app_id is not null group by 1, 2, 3
      union all
      select app_id, 'telemetry', coalesce(cast(person_id as text), user_email, device_id), min(occurred_at)
        from telemetry_events where app_id is not null group by 1, 2, 3
      union all
      select app_id, 'account:' || source, coalesce(cast(person_id as text), email, external_id), min(first_seen_at)
        from accounts where gone_at is null group by 1, 2, 3
    ),
    per_source as (select app_id, source, min(first_seen) as first_seen from seen group by app_id, source),
    per_app as (select app_id, count(distinct person_key) as users from seen group by app_id)
    select per_source.app_id, per_source.source, per_source.first_seen, per_app.users
    from per_source join per_app on per_app.app_id = per_source.app_id
  `.execute(db)
  const spend = await sql<{ app_id: number; currency: string; total: number; first_seen: string }>`
    select app_id, currency, sum(amount_minor) as total, min(posted_on) as first_seen
    from spend_transactions where app_id is not null and posted_on >= ${spendSince.slice(0, 10)}
    group by app_id, currency
  `.execute(db)
  const spendFirst = await sql<{ app_id: number; first_seen: string }>`
    select app_id, min(posted_on) as first_seen from spend_transactions where app_id is not null group by app_id
  `.execute(db)
  const grants = await sql<{ app_id: number; risk: string | null; n: number }>`
    select app_id, risk, count(*) as n from grants where app_id is not null and revoked_at is null group by app_id, risk
  `.execute(db)

  const out = new Map<number, AppUsage>()
  const get = (appId: number): AppUsage => {
    let u = out.get(appId)
    if (!u) {
      u = { appId, users: 0, sources: [], firstSeen: null, spendMinor: 0, spendCurrency: null, maxGrantRisk: null, activeGrants: 0 }
      out.set(appId, u)
    }
    return u
  }
  const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b)
  for (const r of signals.rows) {
    const u = get(Number(r.app_id))
    u.sources.push(r.source)
    u.firstSeen = earlier(u.firstSeen, r.first_seen)
    u.users = Number(r.users)
  }
  for (const r of spend.rows) {
    const u = get(Number(r.app_id))
    // Report the dominant currency; mixed-currency apps keep the larger total (no FX rates here).
    if (Number(r.total) > u.spendMinor) {
      u.spendMinor = Number(r.total)
      u.spendCurrency = r.currency
    }
  }
  for (const r of spendFirst.rows) {
    const u = get(Number(r.app_id))
    u.sources.push('spend')
    u.firstSeen = earlier(u.firstSeen, `${r.first_seen}T00:00:00.000Z`)
  }
  for (const r of grants.rows) {
    const u = get(Number(r.app_id))
    u.activeGrants += Number(r.n)
    if (riskRank(r.risk) > riskRank(u.maxGrantRisk)) u.maxGrantRisk = r.risk
  }
  for (const u of out.values()) u.sources = [...new Set(u.sources)].sort()
  return out
}

/** The company's email domains: configured, else the domains of people on the HR roster (or all people). */
export async function companyDomains(db: Kysely<Database>, configured: readonly string[]): Promise<string[]> {
  if (configured.length > 0) return [...configured].map((d) => d.toLowerCase())
  const rows = await db.selectFrom('people').select(['email', 'sources']).execute()
  const counts = new Map<string, number>()
  const hr = rows.filter((r) => r.sources.includes('"hr"'))
  for (const r of hr.length > 0 ? hr : rows) {
    const domain = r.email.slice(r.email.lastIndexOf('@') + 1)
    counts.set(domain, (counts.get(domain) ?? 0) + 1)
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  // A domain holding at least 5 % of the people is the company's; a few personal addresses are not.
  return [...counts.entries()].filter(([, n]) => n >= Math.max(1, total * 0.05)).map(([d]) => d).sort()
}

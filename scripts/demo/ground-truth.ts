// ground-truth.json: exactly what was planted, by the definitions in data/demo/GROUND_TRUTH.md, so the
// analyzer's findings can be scored. Derived from the plan and from what the writers actually emitted.
import { APPS, HIGH_RISK_SCOPES, appByKey, isSanctionedBySso } from './apps.js'
import { grantSurvives, type AccessPlan, type Account } from './access-plan.js'
import type { ActivityResult, AfterEndSignIn } from './activity.js'
import { DOMAIN, entraUpn, type Company, type Person } from './company.js'
import { entraEnabled, googleSuspended, oktaStatus } from './directories.js'
import { HAND_TYPED, type SpendResult } from './spend.js'
import type { Tenant } from './tenant.js'
import { iso, isoDay } from './time.js'

export type Trace =
  | { kind: 'directory-account'; source: 'okta' | 'google' | 'entra'; status: string }
  | { kind: 'app-account'; source: 'okta' | 'entra'; app: string }
  | { kind: 'oauth-grant'; source: 'google' | 'entra'; app: string; clientId: string }
  | ({ kind: 'sign-in-after-termination' } & AfterEndSignIn)

export interface GroundTruthInput {
  readonly seed: number
  readonly people: number
  readonly days: number
  readonly endDate: string
  readonly company: Company
  readonly plan: AccessPlan
  readonly tenant: Tenant
  readonly activity: ActivityResult
  readonly spend: SpendResult
}

const HIGH_RISK = new Set(HIGH_RISK_SCOPES)

export function buildGroundTruth(input: GroundTruthInput): Record<string, unknown> {
  const { company: c, plan, tenant, activity, spend } = input
  const person = (i: number): Person => c.people[i] as Person
  const clientIdOf = (source: 'google' | 'entra', app: string): string =>
    (source === 'google' ? tenant.googleClientId.get(app) : tenant.entraAppId.get(app)) ?? ''

  const sanctioned = APPS.filter(isSanctionedBySso).map((a) => ({
    key: a.key,
    name: a.name,
    via: a.sso?.idp,
    ssoLabel: a.sso?.idp === 'okta' ? a.sso.label : a.sso?.idp === 'entra' ? a.sso.displayName : null,
    oktaAppId: tenant.oktaAppId.get(a.key) ?? null,
    entraServicePrincipalId: a.sso?.idp === 'entra' ? tenant.entraSpId.get(a.key) ?? null : null,
  }))

  // Where each app showed up in the raw files.
  const seen = new Map<string, Set<string>>()
  const note = (app: string, source: string): void => {
    let s = seen.get(app)
    if (!s) seen.set(app, (s = new Set()))
    s.add(source)
  }
  for (const [app, sources] of activity.evidence) for (const s of sources) note(app, s)
  for (const l of spend.lines) if (l.app && l.amountMinor > 0) note(l.app, 'spend')
  for (const g of plan.grants) {
    if (grantSurvives(c, g)) note(g.app, g.source === 'google' ? 'google-token' : 'entra-grant')
    if (g.source === 'google' && g.createdMs >= c.windowStartMs) note(g.app, 'google-token-activity')
  }
  const shadow = APPS.filter((a) => !a.personal && !isSanctionedBySso(a) && seen.has(a.key)).map((a) => ({
    key: a.key,
    name: a.name,
    catalogued: a.catalogued,
    category: a.category,
    seenIn: [...(seen.get(a.key) as Set<string>)].sort(),
    identifiers: {
      domains: a.domains,
      merchantDescriptors: a.merchants,
      /** Expensify lines carry a hand-typed merchant instead of a card descriptor. */
      expenseMerchantNames: [a.name, ...(HAND_TYPED[a.key] ?? [])],
      googleClientId: tenant.googleClientId.get(a.key) ?? null,
      googleDisplayText: a.googleOAuth?.displayText ?? null,
      entraAppId: a.entraOAuth ? tenant.entraAppId.get(a.key) ?? null : null,
      entraDisplayName: a.entraOAuth?.displayName ?? null,
      ssoLabel: a.sso?.idp === 'okta' ? a.sso.label : a.sso?.idp === 'google-saml' ? a.sso.applicationName : null,
    },
  }))
  const personal = APPS.filter((a) => a.personal && seen.has(a.key)).map((a) => ({ key: a.key, seenIn: [...(seen.get(a.key) as Set<string>)].sort() }))

  const liveAccounts = (p: Person): Account[] => (plan.accountsByPerson[p.idx] ?? []).filter((a) => a.removedMs === null)
  const tracesOf = (p: Person): Trace[] => {
    const traces: Trace[] = []
    if (oktaStatus(p) === 'ACTIVE') traces.push({ kind: 'directory-account', source: 'okta', status: 'ACTIVE' })
    if (!googleSuspended(p)) traces.push({ kind: 'directory-account', source: 'google', status: 'suspended=false' })
    if (entraEnabled(p)) traces.push({ kind: 'directory-account', source: 'entra', status: 'accountEnabled=true' })
    for (const a of liveAccounts(p)) traces.push({ kind: 'app-account', source: a.via, app: a.app })
    for (const g of plan.grants) if (g.person === p.idx && grantSurvives(c, g)) traces.push({ kind: 'oauth-grant', source: g.source, app: g.app, clientId: clientIdOf(g.source, g.app) })
    for (const s of activity.afterEnd.get(p.idx) ?? []) traces.push({ kind: 'sign-in-after-termination', ...s })
    return traces
  }

  const hr = c.people.slice(0, c.hrCount)
  const leavers = hr.filter((p) => p.hrStatus === 'Inactive')
  const terminatedWithAccess = leavers.filter((p) => p.offboarding !== 'clean').map((p) => ({
    email: p.email, terminationDate: isoDay(p.endMs as number), offboarding: p.offboarding, traces: tracesOf(p),
  }))
  const contractorsPastEnd = hr.filter((p) => p.employment === 'Contractor' && p.hrStatus === 'Active' && p.endMs !== null && p.endMs < c.endMs).map((p) => ({
    email: p.email, endDate: isoDay(p.endMs as number), traces: tracesOf(p),
  }))
  const unmatched = c.people.slice(c.hrCount).map((p) => ({
    email: p.email, sources: (['okta', 'google', 'entra'] as const).filter((s) => p.sources[s]),
  }))
  const caseVariants = hr.filter((p) => entraUpn(p) !== p.email).map((p) => ({ email: p.email, entraUserPrincipalName: entraUpn(p), note: 'differs only in letter case; same person' }))

  // Duplicate subscriptions: the same app paid by two or more cardholders (company SaaS only, refunds excluded).
  const payers = new Map<string, Map<string, { file: string; cardholder: string; department: string; charges: number; totalMinor: number; currency: string }>>()
  for (const l of spend.lines) {
    if (!l.app || l.kind !== 'saas' || l.amountMinor <= 0) continue
    const byPayer = payers.get(l.app) ?? new Map()
    const key = `${l.cardholder}|${l.file}`
    const row = byPayer.get(key) ?? { file: l.file, cardholder: l.cardholder, department: l.department, charges: 0, totalMinor: 0, currency: l.currency }
    row.charges++
    row.totalMinor += l.amountMinor
    byPayer.set(key, row)
    payers.set(l.app, byPayer)
  }
  const duplicates = [...payers].filter(([, m]) => new Set([...m.values()].map((r) => r.cardholder)).size >= 2)
    .map(([app, m]) => ({ app, payers: [...m.values()].sort((a, b) => a.cardholder.localeCompare(b.cardholder)) }))
    .sort((a, b) => a.app.localeCompare(b.app))

  // Overlapping tools: two or more catalogued, non-personal apps of one category with company spend.
  const paid = [...payers.keys()].filter((k) => appByKey(k).catalogued)
  const byCategory = new Map<string, string[]>()
  for (const k of paid) {
    const cat = appByKey(k).category
    byCategory.set(cat, [...(byCategory.get(cat) ?? []), k])
  }
  const overlapping = [...byCategory].filter(([, apps]) => apps.length >= 2).map(([category, apps]) => ({ category, apps: apps.sort() })).sort((a, b) => a.category.localeCompare(b.category))

  const seatsOfTerminated = leavers.flatMap((p) => {
    const seats = liveAccounts(p).filter((a) => appByKey(a.app).seatPriceMinor > 0).map((a) => ({
      email: p.email, terminationDate: isoDay(p.endMs as number), app: a.app, via: a.via as string, monthlySeatMinor: appByKey(a.app).seatPriceMinor, currency: 'USD',
    }))
    // A still-enabled directory account in a per-seat suite the company pays for is a seat too (issue 15, case 6).
    const directories: [string, boolean, string][] = [['google-workspace', !googleSuspended(p), 'google'], ['microsoft-365', entraEnabled(p), 'entra']]
    for (const [app, enabled, via] of directories) {
      if (!enabled || appByKey(app).seatPriceMinor <= 0 || seats.some((s) => s.app === app)) continue
      seats.push({ email: p.email, terminationDate: isoDay(p.endMs as number), app, via: `${via}-directory`, monthlySeatMinor: appByKey(app).seatPriceMinor, currency: 'USD' })
    }
    return seats
  })

  const inactive = plan.accounts.filter((a) => a.inactiveLastMs !== null).map((a) => ({
    email: person(a.person).email, app: a.app, via: a.via, accountCreated: iso(a.createdMs), lastActivityAt: iso(a.inactiveLastMs as number),
  }))
  const risky = plan.grants.filter((g) => g.risky && grantSurvives(c, g)).map((g) => ({
    email: person(g.person).email, app: g.app, source: g.source, clientId: clientIdOf(g.source, g.app),
    highRiskScopes: g.scopes.filter((s) => HIGH_RISK.has(s)), scopes: [...g.scopes],
  }))
  const outliers = plan.outliers.map((o) => ({
    email: person(o.person).email, department: person(o.person).department, title: person(o.person).title, app: o.app, peerGroupSize: o.peerGroupSize,
  }))

  return {
    version: 1,
    company: 'Northwind Labs',
    domain: DOMAIN,
    seed: input.seed,
    people: input.people,
    days: input.days,
    endDate: input.endDate,
    windowStart: isoDay(c.windowStartMs),
    definitions: 'data/demo/GROUND_TRUTH.md',
    sanctionedApps: sanctioned,
    shadowApps: shadow,
    personalServices: personal,
    terminatedWithAccess,
    cleanlyOffboarded: leavers.filter((p) => p.offboarding === 'clean').map((p) => p.email),
    contractorsPastEndDate: contractorsPastEnd,
    unmatchedIdentities: unmatched,
    caseVariantIdentities: caseVariants,
    duplicateSubscriptions: duplicates,
    overlappingTools: overlapping,
    seatsOfTerminated,
    chargesAfterTermination: spend.chargesAfterTermination,
    inactiveLicenses: inactive,
    riskyGrants: risky,
    outlierAccess: outliers,
    signInEvents: activity.signInEvents,
    spendLines: spend.lines.map((l) => [l.file, l.row, l.app, l.kind]),
  }
}

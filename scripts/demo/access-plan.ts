// Who has what: IdP app assignments (department bundles), shadow-app adoption, OAuth grants, and the planted
// cases (inactive licenses, outlier access, risky grants). Everything the raw files show is decided here first.
import { appByKey, type AppProfile } from './apps.js'
import { isManagerTitle, type Company, type Person } from './company.js'
import type { Rng } from './prng.js'
import { DAY_MS } from './time.js'

const EVERYONE = ['google-workspace', 'microsoft-365', 'slack', 'zoom', '1password', 'bamboohr', 'lattice', 'notion', 'microsoft-teams']
export const DEPARTMENT_BUNDLES: Readonly<Record<string, readonly string[]>> = {
  Executive: ['salesforce', 'docusign', 'netsuite'],
  Engineering: ['github', 'jira', 'confluence', 'datadog', 'sentry', 'pagerduty', 'postman', 'miro'],
  Product: ['jira', 'confluence', 'figma', 'miro', 'lucid'],
  Design: ['figma', 'miro', 'lucid', 'adobe-creative-cloud'],
  Sales: ['salesforce', 'gong', 'zoominfo', 'linkedin-sales-navigator', 'docusign'],
  Marketing: ['hubspot', 'adobe-creative-cloud', 'miro', 'figma'],
  'Customer Success': ['zendesk', 'salesforce', 'gong'],
  Finance: ['netsuite', 'expensify', 'docusign', 'smartsheet'],
  People: ['greenhouse', 'docusign'],
  IT: ['jira', 'confluence', 'datadog', 'github'],
  Legal: ['docusign'],
  Operations: ['smartsheet', 'jira', 'confluence'],
}
const MANAGER_EXTRAS = ['greenhouse', 'expensify']

/** Apps whose activity is unambiguous per domain/client, so an inactive seat can be planted on them. */
const INACTIVE_CANDIDATES = new Set(['figma', 'miro', 'lucid', 'salesforce', 'gong', 'zoominfo', 'zendesk', 'hubspot', 'docusign', 'datadog', 'sentry', 'pagerduty', 'postman', 'github', 'greenhouse', 'lattice', 'expensify', 'adobe-creative-cloud', 'netsuite', 'smartsheet', 'bamboohr'])
const OUTLIER_APPS = ['github', 'salesforce', 'datadog', 'zendesk', 'netsuite', 'gong', 'zoominfo', 'hubspot', 'pagerduty', 'adobe-creative-cloud']

/** Expected uses per working day for an assigned account (scaled by the volume factor in activity.ts). */
export const APP_INTENSITY: Readonly<Record<string, number>> = {
  'google-workspace': 1.6, 'microsoft-365': 0.5, slack: 2.2, zoom: 1.2, '1password': 0.8, bamboohr: 0.1, lattice: 0.15, notion: 0.9,
  'microsoft-teams': 1, github: 1.6, jira: 1.6, confluence: 0.9, datadog: 0.8, sentry: 0.5, pagerduty: 0.3, postman: 0.4, miro: 0.4,
  figma: 1.2, lucid: 0.3, 'adobe-creative-cloud': 0.6, salesforce: 1.8, gong: 0.7, zoominfo: 0.5, 'linkedin-sales-navigator': 0.6,
  docusign: 0.25, hubspot: 1.3, zendesk: 1.9, netsuite: 1.2, expensify: 0.2, smartsheet: 0.6, greenhouse: 0.4,
}

/** Unsanctioned apps people adopt on their own: share of a department (or everyone) that uses it. */
const ADOPTION: Readonly<Record<string, { readonly rate: number; readonly depts?: readonly string[] }>> = {
  webex: { rate: 0.06, depts: ['Sales'] }, gotomeeting: { rate: 0.03, depts: ['Customer Success'] }, loom: { rate: 0.04 },
  calendly: { rate: 0.12, depts: ['Sales', 'Customer Success', 'People'] }, canva: { rate: 0.35, depts: ['Marketing'] },
  hootsuite: { rate: 0.25, depts: ['Marketing'] }, asana: { rate: 0.2, depts: ['Marketing', 'Operations'] },
  monday: { rate: 0.15, depts: ['Operations'] }, clickup: { rate: 0.01 }, trello: { rate: 0.02 }, airtable: { rate: 0.02 },
  dropbox: { rate: 0.03 }, wetransfer: { rate: 0.03 }, 'otter-ai': { rate: 0.03 }, fireflies: { rate: 0.08, depts: ['Sales'] },
  grammarly: { rate: 0.04 }, chatgpt: { rate: 0.1 }, claude: { rate: 0.05 }, perplexity: { rate: 0.03 },
  cursor: { rate: 0.12, depts: ['Engineering'] }, midjourney: { rate: 0.1, depts: ['Marketing', 'Design'] },
  deepl: { rate: 0.02 }, typeform: { rate: 0.1, depts: ['Marketing'] }, surveymonkey: { rate: 0.01 },
  mailchimp: { rate: 0.2, depts: ['Marketing'] }, semrush: { rate: 0.2, depts: ['Marketing'] }, jasper: { rate: 0.1, depts: ['Marketing'] },
  vercel: { rate: 0.04, depts: ['Engineering'] }, aws: { rate: 0.08, depts: ['Engineering'] }, lastpass: { rate: 0.01 },
  'unknown:tallyfox': { rate: 0.05, depts: ['People', 'Marketing'] }, 'unknown:quillmate': { rate: 0.02 },
  'unknown:brightsheet': { rate: 0.06, depts: ['Finance', 'Operations'] }, 'unknown:pipewise': { rate: 0.05, depts: ['Sales'] },
  'unknown:inboxpilot': { rate: 0.04, depts: ['Sales', 'Customer Success'] }, 'unknown:driftnote': { rate: 0.02 },
  'unknown:synclayer': { rate: 0.02, depts: ['Engineering', 'IT'] }, 'unknown:clipcade': { rate: 0.02 },
  'unknown:formberry': { rate: 0.04, depts: ['People', 'Marketing'] }, 'unknown:cadencely': { rate: 0.04, depts: ['Sales'] },
}

/** Sanctioned apps that also get a Google OAuth token from some of their users (share of holders). */
const SANCTIONED_TOKEN_SHARE: Readonly<Record<string, number>> = { slack: 0.5, zoom: 0.6, notion: 0.3, miro: 0.4, figma: 0.3, lucid: 0.4, hubspot: 0.5 }

/** The planted risky grants: unsanctioned app, source, and the high-risk scopes it receives. */
const RISKY_PLANTS: readonly { readonly app: string; readonly source: 'google' | 'entra'; readonly scopes: readonly string[] }[] = [
  { app: 'unknown:inboxpilot', source: 'google', scopes: ['https://mail.google.com/'] },
  { app: 'unknown:brightsheet', source: 'google', scopes: ['https://www.googleapis.com/auth/drive'] },
  { app: 'unknown:pipewise', source: 'google', scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send'] },
  { app: 'otter-ai', source: 'google', scopes: ['https://www.googleapis.com/auth/drive.readonly'] },
  { app: 'unknown:driftnote', source: 'entra', scopes: ['Mail.ReadWrite', 'Files.ReadWrite.All'] },
  { app: 'unknown:synclayer', source: 'entra', scopes: ['Directory.ReadWrite.All'] },
  { app: 'fireflies', source: 'entra', scopes: ['Mail.Read'] },
]

export interface Account {
  readonly id: number
  readonly person: number
  readonly app: string
  readonly via: 'okta' | 'entra'
  readonly createdMs: number
  readonly scope: 'GROUP' | 'USER'
  /** When the assignment was removed (clean offboarding); null while it exists at export time. */
  removedMs: number | null
  /** Planted inactive seat: the last sign-in, ≥ 60 days before the end date. */
  inactiveLastMs: number | null
  /** A day (ms) on which at least one use is forced, so ordinary seats never look inactive by chance. */
  anchorDayMs: number | null
}

export interface Grant {
  readonly person: number
  readonly app: string
  readonly source: 'google' | 'entra'
  readonly scopes: readonly string[]
  readonly createdMs: number
  /** Revoked inside the window (a revoke event is logged and the grant is absent from the export). */
  readonly revokedMs: number | null
  readonly risky: boolean
}

export interface Adoption {
  readonly person: number
  readonly app: string
  readonly sinceMs: number
}

export interface AccessPlan {
  readonly accounts: Account[]
  readonly accountsByPerson: Account[][]
  readonly grants: Grant[]
  readonly adoptions: Adoption[]
  readonly adoptionsByPerson: Adoption[][]
  readonly outliers: { person: number; app: string; peerGroupSize: number }[]
}

export function bundleFor(p: Person): string[] {
  const set = new Set<string>([...EVERYONE, ...(DEPARTMENT_BUNDLES[p.department] ?? [])])
  if (isManagerTitle(p.title)) for (const a of MANAGER_EXTRAS) set.add(a)
  return [...set]
}

function viaOf(a: AppProfile): 'okta' | 'entra' {
  if (a.sso?.idp === 'okta') return 'okta'
  if (a.sso?.idp === 'entra') return 'entra'
  throw new Error(`demo: access plan: ${a.key} is not an IdP app`)
}

/** When each integration went live in the IdP; assignments are never older than this. */
function rolloutMs(appKey: string, endMs: number): number {
  let h = 0
  for (const ch of appKey) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return endMs - (700 + (h % 500)) * DAY_MS
}

export function planAccess(rng: Rng, c: Company): AccessPlan {
  const accounts: Account[] = []
  const accountsByPerson: Account[][] = c.people.map(() => [])
  const addAccount = (p: Person, appKey: string, scope: 'GROUP' | 'USER', createdMs?: number): Account => {
    const a = appByKey(appKey)
    const created = createdMs ?? Math.max(p.hireMs, rolloutMs(appKey, c.endMs)) + rng.int(0, 2) * DAY_MS + rng.int(3600, 30000) * 1000
    const acc: Account = { id: accounts.length, person: p.idx, app: appKey, via: viaOf(a), createdMs: created, scope, removedMs: null, inactiveLastMs: null, anchorDayMs: null }
    accounts.push(acc)
    ;(accountsByPerson[p.idx] as Account[]).push(acc)
    return acc
  }
  for (let i = 0; i < c.hrCount; i++) {
    const p = c.people[i] as Person
    for (const key of bundleFor(p)) addAccount(p, key, 'GROUP')
  }
  const ci = c.people.find((p) => p.email.startsWith('svc-ci@'))
  if (ci) addAccount(ci, 'github', 'USER')
  const intern = c.people.find((p) => p.email.startsWith('jordan.reyes.intern@'))
  if (intern) for (const key of ['google-workspace', 'slack', 'notion', 'microsoft-teams']) addAccount(intern, key, 'GROUP')

  // Offboarding: clean leavers lose every assignment on their last day; leaky ones keep some.
  for (let i = 0; i < c.hrCount; i++) {
    const p = c.people[i] as Person
    if (p.offboarding === null || p.endMs === null) continue
    for (const acc of accountsByPerson[i] as Account[]) {
      const keeps = p.offboarding === 'okta-active' || (p.offboarding === 'entra-enabled' && acc.via === 'entra')
      if (!keeps) acc.removedMs = p.endMs + rng.int(2, 9) * 3600_000
    }
  }

  const activeHr = c.people.slice(0, c.hrCount).filter((p) => p.hrStatus === 'Active')
  const isPeerEligible = (p: Person): boolean => p.hrStatus === 'Active' && !/^(VP of|Head of|Chief|General Counsel)/.test(p.title)

  // Planted outlier access: one person in a large department+title group gets an app nobody else there has.
  const groups = new Map<string, Person[]>()
  for (const p of activeHr) {
    if (!isPeerEligible(p)) continue
    const k = `${p.department}\u0000${p.title}`
    const list = groups.get(k) ?? []
    list.push(p)
    groups.set(k, list)
  }
  const bigGroups = rng.shuffle([...groups.values()].filter((g) => g.length >= 5).sort((a, b) => (a[0] as Person).idx - (b[0] as Person).idx))
  const outlierCount = Math.min(bigGroups.length, Math.max(2, Math.round(c.hrCount * 0.004)))
  const outliers: AccessPlan['outliers'] = []
  const plantedPeople = new Set<number>()
  for (let i = 0; i < outlierCount; i++) {
    const group = bigGroups[i] as Person[]
    const person = rng.pick(group)
    const bundle = new Set(bundleFor(person))
    const options = OUTLIER_APPS.filter((a) => !bundle.has(a))
    if (options.length === 0) continue
    const app = rng.pick(options)
    addAccount(person, app, 'USER', c.endMs - rng.int(90, 300) * DAY_MS)
    outliers.push({ person: person.idx, app, peerGroupSize: group.length })
    plantedPeople.add(person.idx)
  }

  // Planted inactive licenses: an old seat whose last sign-in is 61-200 days ago, and nothing since.
  const inactiveCount = Math.max(3, Math.round(c.hrCount * 0.02))
  const pool = rng.shuffle(activeHr.filter((p) => p.hireMs < c.endMs - 420 * DAY_MS && !plantedPeople.has(p.idx) && p.endMs === null))
  let planted = 0
  for (const p of pool) {
    if (planted >= inactiveCount) break
    const options = (accountsByPerson[p.idx] as Account[]).filter((a) => INACTIVE_CANDIDATES.has(a.app) && a.createdMs < c.endMs - 260 * DAY_MS)
    if (options.length === 0) continue
    const acc = rng.pick(options)
    acc.inactiveLastMs = c.endMs - rng.int(61, 200) * DAY_MS + rng.int(15 * 3600, 22 * 3600) * 1000
    plantedPeople.add(p.idx)
    planted++
  }

  // Forced-activity anchors: every other live seat of a working person is used at least once in the last 59 days.
  const anchorFrom = Math.max(c.windowStartMs, c.endMs - 58 * DAY_MS)
  for (const acc of accounts) {
    const p = c.people[acc.person] as Person
    if (acc.inactiveLastMs !== null) continue
    const lastDay = p.hrStatus === 'Inactive' && p.endMs !== null ? p.endMs - DAY_MS : c.endMs
    const from = Math.max(anchorFrom, Math.ceil(acc.createdMs / DAY_MS) * DAY_MS + DAY_MS)
    if (from > lastDay) continue
    acc.anchorDayMs = from + rng.int(0, Math.floor((lastDay - from) / DAY_MS)) * DAY_MS
  }

  // Shadow adoption by department.
  const adoptions: Adoption[] = []
  const adoptionsByPerson: Adoption[][] = c.people.map(() => [])
  const hr = c.people.slice(0, c.hrCount)
  const adopt = (p: Person, app: string): void => {
    if ((adoptionsByPerson[p.idx] as Adoption[]).some((a) => a.app === app)) return
    const lastDay = p.hrStatus === 'Inactive' && p.endMs !== null ? p.endMs - 20 * DAY_MS : c.endMs - 2 * DAY_MS
    const first = Math.max(p.hireMs + 7 * DAY_MS, c.endMs - 400 * DAY_MS)
    const sinceMs = first >= lastDay ? lastDay : first + rng.int(0, Math.floor((lastDay - first) / DAY_MS)) * DAY_MS
    const a: Adoption = { person: p.idx, app, sinceMs }
    adoptions.push(a)
    ;(adoptionsByPerson[p.idx] as Adoption[]).push(a)
  }
  for (const [app, spec] of Object.entries(ADOPTION)) {
    const eligible = hr.filter((p) => !spec.depts || spec.depts.includes(p.department))
    let count = 0
    for (const p of eligible) if (rng.chance(spec.rate)) { adopt(p, app); count++ }
    if (count === 0) {
      const active = eligible.filter((p) => p.hrStatus === 'Active')
      adopt(rng.pick(active.length > 0 ? active : activeHr), app)
    }
  }

  // OAuth grants: everyday low-risk scopes, then the planted high-risk ones.
  const grants: Grant[] = []
  const grantTime = (p: Person, sinceMs: number): number => {
    const lastDay = p.hrStatus === 'Inactive' && p.endMs !== null ? p.endMs - DAY_MS : c.endMs - DAY_MS
    return Math.min(lastDay, sinceMs + rng.int(0, 20) * DAY_MS) + rng.int(14 * 3600, 23 * 3600) * 1000
  }
  const revocation = (createdMs: number): number | null =>
    createdMs > c.windowStartMs && createdMs < c.endMs - 3 * DAY_MS && rng.chance(0.08) ? createdMs + rng.int(1, 2) * DAY_MS : null
  for (const ad of adoptions) {
    const a = appByKey(ad.app)
    const p = c.people[ad.person] as Person
    if (a.googleOAuth && rng.chance(0.6)) {
      const createdMs = grantTime(p, ad.sinceMs)
      grants.push({ person: p.idx, app: a.key, source: 'google', scopes: a.googleOAuth.scopes, createdMs, revokedMs: revocation(createdMs), risky: false })
    }
    if (a.entraOAuth && rng.chance(0.6)) {
      grants.push({ person: p.idx, app: a.key, source: 'entra', scopes: a.entraOAuth.scopes.split(' '), createdMs: grantTime(p, ad.sinceMs), revokedMs: null, risky: false })
    }
  }
  for (const acc of accounts) {
    const share = SANCTIONED_TOKEN_SHARE[acc.app]
    const p = c.people[acc.person] as Person
    const a = appByKey(acc.app)
    if (share === undefined || !a.googleOAuth || !p.sources.google || acc.inactiveLastMs !== null || !rng.chance(share)) continue
    grants.push({ person: p.idx, app: a.key, source: 'google', scopes: a.googleOAuth.scopes, createdMs: grantTime(p, acc.createdMs), revokedMs: null, risky: false })
  }
  const riskyCount = Math.max(RISKY_PLANTS.length, Math.round(c.hrCount * 0.008))
  const riskyPool = rng.shuffle(activeHr.filter((p) => p.endMs === null && !plantedPeople.has(p.idx)))
  for (let i = 0; i < riskyCount && i < riskyPool.length; i++) {
    const plant = RISKY_PLANTS[i % RISKY_PLANTS.length] as (typeof RISKY_PLANTS)[number]
    const p = riskyPool[i] as Person
    const a = appByKey(plant.app)
    adopt(p, plant.app)
    const base = plant.source === 'google' ? (a.googleOAuth?.scopes ?? []) : (a.entraOAuth?.scopes.split(' ') ?? [])
    // Replace any ordinary grant this person already had for the app: one grant per person, app and source.
    for (let g = grants.length - 1; g >= 0; g--) {
      const old = grants[g] as Grant
      if (old.person === p.idx && old.app === plant.app && old.source === plant.source) grants.splice(g, 1)
    }
    grants.push({ person: p.idx, app: plant.app, source: plant.source, scopes: [...base, ...plant.scopes], createdMs: c.endMs - rng.int(3, 150) * DAY_MS + rng.int(14 * 3600, 22 * 3600) * 1000, revokedMs: null, risky: true })
  }
  // Google-token leavers must keep at least one token; give them Slack's if they had none.
  for (let i = 0; i < c.hrCount; i++) {
    const p = c.people[i] as Person
    if (p.offboarding !== 'google-tokens' || p.endMs === null) continue
    if (grants.some((g) => g.person === i && g.source === 'google' && g.revokedMs === null)) continue
    const slack = appByKey('slack')
    grants.push({ person: i, app: 'slack', source: 'google', scopes: slack.googleOAuth?.scopes ?? [], createdMs: p.endMs - rng.int(40, 200) * DAY_MS, revokedMs: null, risky: false })
  }
  grants.sort((a, b) => a.createdMs - b.createdMs || a.person - b.person || a.app.localeCompare(b.app))
  return { accounts, accountsByPerson, grants, adoptions, adoptionsByPerson, outliers }
}

/** Whether a grant is still present in the export (not revoked, and not wiped by a clean offboarding). */
export function grantSurvives(c: Company, g: Grant): boolean {
  if (g.revokedMs !== null) return false
  const p = c.people[g.person] as Person
  if (p.offboarding === null) return true
  if (p.offboarding === 'okta-active') return true
  if (g.source === 'google') return p.offboarding === 'google-tokens'
  return p.offboarding === 'entra-enabled'
}

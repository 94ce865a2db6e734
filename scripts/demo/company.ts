// The people of Northwind Labs: HR roster rows, the manager tree, leavers and contractors, plus the directory
// identities that match no HR person. Small enough (≤ a few thousand rows) to keep in memory.
import { FIRST_NAMES, LAST_NAMES, OFFICES, type Office } from './names.js'
import type { Rng } from './prng.js'
import { DAY_MS, parseDay } from './time.js'

export const DOMAIN = 'northwind.example'

export type Employment = 'Full-Time' | 'Part-Time' | 'Contractor'
/** How a leaver was offboarded; `null` for people still employed. */
export type Offboarding = 'clean' | 'okta-active' | 'google-tokens' | 'entra-enabled'

export interface Person {
  readonly idx: number
  readonly inHr: boolean
  readonly employeeNumber: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly department: string
  readonly title: string
  managerIdx: number | null
  readonly office: Office
  employment: Employment
  hrStatus: 'Active' | 'Inactive'
  readonly hireMs: number
  /** Termination date (leavers) or contract end date (contractors). */
  endMs: number | null
  offboarding: Offboarding | null
  /** Leavers with okta-active / entra-enabled access who keep signing in after their last day. */
  signsInAfterEnd: boolean
  readonly oktaId: string
  readonly googleId: string
  readonly entraId: string
  /** Browser-extension device, if this person's laptop runs it. */
  readonly deviceId: string | null
  /** Directory presence for identities outside HR (service accounts, test users). */
  readonly sources: { okta: boolean; google: boolean; entra: boolean }
  readonly oktaStatusOverride?: 'SUSPENDED'
}

interface DeptSpec {
  readonly name: string
  readonly weight: number
  readonly head: string
  readonly titles: readonly (readonly [string, number])[]
}

export const DEPARTMENTS: readonly DeptSpec[] = [
  { name: 'Engineering', weight: 30, head: 'VP of Engineering', titles: [['Software Engineer', 40], ['Senior Software Engineer', 30], ['Staff Software Engineer', 8], ['Engineering Manager', 8], ['Site Reliability Engineer', 8], ['QA Engineer', 6]] },
  { name: 'Product', weight: 6, head: 'VP of Product', titles: [['Product Manager', 60], ['Senior Product Manager', 30], ['Group Product Manager', 10]] },
  { name: 'Design', weight: 4, head: 'Head of Design', titles: [['Product Designer', 60], ['Senior Product Designer', 30], ['Design Manager', 10]] },
  { name: 'Sales', weight: 18, head: 'VP of Sales', titles: [['Account Executive', 45], ['Sales Development Representative', 35], ['Sales Manager', 10], ['Sales Engineer', 10]] },
  { name: 'Marketing', weight: 8, head: 'VP of Marketing', titles: [['Marketing Manager', 30], ['Content Marketing Manager', 20], ['Demand Generation Specialist', 30], ['Marketing Designer', 20]] },
  { name: 'Customer Success', weight: 10, head: 'VP of Customer Success', titles: [['Customer Success Manager', 50], ['Support Engineer', 40], ['Customer Success Team Lead', 10]] },
  { name: 'Finance', weight: 5, head: 'VP of Finance', titles: [['Financial Analyst', 50], ['Accountant', 35], ['Finance Manager', 15]] },
  { name: 'People', weight: 4, head: 'VP of People', titles: [['People Partner', 40], ['Recruiter', 45], ['People Operations Manager', 15]] },
  { name: 'IT', weight: 4, head: 'Head of IT', titles: [['IT Support Specialist', 50], ['Systems Administrator', 35], ['IT Manager', 15]] },
  { name: 'Legal', weight: 2, head: 'General Counsel', titles: [['Counsel', 60], ['Paralegal', 40]] },
  { name: 'Operations', weight: 8, head: 'VP of Operations', titles: [['Operations Analyst', 50], ['Business Operations Manager', 20], ['Office Coordinator', 30]] },
]

export function isManagerTitle(title: string): boolean {
  return /Manager|Lead|VP of|Head of|Chief|General Counsel/.test(title)
}

export interface Company {
  readonly people: Person[]
  /** Index range [0, hrCount) are HR people; the rest are identities no HR row matches. */
  readonly hrCount: number
  readonly endMs: number
  readonly windowStartMs: number
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '')
}

export function buildCompany(rng: Rng, opts: { people: number; days: number; endDate: string }): Company {
  const endMs = parseDay(opts.endDate)
  const windowStartMs = endMs - (opts.days - 1) * DAY_MS
  const n = Math.max(40, opts.people)
  const used = new Set<string>()
  const people: Person[] = []

  const makeEmail = (first: string, last: string): string => {
    const base = `${slug(first)}.${slug(last)}`
    let candidate = base
    for (let k = 2; used.has(candidate); k++) candidate = `${base}${k}`
    used.add(candidate)
    return `${candidate}@${DOMAIN}`
  }

  const officeTable = OFFICES.map((o) => [o, o.weight] as const)
  const extRate = 0.4
  const newPerson = (department: string, title: string, employment: Employment, hireMs: number): Person => {
    const firstName = rng.pick(FIRST_NAMES)
    const lastName = rng.pick(LAST_NAMES)
    const idx = people.length
    const p: Person = {
      idx,
      inHr: true,
      employeeNumber: String(1001 + idx),
      firstName,
      lastName,
      email: makeEmail(firstName, lastName),
      department,
      title,
      managerIdx: null,
      office: rng.weighted(officeTable),
      employment,
      hrStatus: 'Active',
      hireMs,
      endMs: null,
      offboarding: null,
      signsInAfterEnd: false,
      oktaId: `00u${rng.base62(17)}`,
      googleId: `1${rng.digits(20)}`,
      entraId: rng.uuid(),
      deviceId: rng.chance(extRate) ? rng.uuid() : null,
      sources: { okta: true, google: true, entra: true },
    }
    people.push(p)
    return p
  }

  const founded = parseDay('2016-03-01')
  const hireBetween = (fromMs: number, toMs: number): number => {
    // Skewed towards recent hires: the company has been growing.
    const r = Math.sqrt(rng.next())
    return Math.floor((fromMs + r * (toMs - fromMs)) / DAY_MS) * DAY_MS
  }

  const ceo = newPerson('Executive', 'Chief Executive Officer', 'Full-Time', founded)
  const heads = new Map<string, Person>()
  for (const d of DEPARTMENTS) {
    const head = newPerson(d.name, d.head, 'Full-Time', hireBetween(founded, endMs - 900 * DAY_MS))
    head.managerIdx = ceo.idx
    heads.set(d.name, head)
  }
  const deptTable = DEPARTMENTS.map((d) => [d, d.weight] as const)
  const managersByDept = new Map<string, Person[]>()
  const members: Person[] = []
  while (people.length < n) {
    const d = rng.weighted(deptTable)
    const title = rng.weighted(d.titles)
    const manager = isManagerTitle(title)
    const employment: Employment = !manager && rng.chance(0.06) ? 'Contractor' : !manager && rng.chance(0.03) ? 'Part-Time' : 'Full-Time'
    const p = newPerson(d.name, title, employment, hireBetween(founded, endMs - 3 * DAY_MS))
    members.push(p)
    if (manager) {
      const list = managersByDept.get(d.name) ?? []
      list.push(p)
      managersByDept.set(d.name, list)
    }
  }
  // Manager tree: managers report to their head, everyone else to a manager of their department (or the head).
  for (const p of members) {
    const head = heads.get(p.department) as Person
    if (isManagerTitle(p.title)) p.managerIdx = head.idx
    else {
      const managers = managersByDept.get(p.department) ?? []
      p.managerIdx = managers.length > 0 ? rng.pick(managers).idx : head.idx
    }
  }

  // Leavers: ~8% of the roster, last day within the last 180 days; managers' reports are re-parented below.
  const candidates = rng.shuffle(members.filter((p) => p.hireMs < endMs - 220 * DAY_MS && !isManagerTitle(p.title)))
  const leaverCount = Math.max(5, Math.round(n * 0.08))
  const leakyCount = Math.max(3, Math.round(leaverCount * 0.3))
  const leakyKinds: Offboarding[] = ['okta-active', 'google-tokens', 'entra-enabled']
  for (let i = 0; i < leaverCount && i < candidates.length; i++) {
    const p = candidates[i] as Person
    p.hrStatus = 'Inactive'
    p.endMs = endMs - rng.int(1, 180) * DAY_MS
    p.offboarding = i < leakyCount ? (leakyKinds[i % leakyKinds.length] as Offboarding) : 'clean'
    p.signsInAfterEnd = p.offboarding !== 'clean' && p.offboarding !== 'google-tokens' && i % 2 === 0
  }
  // Contractors: active ones end in the future, a planted few are past their end date but still active in HR.
  const pastEndCount = Math.max(2, Math.round(n * 0.005))
  const active = members.filter((p) => p.hrStatus === 'Active' && !isManagerTitle(p.title))
  // Small rosters may draw too few contractors for the planted cases; convert a few ICs.
  for (let k = active.filter((p) => p.employment === 'Contractor').length; k < pastEndCount + 1; k++) {
    const candidate = rng.pick(active.filter((p) => p.employment !== 'Contractor'))
    candidate.employment = 'Contractor'
  }
  const contractors = rng.shuffle(members.filter((p) => p.employment === 'Contractor' && p.hrStatus === 'Active'))
  contractors.forEach((p, i) => {
    p.endMs = i < pastEndCount ? endMs - rng.int(5, 90) * DAY_MS : endMs + rng.int(30, 300) * DAY_MS
  })
  for (const p of members) {
    const manager = p.managerIdx === null ? null : people[p.managerIdx]
    if (manager && manager.hrStatus === 'Inactive') p.managerIdx = manager.managerIdx
  }
  const hrCount = people.length

  // Directory identities that no HR row matches: service accounts, shared mailboxes, a test user, an intern.
  const extra = (local: string, first: string, last: string, sources: Person['sources'], suspended = false): void => {
    used.add(local)
    const idx = people.length
    people.push({
      idx, inHr: false, employeeNumber: '', firstName: first, lastName: last, email: `${local}@${DOMAIN}`,
      department: '', title: '', managerIdx: null, office: OFFICES[0] as Office, employment: 'Full-Time',
      hrStatus: 'Active', hireMs: endMs - rng.int(200, 900) * DAY_MS, endMs: null, offboarding: null, signsInAfterEnd: false,
      oktaId: `00u${rng.base62(17)}`, googleId: `1${rng.digits(20)}`, entraId: rng.uuid(), deviceId: null, sources,
      ...(suspended ? { oktaStatusOverride: 'SUSPENDED' as const } : {}),
    })
  }
  extra('svc-ci', 'CI', 'Service', { okta: true, google: true, entra: false })
  extra('scanner', 'Office', 'Scanner', { okta: false, google: true, entra: false })
  extra('test.okta', 'Test', 'User', { okta: true, google: false, entra: false }, true)
  extra('billing', 'Billing', 'Team', { okta: false, google: true, entra: true })
  extra('jordan.reyes.intern', 'Jordan', 'Reyes', { okta: true, google: true, entra: true })
  for (let i = 0; i < Math.floor(n / 1000); i++) {
    const first = rng.pick(FIRST_NAMES)
    const last = rng.pick(LAST_NAMES)
    extra(`ext-${slug(first)}.${slug(last)}${i + 1}`, first, last, { okta: true, google: false, entra: true })
  }
  return { people, hrCount, endMs, windowStartMs }
}

/** Whether a person still holds company access on a given day (employed, or a leaver whose access leaked). */
export function employedOn(p: Person, dayMs: number): boolean {
  if (dayMs < p.hireMs) return false
  if (p.hrStatus === 'Inactive' && p.endMs !== null && dayMs >= p.endMs) return false
  return true
}

/** A few Entra entries were created by hand with capitalised UPNs (`Mary.Smith@…`); they are the same people. */
export function entraUpn(p: Person): string {
  if (!p.inHr || p.idx % 97 !== 13) return p.email
  return p.email.replace(/^./, (ch) => ch.toUpperCase()).replace(/\.(.)/, (_m, ch: string) => `.${ch.toUpperCase()}`)
}

export function managerEmail(c: Company, p: Person): string {
  return p.managerIdx === null ? '' : (c.people[p.managerIdx] as Person).email
}

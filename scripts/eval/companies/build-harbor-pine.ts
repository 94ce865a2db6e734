// Writes the second evaluation company, Harbor & Pine Analytics, into scripts/eval/companies/harbor-pine/:
// a BambooHR custom report, an Okta export folder (users, apps, app users, System Log), Google Directory users,
// tokens.list responses and token activities, an American Express and a Chase business download, and truth.json.
// Written by hand from the vendors' documented formats (not from the demo generator); every planted case is
// declared below with the reason it is one, and truth.json lists exactly those. Re-run after editing:
//   npx tsx scripts/eval/companies/build-harbor-pine.ts
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const OUT = join(import.meta.dirname, 'harbor-pine')
const DOMAIN = 'harborpine.example'
const AS_OF = '2026-12-01T00:00:00.000Z'

interface Person {
  id: number
  first: string
  last: string
  dept: string
  title: string
  location: string
  /** BambooHR "Status" (Active | Inactive) and "Employment Status" (Full-Time, Part-Time, Contractor, Terminated …). */
  status: 'Active' | 'Inactive'
  employment: string
  hired: string
  terminated?: string
  email?: string
  okta?: 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED' | 'none'
  google?: 'active' | 'suspended' | 'none'
  apps: string[]
  /** Apps with no sign-in in the last 60 days (planted inactive licences) and when they last signed in, if ever. */
  idle?: Record<string, string | null>
}

const P = (p: Omit<Person, 'apps'> & { apps?: string[] }): Person => ({ okta: 'ACTIVE', google: 'active', apps: [], ...p })
const ENG = ['slack', 'zoom', 'github', 'google-workspace']
const SALES = ['slack', 'zoom', 'salesforce', 'google-workspace']
const BASE = ['slack', 'zoom', 'google-workspace']

const people: Person[] = [
  // Engineering / Software Engineer: a peer group of six; Leo alone has Salesforce (planted outlier).
  P({ id: 3101, first: 'Aiko', last: 'Tanaka', dept: 'Engineering', title: 'Software Engineer', location: 'Portland, OR', status: 'Active', employment: 'Full-Time', hired: '02/14/2022', apps: ENG }),
  P({ id: 3102, first: 'Ben', last: 'Adeyemi', dept: 'Engineering', title: 'Software Engineer', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '06/01/2022', apps: ENG }),
  P({ id: 3103, first: 'Sam', last: 'Lee', dept: 'Engineering', title: 'Software Engineer', location: 'Portland, OR', status: 'Active', employment: 'Full-Time', hired: '09/12/2023', apps: ENG }),
  P({ id: 3104, first: 'Chloe', last: 'Martin', dept: 'Engineering', title: 'Software Engineer', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '01/09/2024', apps: ENG, idle: { zoom: null } }),
  P({ id: 3105, first: 'Diego', last: 'Fernández', dept: 'Engineering', title: 'Software Engineer', location: 'Remote - US', status: 'Active', employment: 'Part-Time', hired: '03/03/2024', apps: ENG }),
  P({ id: 3106, first: 'Leo', last: 'Novak', dept: 'Engineering', title: 'Software Engineer', location: 'Portland, OR', status: 'Active', employment: 'Full-Time', hired: '07/22/2024', apps: [...ENG, 'salesforce'] }),
  // Sales / Account Executive: five peers, all with Salesforce; Grace has not opened it since August.
  P({ id: 3201, first: 'Samuel', last: 'Lee', email: `samuel.lee@${DOMAIN}`, dept: 'Sales', title: 'Account Executive', location: 'Austin, TX', status: 'Active', employment: 'Full-Time', hired: '04/04/2022', apps: SALES }),
  P({ id: 3202, first: 'Fatima', last: 'Zahra', dept: 'Sales', title: 'Account Executive', location: 'Austin, TX', status: 'Active', employment: 'Full-Time', hired: '08/15/2022', apps: SALES }),
  P({ id: 3203, first: 'Grace', last: "O'Brien", email: `grace.obrien@${DOMAIN}`, dept: 'Sales', title: 'Account Executive', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '11/01/2022', apps: SALES, idle: { salesforce: '2026-08-20T15:12:00.000Z' } }),
  P({ id: 3204, first: 'Hugo', last: 'Lambert', dept: 'Sales', title: 'Account Executive', location: 'Austin, TX', status: 'Active', employment: 'Full-Time', hired: '02/01/2023', apps: SALES }),
  P({ id: 3205, first: 'Isabel', last: 'Cruz', dept: 'Sales', title: 'Account Executive', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '05/15/2023', apps: SALES }),
  // Everyone else has a title of their own (no peer group).
  P({ id: 3301, first: 'Priya', last: 'Shah', dept: 'Finance', title: 'Controller', location: 'Portland, OR', status: 'Active', employment: 'Full-Time', hired: '03/02/2021', apps: [...BASE, 'asana'], idle: { asana: null } }),
  P({ id: 3302, first: 'Kofi', last: 'Mensah', dept: 'Customer Success', title: 'CS Manager', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '10/10/2021', apps: [...BASE, 'asana'] }),
  P({ id: 3303, first: 'Elena', last: 'Novak', email: `elena.novak@${DOMAIN}`, dept: 'Design', title: 'Product Designer', location: 'Portland, OR', status: 'Active', employment: 'Full-Time', hired: '01/18/2022', apps: [...BASE, 'figma', 'asana'] }),
  P({ id: 3304, first: 'Wei', last: 'Chen', dept: 'Engineering', title: 'Engineering Manager', location: 'Portland, OR', status: 'Active', employment: 'Full-Time', hired: '05/05/2020', apps: ENG }),
  P({ id: 3305, first: 'Nora', last: 'Lindqvist', dept: 'People', title: 'People Partner', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '09/09/2021', apps: [...BASE, 'asana'] }),
  P({ id: 3306, first: 'Omar', last: 'Haddad', dept: 'Marketing', title: 'Marketing Director', location: 'Austin, TX', status: 'Active', employment: 'Full-Time', hired: '12/01/2020', apps: [...BASE, 'figma'] }),
  P({ id: 3307, first: 'Rosa', last: 'Delgado', dept: 'Operations', title: 'Office Manager', location: 'Portland, OR', status: 'Active', employment: 'Part-Time', hired: '02/02/2023', apps: [...BASE, 'asana'] }),
  P({ id: 3308, first: 'Tariq', last: 'Aziz', dept: 'Engineering', title: 'Data Engineer', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '06/06/2023', apps: ENG }),
  P({ id: 3309, first: 'Mei', last: 'Wong', dept: 'Sales', title: 'Sales Ops Analyst', location: 'Austin, TX', status: 'Active', employment: 'Intern', hired: '06/16/2026', apps: ['slack', 'salesforce', 'google-workspace'] }),
  // Contractor whose contract ended in October while HR still lists them Active (contractor past end date).
  P({ id: 3401, first: 'Ines', last: 'Duarte', dept: 'Engineering', title: 'Consultant', location: 'Lisbon, PT', status: 'Active', employment: 'Contractor', hired: '04/01/2025', terminated: '10/31/2026', apps: ['slack', 'github'] }),
  // Leavers.
  // Marcus: BambooHR Inactive / Terminated; Okta still ACTIVE with three paid apps; Google still enabled.
  P({ id: 3501, first: 'Marcus', last: 'Okafor', dept: 'Sales', title: 'Sales Manager', location: 'Austin, TX', status: 'Inactive', employment: 'Terminated', hired: '06/14/2021', terminated: '09/30/2026', apps: ['slack', 'zoom', 'salesforce'] }),
  // Hannah: BambooHR still says Active / Full-Time, but her termination date has passed. Okta deprovisioned,
  // Google account left enabled, an OAuth token still held.
  P({ id: 3502, first: 'Hannah', last: 'Berg', dept: 'Marketing', title: 'Content Lead', location: 'Remote - US', status: 'Active', employment: 'Full-Time', hired: '01/10/2023', terminated: '10/15/2026', okta: 'DEPROVISIONED' }),
  // Tomas: left in August, directories suspended, but his card keeps paying Notion.
  P({ id: 3503, first: 'Tomas', last: 'Ruiz', dept: 'Engineering', title: 'Analytics Engineer', location: 'Remote - US', status: 'Inactive', employment: 'Terminated', hired: '02/01/2022', terminated: '08/31/2026', okta: 'SUSPENDED', google: 'suspended' }),
  // Dana: cleanly offboarded (Okta deprovisioned, Google account deleted): nothing to find.
  P({ id: 3504, first: 'Dana', last: 'Whitfield', dept: 'Finance', title: 'Accountant', location: 'Portland, OR', status: 'Inactive', employment: 'Terminated', hired: '03/15/2021', terminated: '07/31/2026', okta: 'DEPROVISIONED', google: 'none' }),
  // Ivan: "Terminated" in Employment Status while Status still says Active and no date was filled in.
  P({ id: 3505, first: 'Ivan', last: 'Petrov', dept: 'Engineering', title: 'Site Reliability Engineer', location: 'Remote - US', status: 'Active', employment: 'Terminated', hired: '08/08/2022', google: 'suspended', apps: ['github'] }),
]

const ascii = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '')
const emailOf = (p: Person): string => p.email ?? `${ascii(p.first)}.${ascii(p.last)}@${DOMAIN}`

// Directory users that are on no roster.
interface Extra { login: string; first: string; last: string; userType?: string; okta?: boolean; google?: boolean; apps: string[]; signsIn: boolean }
const extras: Extra[] = [
  { login: `svc-jenkins@${DOMAIN}`, first: 'Jenkins', last: 'CI', userType: 'Service', okta: true, apps: ['github'], signsIn: false },
  { login: `salesforce-integration@${DOMAIN}`, first: 'Salesforce', last: 'Integration', okta: true, apps: ['salesforce'], signsIn: false },
  { login: `noreply-billing@${DOMAIN}`, first: 'Billing', last: 'Notifications', google: true, apps: [], signsIn: false },
  { login: `jordan.reyes@${DOMAIN}`, first: 'Jordan', last: 'Reyes', okta: true, google: true, apps: ['slack'], signsIn: true },
]

// Okta apps (all ACTIVE, SAML): what IT sanctioned.
const OKTA_APPS: Record<string, { id: string; name: string; label: string; url: string }> = {
  slack: { id: '0oa7hp1slk2PINE01d7', name: 'slack', label: 'Slack', url: 'https://harborpine.slack.com' },
  zoom: { id: '0oa7hp1zom2PINE02d7', name: 'zoomus', label: 'Zoom', url: 'https://harborpine.zoom.us' },
  github: { id: '0oa7hp1ghb2PINE03d7', name: 'githubcloud', label: 'GitHub Enterprise Cloud', url: 'https://github.com/orgs/harborpine' },
  salesforce: { id: '0oa7hp1sfd2PINE04d7', name: 'salesforce', label: 'Salesforce.com', url: 'https://harborpine.my.salesforce.com' },
  figma: { id: '0oa7hp1fig2PINE05d7', name: 'figma', label: 'Figma', url: 'https://www.figma.com' },
  asana: { id: '0oa7hp1asa2PINE06d7', name: 'asana', label: 'Asana', url: 'https://app.asana.com' },
  'google-workspace': { id: '0oa7hp1gws2PINE07d7', name: 'google', label: 'Google Workspace', url: 'https://mail.google.com/a/harborpine.example' },
}

const oktaId = (n: number): string => `00u${n.toString(36).padStart(6, '0')}HPNE7d7`
const googleId = (n: number): string => String(108_000_000_000_000_000_000n + BigInt(n) * 7_919n)

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n') + '\r\n'
}

function write(rel: string, text: string): void {
  const path = join(OUT, rel)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
}

rmSync(OUT, { recursive: true, force: true })

// --- BambooHR custom report (CSV, UTF-8 with BOM, CRLF), the fields a report builder offers.
write('hr/bamboohr-employees.csv', '\ufeff' + csv([
  ['Employee #', 'First Name', 'Last Name', 'Work Email', 'Department', 'Job Title', 'Location', 'Status', 'Employment Status', 'Hire Date', 'Termination Date'],
  ...people.map((p) => [String(p.id), p.first, p.last, emailOf(p), p.dept, p.title, p.location, p.status, p.employment, p.hired, p.terminated ?? '']),
]))

// --- Okta: GET /api/v1/users, /api/v1/apps, /api/v1/apps/{id}/users, /api/v1/logs.
let seq = 0
const oktaUsers: unknown[] = []
const assignments = new Map<string, unknown[]>()
const events: unknown[] = []
const event = (published: string, eventType: string, user: { id: string; login: string; name: string }, app: string | null, result = 'SUCCESS') => {
  seq++
  events.push({
    uuid: `6f1e${String(seq).padStart(4, '0')}-8c1d-11f1-9b2e-${String(seq).padStart(12, '0')}`,
    published,
    eventType,
    version: '0',
    severity: 'INFO',
    displayMessage: eventType === 'user.session.start' ? 'User login to Okta' : 'User single sign on to app',
    actor: { id: user.id, type: 'User', alternateId: user.login, displayName: user.name },
    client: { ipAddress: '198.51.100.24', userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15', os: 'Mac OS X', browser: 'SAFARI' }, geographicalContext: { country: 'United States' } },
    outcome: { result },
    target: app ? [{ id: OKTA_APPS[app]!.id, type: 'AppInstance', alternateId: OKTA_APPS[app]!.label, displayName: OKTA_APPS[app]!.label }] : [],
  })
}
const oktaUser = (id: string, status: string, login: string, first: string, last: string, profile: Record<string, unknown>, created: string, signsIn = true) => {
  oktaUsers.push({
    // An API-only integration user never signs in to Okta: lastLogin stays null.
    id, status, created, activated: created, statusChanged: status === 'ACTIVE' ? created : '2026-10-16T17:05:11.000Z', lastLogin: status === 'ACTIVE' && signsIn ? '2026-11-27T16:02:45.000Z' : null,
    lastUpdated: '2026-11-20T09:00:00.000Z', passwordChanged: created, type: { id: 'oty1hpne0000000007d7' },
    profile: { firstName: first, lastName: last, mobilePhone: null, secondEmail: null, login, email: login, ...profile },
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `https://harborpine.okta.com/api/v1/users/${id}` } },
  })
}
const assign = (app: string, userId: string, login: string, created: string) => {
  const list = assignments.get(app) ?? []
  list.push({
    id: userId, externalId: null, created, lastUpdated: created, scope: 'USER', status: 'ACTIVE', statusChanged: created, passwordChanged: null,
    syncState: 'DISABLED', credentials: { userName: login }, profile: { email: login },
    _links: { user: { href: `https://harborpine.okta.com/api/v1/users/${userId}` } },
  })
  assignments.set(app, list)
}
// Recent sign-ins, spread over the last 60 days, so only the planted seats are idle.
const recent = (i: number, k: number): string => new Date(Date.parse(AS_OF) - ((i * 7 + k * 11) % 50 + 2) * 86_400_000 + 14 * 3_600_000 + i * 60_000).toISOString()
people.forEach((p, i) => {
  if (p.okta === 'none') return
  const id = oktaId(p.id)
  const login = emailOf(p)
  oktaUser(id, p.okta!, login, p.first, p.last, { department: p.dept, title: p.title, employeeNumber: String(p.id), userType: p.employment === 'Contractor' ? 'Contractor' : 'Employee' }, '2025-01-06T15:00:00.000Z')
  const user = { id, login, name: `${p.first} ${p.last}` }
  for (const app of p.okta === 'ACTIVE' ? p.apps : []) {
    assign(app, id, login, '2025-01-06T15:10:00.000Z')
    const idle = p.idle?.[app]
    if (idle !== undefined) {
      if (idle) event(idle, 'user.authentication.sso', user, app)
      continue
    }
    // Leavers who kept access last signed in before their end date, except Marcus, who used Slack in October.
    const active = p.status === 'Active' && p.employment !== 'Terminated'
    if (active) for (const k of [0, 1]) event(recent(i, k), 'user.authentication.sso', user, app)
    else event('2026-09-18T15:30:00.000Z', 'user.authentication.sso', user, app)
  }
  if (p.id === 3501) event('2026-10-20T18:45:00.000Z', 'user.authentication.sso', user, 'slack')
  if (p.okta === 'ACTIVE' && p.status === 'Active') event(recent(i, 2), 'user.session.start', user, null)
})
extras.forEach((x, i) => {
  if (!x.okta) return
  const id = `00u${(900 + i).toString(36)}svcHPNE7d7`
  oktaUser(id, 'ACTIVE', x.login, x.first, x.last, x.userType ? { userType: x.userType } : {}, '2024-03-01T12:00:00.000Z', x.signsIn)
  for (const app of x.apps) assign(app, id, x.login, '2024-03-01T12:10:00.000Z')
  if (x.signsIn) for (const app of x.apps) event(recent(i + 40, 0), 'user.authentication.sso', { id, login: x.login, name: `${x.first} ${x.last}` }, app)
})
write('okta/users.json', JSON.stringify(oktaUsers, null, 2))
write('okta/apps.json', JSON.stringify(Object.values(OKTA_APPS).map((a) => ({
  id: a.id, name: a.name, label: a.label, status: 'ACTIVE', lastUpdated: '2025-01-06T14:00:00.000Z', created: '2025-01-06T14:00:00.000Z',
  signOnMode: 'SAML_2_0', accessibility: { selfService: false }, visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false } },
  features: [], settings: { app: { url: a.url }, signOn: {} }, _links: { self: { href: `https://harborpine.okta.com/api/v1/apps/${a.id}` } },
})), null, 2))
for (const [app, list] of assignments) write(`okta/app-users/${OKTA_APPS[app]!.id}.json`, JSON.stringify(list, null, 2))
events.sort((a, b) => String((a as { published: string }).published).localeCompare((b as { published: string }).published))
write('okta/system-log.jsonl', events.map((e) => JSON.stringify(e)).join('\n') + '\n')

// --- Google Directory API users.list (admin#directory#users). Deleted users are simply not listed.
const gUsers: unknown[] = []
const gUser = (id: string, email: string, first: string, last: string, state: 'active' | 'suspended', lastLogin: string, creation: string, orgUnitPath: string) => {
  gUsers.push({
    kind: 'admin#directory#user', id, etag: `"hp-${id}"`, primaryEmail: email,
    name: { givenName: first, familyName: last, fullName: `${first} ${last}` },
    isAdmin: false, isDelegatedAdmin: false, lastLoginTime: lastLogin, creationTime: creation, agreedToTerms: true,
    suspended: state === 'suspended', ...(state === 'suspended' ? { suspensionReason: 'ADMIN' } : {}), archived: false,
    changePasswordAtNextLogin: false, ipWhitelisted: false, emails: [{ address: email, primary: true }],
    customerId: 'C03hpne7d', orgUnitPath, isMailboxSetup: true, isEnrolledIn2Sv: true, isEnforcedIn2Sv: true, includeInGlobalAddressList: true,
  })
}
people.forEach((p, i) => {
  if (p.google === 'none') return
  gUser(googleId(p.id), emailOf(p), p.first, p.last, p.google!, recent(i, 3), '2021-01-04T16:00:00.000Z', p.google === 'suspended' ? '/Former employees' : `/${p.dept}`)
})
extras.forEach((x, i) => {
  if (!x.google) return
  gUser(googleId(9000 + i), x.login, x.first, x.last, 'active', x.signsIn ? recent(i + 40, 1) : '1970-01-01T00:00:00.000Z', '2024-02-01T10:00:00.000Z', '/Service accounts')
})
write('google/users.json', JSON.stringify({ kind: 'admin#directory#users', etag: '"hp-users"', users: gUsers }, null, 2))

// --- Google OAuth tokens (tokens.list per user) and token activities (Reports API, applicationName=token).
const GOOGLE = 'https://www.googleapis.com/auth/'
interface Token { person: number; clientId: string; app: string; scopes: string[]; revokedAt?: string; grantedAt: string }
const tokens: Token[] = [
  { person: 3101, clientId: '771203311412-pdfmergepro7a1b.apps.googleusercontent.com', app: 'PDF Merge Pro', scopes: [`${GOOGLE}drive`, `${GOOGLE}userinfo.email`], grantedAt: '2026-10-02T17:20:00.000Z' },
  { person: 3202, clientId: '559812004477-inboxlysync91c2.apps.googleusercontent.com', app: 'Inboxly Sync', scopes: ['https://mail.google.com/', `${GOOGLE}userinfo.profile`], grantedAt: '2026-09-14T15:05:00.000Z' },
  { person: 3502, clientId: '610025885330-canvaoauthweb42.apps.googleusercontent.com', app: 'Canva', scopes: [`${GOOGLE}drive.file`, `${GOOGLE}userinfo.email`, 'openid'], grantedAt: '2026-06-03T13:40:00.000Z' },
  { person: 3205, clientId: '381722540011-calendlyweb77d.apps.googleusercontent.com', app: 'Calendly', scopes: [`${GOOGLE}calendar.events`, `${GOOGLE}userinfo.email`], grantedAt: '2026-08-21T19:00:00.000Z' },
  { person: 3102, clientId: '290417781235-slackgdrive31.apps.googleusercontent.com', app: 'Slack', scopes: [`${GOOGLE}drive.readonly`, `${GOOGLE}userinfo.email`], grantedAt: '2026-05-11T16:00:00.000Z' },
  // Granted and revoked within the window: no longer held, so not risky.
  { person: 3103, clientId: '771203311412-pdfmergepro7a1b.apps.googleusercontent.com', app: 'PDF Merge Pro', scopes: [`${GOOGLE}drive`], grantedAt: '2026-09-30T10:00:00.000Z', revokedAt: '2026-10-01T09:00:00.000Z' },
]
const byPerson = new Map(people.map((p) => [p.id, p]))
for (const p of people) {
  if (p.google === 'none') continue
  const held = tokens.filter((t) => t.person === p.id && !t.revokedAt)
  write(`google/tokens/${emailOf(p)}.json`, JSON.stringify({
    kind: 'admin#directory#tokenList', etag: `"hp-tokens-${p.id}"`,
    items: held.map((t) => ({ kind: 'admin#directory#token', etag: `"hp-t-${p.id}"`, clientId: t.clientId, displayText: t.app, anonymous: false, nativeApp: false, userKey: googleId(p.id), scopes: t.scopes })),
  }, null, 2))
}
const activities: unknown[] = []
tokens.forEach((t, i) => {
  const p = byPerson.get(t.person)!
  const act = (time: string, name: 'authorize' | 'revoke', n: number) => activities.push({
    kind: 'admin#reports#activity',
    id: { time, uniqueQualifier: String(-4_000_000_000_000_000_000n - BigInt(i * 10 + n)), applicationName: 'token', customerId: 'C03hpne7d' },
    etag: `"hp-act-${i}-${n}"`,
    actor: { email: emailOf(p), profileId: googleId(p.id), callerType: 'USER' },
    ipAddress: '198.51.100.24',
    events: [{
      type: 'auth', name,
      parameters: [
        { name: 'client_id', value: t.clientId },
        { name: 'app_name', value: t.app },
        { name: 'client_type', value: 'WEB' },
        { name: 'scope', multiValue: t.scopes },
        { name: 'scope_data', multiMessageValue: t.scopes.map((s) => ({ parameter: [{ name: 'scope_name', value: s }] })) },
      ],
    }],
  })
  act(t.grantedAt, 'authorize', 0)
  if (t.revokedAt) act(t.revokedAt, 'revoke', 1)
})
write('google/activity-token.jsonl', activities.map((a) => JSON.stringify(a)).join('\n') + '\n')

// --- American Express business "Download your statement" CSV (Card Member names as printed on the cards).
// The download covers 15 Aug – 14 Nov: a partial period, not a quarter.
const amex: string[][] = [['Date', 'Receipt', 'Description', 'Card Member', 'Account #', 'Amount', 'Extended Details', 'Appears On Your Statement As', 'Address', 'City/State', 'Zip Code', 'Country', 'Reference', 'Category']]
let ref = 0
const ax = (date: string, desc: string, member: string, acct: string, amount: string, category: string) => {
  ref++
  amex.push([date, '', desc, member, acct, amount, `${desc}\n${category}`, desc, '', '', '', 'UNITED STATES', `'3202601${String(ref).padStart(8, '0')}'`, category])
}
for (const [m, d] of [['08', '15'], ['09', '15'], ['10', '15'], ['11', '14']] as const) {
  ax(`${m}/${d}/2026`, 'SLACK T0HPNE7D7 DUBLIN', 'PRIYA K SHAH', '-31009', '218.75', 'Business Services-Internet Services')
  ax(`${m}/${d}/2026`, 'ZOOM.US 888-799-9666 CA', 'SHAH, PRIYA', '-31009', '149.90', 'Business Services-Internet Services')
  ax(`${m}/${d}/2026`, 'FIGMA SAN FRANCISCO CA', 'ELENA M NOVAK', '-31017', '90.00', 'Business Services-Internet Services')
  ax(`${m}/${d}/2026`, 'MIRO.COM AMSTERDAM', 'SAM LEE', '-31025', '48.00', 'Business Services-Internet Services')
  ax(`${m}/${d}/2026`, 'WEBEX BY CISCO 408-526-4000 CA', 'KOFI MENSAH', '-31033', '144.00', 'Business Services-Internet Services')
}
// Tomas left on 31 Aug; his card kept paying Notion. Marcus left on 30 Sep; his card kept paying Loom.
for (const m of ['08', '09', '10', '11']) ax(`${m}/05/2026`, 'NOTION LABS, INC. SAN FRANCISCO CA', 'TOMAS A RUIZ', '-31041', '96.00', 'Business Services-Internet Services')
for (const m of ['08', '09', '10', '11']) ax(`${m}/12/2026`, 'LOOM.COM SAN FRANCISCO CA', 'MARCUS J OKAFOR', '-31058', '15.00', 'Business Services-Internet Services')
ax('09/22/2026', 'DELTA AIR LINES ATLANTA', 'HUGO LAMBERT', '-31066', '642.30', 'Travel-Airline')
ax('10/03/2026', 'UBER *TRIP HELP.UBER.COM', 'FATIMA ZAHRA', '-31074', '38.17', 'Transportation-Taxis & Limousines')
ax('10/20/2026', 'ONLINE PAYMENT - THANK YOU', '', '', '-4200.00', 'Payment')
write('spend/amex-business.csv', csv(amex))

// --- Chase business card "Download account activity" CSV: card last four, no cardholder name. Purchases are
// negative ("Sale"), payments positive. The download covers 1 Sep – 27 Nov.
const chase: string[][] = [['Card', 'Transaction Date', 'Post Date', 'Description', 'Category', 'Type', 'Amount', 'Memo']]
for (const [m, d] of [['09', '01'], ['10', '01'], ['11', '01']] as const) {
  const day = `${m}/${d}/2026`
  const post = `${m}/0${Number(d) + 1}/2026`
  chase.push(['4421', day, post, 'GOOGLE *GSUITE_harborpin', 'Bills & Utilities', 'Sale', '-403.20', ''])
  chase.push(['4421', day, post, 'SALESFORCE.COM', 'Bills & Utilities', 'Sale', '-1650.00', ''])
  chase.push(['4421', day, post, 'GITHUB, INC.', 'Bills & Utilities', 'Sale', '-147.00', ''])
  chase.push(['4421', day, post, 'ASANA.COM', 'Bills & Utilities', 'Sale', '-109.90', ''])
  chase.push(['7765', day, post, 'ZOOM.US 888-799-9666', 'Bills & Utilities', 'Sale', '-65.96', ''])
}
chase.push(['4421', '11/20/2026', '11/21/2026', 'AUTOMATIC PAYMENT - THANK YOU', '', 'Payment', '6250.00', ''])
chase.push(['4421', '11/27/2026', '11/28/2026', 'STAPLES 00112', 'Shopping', 'Sale', '-84.12', ''])
write('spend/chase-business.csv', csv(chase))

// --- What was planted, in the scorer's lists (scripts/eval/score-findings.ts).
const e = (id: number): string => emailOf(byPerson.get(id)!)
const truth = {
  company: 'Harbor & Pine Analytics',
  domain: DOMAIN,
  asOf: AS_OF,
  // Not IdP-integrated, used or paid: the card-only apps and the OAuth-only clients.
  shadowApps: [{ key: 'notion' }, { key: 'loom' }, { key: 'miro' }, { key: 'webex' }, { key: 'canva' }, { key: 'calendly' }, { key: 'unknown:pdfmergepro' }, { key: 'unknown:inboxlysync' }],
  // Zoom: Priya's Amex (printed two ways) and the Chase card 7765.
  duplicateSubscriptions: [{ app: 'zoom' }],
  overlappingTools: [{ category: 'video-meetings', apps: ['webex', 'zoom'] }],
  seatsOfTerminated: [
    { email: e(3501), app: 'slack' }, { email: e(3501), app: 'zoom' }, { email: e(3501), app: 'salesforce' }, { email: e(3501), app: 'google-workspace' },
    { email: e(3502), app: 'google-workspace' },
    { email: e(3505), app: 'github' },
  ],
  chargesAfterTermination: [{ email: e(3503), app: 'notion' }, { email: e(3501), app: 'loom' }],
  terminatedWithAccess: [{ email: e(3501) }, { email: e(3502) }, { email: e(3505) }],
  contractorsPastEndDate: [{ email: e(3401) }],
  unmatchedIdentities: extras.map((x) => ({ email: x.login })),
  inactiveLicenses: [{ email: e(3104), app: 'zoom' }, { email: e(3203), app: 'salesforce' }, { email: e(3301), app: 'asana' }],
  riskyGrants: [{ email: e(3101), clientId: tokens[0]!.clientId }, { email: e(3202), clientId: tokens[1]!.clientId }],
  outlierAccess: [{ email: e(3106), app: 'salesforce' }],
}
write('truth.json', JSON.stringify(truth, null, 2) + '\n')

// --- How to import it: the order a new user would follow (roster first, directories, activity, statements).
write('company.json', JSON.stringify({
  name: 'Harbor & Pine Analytics',
  asOf: AS_OF,
  truth: 'truth.json',
  imports: [
    { what: 'people', file: 'hr/bamboohr-employees.csv' },
    { what: 'directory', format: 'okta-dir', file: 'okta' },
    { what: 'directory', format: 'google-users', file: 'google/users.json' },
    { what: 'signins', format: 'google', file: 'google/activity-token.jsonl' },
    { what: 'grants', format: 'google-tokens', file: 'google/tokens' },
    { what: 'spend', file: 'spend/amex-business.csv' },
    { what: 'spend', file: 'spend/chase-business.csv' },
  ],
}, null, 2) + '\n')
console.log(`wrote ${OUT}: ${people.length} roster rows, ${oktaUsers.length} Okta users, ${gUsers.length} Google users, ${events.length} System Log events, ${amex.length - 1} + ${chase.length - 1} card lines`)

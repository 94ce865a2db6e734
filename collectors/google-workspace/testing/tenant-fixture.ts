import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GoogleActivity } from '../map-activity.js'
import type { GoogleToken, GoogleUser } from '../map-directory.js'
import type { FakeTenant } from './fake-google.js'

const G = 'https://www.googleapis.com/auth/'
const OIDC = ['openid', `${G}userinfo.email`, `${G}userinfo.profile`]
export const CUSTOMER_ID = 'C03az79cb'

export const CLIENTS = {
  slack: { clientId: '1111-slack.apps.googleusercontent.com', displayText: 'Slack', scopes: [...OIDC, `${G}drive.readonly`] },
  inboxpilot: { clientId: '2222-inboxpilot.apps.googleusercontent.com', displayText: 'InboxPilot', scopes: [...OIDC, 'https://mail.google.com/'] },
  zoom: { clientId: '3333-zoom.apps.googleusercontent.com', displayText: 'Zoom', scopes: [...OIDC, `${G}calendar.events`] },
  brightsheet: { clientId: '4444-brightsheet.apps.googleusercontent.com', displayText: 'BrightSheet', scopes: [`${G}drive`] },
  figma: { clientId: '5555-figma.apps.googleusercontent.com', displayText: 'Figma', scopes: OIDC },
  pipewise: { clientId: '6666-pipewise.apps.googleusercontent.com', displayText: 'Pipewise', scopes: [`${G}gmail.readonly`, `${G}gmail.send`] },
  calendly: { clientId: '7777-calendly.apps.googleusercontent.com', displayText: 'Calendly', scopes: [...OIDC, `${G}calendar.events`] },
} as const
type ClientName = keyof typeof CLIENTS

function user(n: number, local: string, given: string, family: string, extra: Partial<GoogleUser> = {}): GoogleUser {
  return {
    kind: 'admin#directory#user',
    id: `10000000000000000000${n}`,
    primaryEmail: `${local}@acme.example`,
    name: { givenName: given, familyName: family, fullName: `${given} ${family}` },
    isAdmin: false,
    suspended: false,
    archived: false,
    orgUnitPath: '/',
    creationTime: '2024-01-10T09:00:00.000Z',
    customerId: CUSTOMER_ID,
    ...extra,
  }
}

export const USERS = {
  alice: user(1, 'alice', 'Alice', 'Nguyen', {
    orgUnitPath: '/Engineering',
    organizations: [{ title: 'Engineer', department: 'Engineering', primary: true, description: 'Employee' }],
    relations: [{ type: 'manager', value: 'bob@acme.example' }],
    externalIds: [{ type: 'organization', value: 'E001' }],
  }),
  bob: user(2, 'bob', 'Bob', 'Okafor', { orgUnitPath: '/Engineering', organizations: [{ title: 'Engineering Manager', department: 'Engineering', primary: true }] }),
  carol: user(3, 'carol', 'Carol', 'Diaz', { suspended: true, suspensionReason: 'ADMIN', orgUnitPath: '/Sales', organizations: [{ department: 'Sales', primary: true }] }),
  dave: user(4, 'dave', 'Dave', 'Kim', { archived: true, orgUnitPath: '/Former' }),
  erin: user(5, 'erin', 'Erin', 'Walsh', { organizations: [{ department: 'Marketing', primary: true, description: 'Contractor' }] }),
}
type UserName = keyof typeof USERS

export function token(who: UserName, client: ClientName): GoogleToken {
  const c = CLIENTS[client]
  return { kind: 'admin#directory#token', etag: '"e"', clientId: c.clientId, displayText: c.displayText, anonymous: false, nativeApp: false, userKey: USERS[who].id, scopes: [...c.scopes] }
}

const DAY = 86_400_000

function activity(app: 'login' | 'saml' | 'token', who: UserName, at: number, qualifier: string, events: NonNullable<GoogleActivity['events']>): GoogleActivity {
  const u = USERS[who]
  return {
    kind: 'admin#reports#activity',
    id: { time: new Date(at).toISOString(), uniqueQualifier: qualifier, applicationName: app, customerId: CUSTOMER_ID },
    etag: '"a"',
    actor: { callerType: 'USER', email: u.primaryEmail as string, profileId: u.id as string },
    ipAddress: '203.0.113.7',
    events,
  }
}

function tokenEvent(who: UserName, client: ClientName, at: number, qualifier: string, name: 'authorize' | 'revoke'): GoogleActivity {
  const c = CLIENTS[client]
  return activity('token', who, at, qualifier, [{ type: 'auth', name, parameters: [
    { name: 'client_id', value: c.clientId }, { name: 'app_name', value: c.displayText }, { name: 'client_type', value: 'WEB' }, { name: 'scope', multiValue: [...c.scopes] },
  ] }])
}

function login(who: UserName, at: number, qualifier: string, name: string): GoogleActivity {
  return activity('login', who, at, qualifier, [{ type: 'login', name, parameters: [{ name: 'login_type', value: 'google_password' }, { name: 'is_suspicious', boolValue: false }] }])
}

function saml(who: UserName, at: number, qualifier: string, app: string, ok: boolean): GoogleActivity {
  return activity('saml', who, at, qualifier, [{ type: 'login', name: ok ? 'login_success' : 'login_failure', parameters: [
    { name: 'application_name', value: app }, { name: 'initiated_by', value: 'sp' }, { name: 'orgunit_path', value: '/' },
  ] }])
}

/**
 * A small tenant exercising every mapping: the three account states, a manager, risky and harmless tokens,
 * a token revoked since (history only), logins, a failed login, a logout (not a sign-in), SAML sign-ins.
 * `silentlyGone` adds an authorize event for a token the user no longer holds and never saw revoked.
 */
export function buildTenant(now: number = Date.now(), options: { silentlyGone?: boolean } = {}): FakeTenant {
  const d = (days: number, h = 0) => now - days * DAY + h * 3_600_000
  const tokens = new Map<string, GoogleToken[]>([
    [USERS.alice.id as string, [token('alice', 'slack'), token('alice', 'inboxpilot'), token('alice', 'zoom')]],
    [USERS.bob.id as string, [token('bob', 'slack'), token('bob', 'brightsheet')]],
    [USERS.carol.id as string, [token('carol', 'inboxpilot')]],
    [USERS.erin.id as string, [token('erin', 'figma')]],
  ])
  const tokenActivities = [
    tokenEvent('alice', 'inboxpilot', d(20), '101', 'authorize'),
    tokenEvent('alice', 'pipewise', d(15), '102', 'authorize'),
    tokenEvent('alice', 'pipewise', d(3), '103', 'revoke'),
    tokenEvent('bob', 'brightsheet', d(10), '104', 'authorize'),
    tokenEvent('erin', 'figma', d(2), '105', 'authorize'),
    activity('token', 'bob', d(1), '106', [{ type: 'auth', name: 'activity', parameters: [{ name: 'client_id', value: CLIENTS.slack.clientId }, { name: 'api_name', value: 'drive' }] }]),
  ]
  if (options.silentlyGone) tokenActivities.push(tokenEvent('erin', 'calendly', d(5), '107', 'authorize'))
  return {
    users: Object.values(USERS).map((u) => structuredClone(u)),
    tokens,
    activities: {
      login: [
        login('alice', d(1, 9), '201', 'login_success'),
        login('alice', d(1, 17), '202', 'logout'),
        login('bob', d(2, 8), '203', 'login_failure'),
        login('bob', d(2, 9), '204', 'login_success'),
        login('erin', d(4, 10), '205', 'login_success'),
      ],
      saml: [saml('alice', d(1, 10), '301', 'Canva', true), saml('bob', d(3, 11), '302', 'Hootsuite', false)],
      token: tokenActivities,
    },
  }
}

/** Writes the tenant as the exports file mode reads: users.list pages, per-user token files, activity files. */
export function writeTenantExports(tenant: FakeTenant, dir: string): { users: string; tokens: string; login: string; saml: string; token: string } {
  const google = join(dir, 'google')
  mkdirSync(join(google, 'tokens'), { recursive: true })
  const pages = []
  for (let i = 0; i < tenant.users.length; i += 2) {
    const more = i + 2 < tenant.users.length
    pages.push({ kind: 'admin#directory#users', etag: '"p"', users: tenant.users.slice(i, i + 2), ...(more ? { nextPageToken: `page-${i + 2}` } : {}) })
  }
  const paths = {
    users: join(google, 'users.json'),
    tokens: join(google, 'tokens'),
    login: join(google, 'activity-login.jsonl'),
    saml: join(google, 'activity-saml.jsonl'),
    token: join(google, 'activity-token.json'),
  }
  writeFileSync(paths.users, JSON.stringify(pages, null, 2))
  for (const u of tenant.users) {
    const items = tenant.tokens.get(u.id as string) ?? []
    writeFileSync(join(paths.tokens, `${u.primaryEmail}.json`), JSON.stringify({ kind: 'admin#directory#tokenList', etag: '"t"', ...(items.length ? { items } : {}) }, null, 2))
  }
  writeFileSync(paths.login, tenant.activities.login.map((a) => JSON.stringify(a)).join('\n') + '\n')
  writeFileSync(paths.saml, tenant.activities.saml.map((a) => JSON.stringify(a)).join('\n') + '\n')
  // The token log as saved API pages, newest first like the API answers.
  const sorted = [...tenant.activities.token].sort((a, b) => (b.id?.time ?? '').localeCompare(a.id?.time ?? ''))
  writeFileSync(paths.token, JSON.stringify([{ kind: 'admin#reports#activities', items: sorted.slice(0, 3), nextPageToken: 'n1' }, { kind: 'admin#reports#activities', items: sorted.slice(3) }]))
  return paths
}

/** A service account key file whose token_uri points at the fake, and the public half for the fake to verify with. */
export function writeServiceAccountKey(dir: string, tokenUri: string): { path: string; clientEmail: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const clientEmail = 'sightline@acme-inventory.iam.gserviceaccount.com'
  const path = join(dir, 'service-account.json')
  writeFileSync(path, JSON.stringify({
    type: 'service_account',
    project_id: 'acme-inventory',
    private_key_id: 'fake-key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    client_email: clientEmail,
    client_id: '109876543210987654321',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
  }))
  return { path, clientEmail, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string }
}

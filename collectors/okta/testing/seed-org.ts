// A small, deterministic Okta org for the fake: people in every lifecycle state, apps, assignments, a System Log.
import type { OktaApp, OktaAppUser, OktaLogEvent, OktaUser } from '../wire-types.js'
import type { FakeOkta } from './fake-okta.js'

export interface SeedOptions {
  users?: number
  /** Sign-in events in the System Log. */
  signins?: number
  start?: string
}

export function userId(i: number): string {
  return `00u${String(i).padStart(17, '0')}`
}

export const APPS: OktaApp[] = [
  { id: '0oaslack000000000001', name: 'slack', label: 'Slack', status: 'ACTIVE', signOnMode: 'SAML_2_0', created: '2024-01-02T03:04:05.000Z' },
  { id: '0oazoom0000000000002', name: 'zoomus', label: 'Zoom', status: 'ACTIVE', signOnMode: 'SAML_2_0' },
  { id: '0oafigma000000000003', name: 'figma', label: 'Figma', status: 'INACTIVE', signOnMode: 'SAML_2_0' },
  { id: '0oawiki0000000000004', name: 'bookmark', label: 'Team Wiki', status: 'ACTIVE', signOnMode: 'BOOKMARK', settings: { app: { url: 'https://wiki.northwind.example/start' } } },
]

const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'SUSPENDED', 'DEPROVISIONED', 'STAGED', 'LOCKED_OUT'] as const

export function seedOrg(fake: FakeOkta, options: SeedOptions = {}): void {
  const count = options.users ?? 12
  const start = Date.parse(options.start ?? '2026-03-01T08:00:00.000Z')
  fake.users = Array.from({ length: count }, (_, i): OktaUser => ({
    id: userId(i),
    status: STATUSES[i % STATUSES.length] as string,
    created: '2025-01-01T00:00:00.000Z',
    lastLogin: '2026-02-27T09:00:00.000Z',
    profile: {
      login: `person${i}@northwind.example`,
      email: `Person${i}@Northwind.example`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      department: i % 2 === 0 ? 'Engineering' : 'Sales',
      title: 'Engineer',
      manager: 'Ada Boss',
      managerId: userId(0),
      employeeNumber: String(1000 + i),
      userType: i % 5 === 4 ? 'Contractor' : 'Employee',
    },
  }))
  fake.apps = APPS.map((a) => ({ ...a }))
  fake.appUsers = new Map(
    fake.apps.map((a, ai) => [
      a.id,
      fake.users
        .filter((_, ui) => (ui + ai) % 2 === 0)
        .map((u, k): OktaAppUser => ({
          id: u.id,
          created: '2025-06-01T00:00:00.000Z',
          lastUpdated: '2026-01-15T00:00:00.000Z',
          scope: k % 3 === 0 ? 'GROUP' : 'USER',
          status: 'ACTIVE',
          credentials: { userName: u.profile?.login ?? null },
        })),
    ]),
  )
  const signins = options.signins ?? 30
  const logs: OktaLogEvent[] = []
  for (let i = 0; i < signins; i++) {
    const user = fake.users[i % count] as OktaUser
    const app = fake.apps[i % fake.apps.length] as OktaApp
    const session = i % 7 === 3
    logs.push({
      uuid: `ev-${String(i).padStart(6, '0')}-${'a'.repeat(8)}`,
      published: new Date(start + i * 60_000).toISOString(),
      eventType: session ? 'user.session.start' : 'user.authentication.sso',
      actor: { id: user.id, type: 'User', alternateId: user.profile?.login ?? null, displayName: `${user.profile?.firstName} ${user.profile?.lastName}` },
      client: { ipAddress: `10.0.0.${i % 250}`, userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh)' }, geographicalContext: { country: 'United States' } },
      outcome: { result: i % 11 === 5 ? 'FAILURE' : 'SUCCESS' },
      target: session ? [] : [{ id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.label }],
    })
  }
  const member = fake.users[1] as OktaUser
  logs.push({
    uuid: 'ev-membership-add-1',
    published: new Date(start + signins * 60_000).toISOString(),
    eventType: 'application.user_membership.add',
    actor: { id: userId(0), type: 'User', alternateId: 'person0@northwind.example' },
    outcome: { result: 'SUCCESS' },
    target: [
      { id: '0ua000000000000001', type: 'AppUser', alternateId: member.profile?.login ?? null },
      { id: APPS[0]!.id, type: 'AppInstance', alternateId: 'Slack', displayName: 'Slack' },
      { id: member.id, type: 'User', alternateId: member.profile?.login ?? null },
    ],
  })
  logs.push({
    uuid: 'ev-policy-1',
    published: new Date(start + (signins + 1) * 60_000).toISOString(),
    eventType: 'policy.evaluate_sign_on',
    outcome: { result: 'ALLOW' },
  })
  fake.logs = logs
}

/** How many seeded events are sign-ins Sightline stores (SUCCESS or FAILURE, with an app or an Okta session). */
export function expectedSignins(fake: FakeOkta): number {
  return fake.logs.filter((e) => e.eventType === 'user.authentication.sso' || e.eventType === 'user.session.start').length
}

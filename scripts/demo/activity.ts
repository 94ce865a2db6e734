// The event stream: one pass over the window, day by day, writing Okta System Log, Entra sign-ins, Google
// login/SAML/token activity and extension telemetry in time order. Only one day's events are held at a time.
import { APPS, NON_SAAS_DOMAINS, appByKey, type AppProfile } from './apps.js'
import { APP_INTENSITY, type AccessPlan, type Account, type Grant } from './access-plan.js'
import { entraUpn, type Company, type Person } from './company.js'
import type { LineWriter } from './line-writer.js'
import type { DemoTelemetryEvent } from './telemetry-batches.js'
import { HOME_NETWORKS, USER_AGENTS, type UserAgent } from './names.js'
import type { Rng } from './prng.js'
import type { Tenant } from './tenant.js'
import { DAY_MS, dayStart, iso, isoSeconds, isWeekend } from './time.js'

/** Scales every per-day rate; tuned so 5,000 people × 90 days give about ten million sign-in events. */
const VOLUME = 1.8
const WEEKEND_FACTOR = 0.08

const enum Src { Okta, Entra, GLogin, GSaml, GToken, Telemetry }
const enum OktaKind { Session, Sso, MemberAdd, MemberRemove, Deactivate }
const enum TelKind { Visit, Login, Signup, Consent }
const TEL_KINDS = ['visit', 'login', 'signup', 'oauth_consent'] as const

interface Ev {
  t: number
  s: Src
  p: number
  k: number
  /** App index into APPS, entra target index, grant index or domain index, by source. */
  x: number
  f: boolean
}

export interface ActivityWriters {
  readonly oktaLog: LineWriter
  readonly entraSignins: LineWriter
  readonly googleLogin: LineWriter
  readonly googleSaml: LineWriter
  readonly googleToken: LineWriter
  readonly telemetry: { line(event: DemoTelemetryEvent): Promise<void> | undefined }
}

export interface AfterEndSignIn {
  source: 'okta' | 'entra' | 'google'
  app: string
  count: number
  first: string
  last: string
}

export interface ActivityResult {
  readonly oktaLastLogin: (number | null)[]
  readonly googleLastLogin: (number | null)[]
  /** Sign-ins after a leaver's last day, per person index. */
  readonly afterEnd: Map<number, AfterEndSignIn[]>
  /** Which sources showed each app (telemetry, sign-in logs), for the shadow-app ground truth. */
  readonly evidence: Map<string, Set<string>>
  readonly signInEvents: number
}

const APP_INDEX = new Map(APPS.map((a, i) => [a.key, i]))
function appIdx(key: string): number {
  return APP_INDEX.get(key) as number
}

export async function writeActivity(rng: Rng, c: Company, plan: AccessPlan, tenant: Tenant, out: ActivityWriters, onDay: (done: number, total: number) => void): Promise<ActivityResult> {
  const people = c.people
  const endOfWindow = c.endMs + DAY_MS - 1
  const oktaLastLogin: (number | null)[] = people.map(() => null)
  const googleLastLogin: (number | null)[] = people.map(() => null)
  const afterEnd = new Map<number, AfterEndSignIn[]>()
  const evidence = new Map<string, Set<string>>()
  const note = (app: string, source: string): void => {
    let set = evidence.get(app)
    if (!set) evidence.set(app, (set = new Set()))
    set.add(source)
  }
  const domains: string[] = []
  const domainIndex = new Map<string, number>()
  const domainId = (d: string): number => {
    let i = domainIndex.get(d)
    if (i === undefined) {
      i = domains.length
      domains.push(d)
      domainIndex.set(d, i)
    }
    return i
  }
  const domainApp = new Map<number, string>()
  for (const a of APPS) for (const d of a.domains) domainApp.set(domainId(d), a.key)
  const noiseDomains = NON_SAAS_DOMAINS.map(domainId)

  // Per-person network and browser, stable for the run.
  const homeIp = people.map(() => `${rng.pick(HOME_NETWORKS)}${rng.int(1, 254)}.${rng.int(1, 254)}.${rng.int(1, 254)}`)
  const agent = people.map(() => rng.pick(USER_AGENTS.slice(0, 4)))
  const sessionId = people.map(() => `102${rng.base62(22)}`)
  const fragments: (Fragments | undefined)[] = people.map(() => undefined)
  const frag = (p: Person): Fragments => (fragments[p.idx] ??= fragmentsFor(p, agent[p.idx] as UserAgent))
  // Okta app-user ids are stable per person and app.
  const appUserIds = new Map<number, string>()
  const appUserId = (p: Person, app: number): string => {
    const k = p.idx * 1000 + app
    let id = appUserIds.get(k)
    if (!id) appUserIds.set(k, (id = `0ua${rng.base62(17)}`))
    return id
  }
  // Lifecycle changes are made by the Head of IT, a real HR person (an invented admin would be an orphan identity).
  const admin = people.find((p) => p.title === 'Head of IT') as Person
  const adminActor = fragmentsFor(admin, agent[admin.idx] as UserAgent).oktaActor
  const ipFor = (p: Person): string => (p.office.egressPrefix && rng.chance(0.7) ? `${p.office.egressPrefix}${rng.int(10, 40)}` : (homeIp[p.idx] as string))

  // Events scheduled by the plan rather than by usage: lifecycle changes and token grants/revocations.
  const scheduled = new Map<number, Ev[]>()
  const schedule = (e: Ev): void => {
    if (e.t < c.windowStartMs || e.t > endOfWindow) return
    const day = dayStart(e.t)
    const list = scheduled.get(day) ?? []
    list.push(e)
    scheduled.set(day, list)
  }
  for (const acc of plan.accounts) {
    if (acc.via !== 'okta') continue
    schedule({ t: acc.createdMs, s: Src.Okta, p: acc.person, k: OktaKind.MemberAdd, x: appIdx(acc.app), f: false })
    if (acc.removedMs !== null) schedule({ t: acc.removedMs, s: Src.Okta, p: acc.person, k: OktaKind.MemberRemove, x: appIdx(acc.app), f: false })
  }
  for (const p of people) {
    if (p.offboarding !== null && p.offboarding !== 'okta-active' && p.endMs !== null) {
      schedule({ t: p.endMs + 3600_000, s: Src.Okta, p: p.idx, k: OktaKind.Deactivate, x: -1, f: false })
    }
  }
  // The consent screen the extension saw before each Google grant: its client id and scopes go in the event.
  const consentGrant = new Map<string, Grant>()
  plan.grants.forEach((g, gi) => {
    if (g.source !== 'google') return
    schedule({ t: g.createdMs, s: Src.GToken, p: g.person, k: 0, x: gi, f: false })
    if (g.revokedMs !== null) schedule({ t: g.revokedMs, s: Src.GToken, p: g.person, k: 1, x: gi, f: false })
    const p = people[g.person] as Person
    if (p.deviceId) {
      const x = domainId((appByKey(g.app).domains[0]) as string)
      consentGrant.set(`${g.person}|${x}`, g)
      schedule({ t: g.createdMs - 40_000, s: Src.Telemetry, p: g.person, k: TelKind.Consent, x, f: false })
    }
  })
  // Entra consent apps a person can sign in to: surviving or not, only from the grant date on.
  const entraGrantsByPerson = new Map<number, Grant[]>()
  for (const g of plan.grants) {
    if (g.source !== 'entra') continue
    const list = entraGrantsByPerson.get(g.person) ?? []
    list.push(g)
    entraGrantsByPerson.set(g.person, list)
  }

  // One forced sign-in after the last day for leavers who keep signing in, so the trace always exists.
  const forcedAfterEnd = new Map<number, number>()
  for (const p of people) {
    if (!p.signsInAfterEnd || p.endMs === null) continue
    const from = Math.max(p.endMs + DAY_MS, c.windowStartMs)
    if (from > c.endMs) continue
    forcedAfterEnd.set(p.idx, from + rng.int(0, Math.floor((c.endMs - from) / DAY_MS)) * DAY_MS)
  }

  let signInEvents = 0
  let current: Ev[] = []
  let next: Ev[] = []
  const push = (e: Ev): void => {
    if (e.t > endOfWindow) e.t = endOfWindow - rng.int(1, 3600) * 1000
    if (e.t < c.windowStartMs) return
    if (e.t >= dayOfCurrent + DAY_MS) next.push(e)
    else current.push(e)
  }
  let dayOfCurrent = c.windowStartMs

  const localTime = (p: Person, dayMs: number): number => {
    // Working hours 08:00-19:00 local, a little earlier/later at random.
    const hour = 8 + rng.next() * 11
    return dayMs + Math.floor((hour - p.office.utcOffset) * 3600_000)
  }

  const serialize = async (e: Ev): Promise<void> => {
    const p = people[e.p] as Person
    switch (e.s) {
      case Src.Okta: {
        const ev = oktaEvent(rng, tenant, p, e, frag(p), ipFor(p), sessionId[e.p] as string, e.x >= 0 ? appUserId(p, e.x) : '', adminActor)
        if (e.k === OktaKind.Session || e.k === OktaKind.Sso) signInEvents++
        await out.oktaLog.rawLine(ev)
        return
      }
      case Src.Entra:
        signInEvents++
        await out.entraSignins.rawLine(entraSignIn(rng, tenant, e, frag(p), ipFor(p)))
        return
      case Src.GLogin:
        signInEvents++
        await out.googleLogin.line(googleActivity(rng, tenant, p, e.t, 'login', ipFor(p), [loginEvent(e.f)]))
        return
      case Src.GSaml: {
        signInEvents++
        const a = APPS[e.x] as AppProfile
        const name = a.sso?.idp === 'google-saml' ? a.sso.applicationName : a.name
        await out.googleSaml.line(googleActivity(rng, tenant, p, e.t, 'saml', ipFor(p), [{ type: 'login', name: 'login_success', parameters: [
          { name: 'application_name', value: name }, { name: 'initiated_by', value: 'sp' }, { name: 'orgunit_path', value: orgUnit(p) }, { name: 'saml_status_code', value: 'SUCCESS_URI' },
        ] }]))
        return
      }
      case Src.GToken: {
        const g = plan.grants[e.x] as Grant
        const a = appByKey(g.app)
        await out.googleToken.line(googleActivity(rng, tenant, p, e.t, 'token', ipFor(p), [{ type: 'auth', name: e.k === 0 ? 'authorize' : 'revoke', parameters: [
          { name: 'client_id', value: tenant.googleClientId.get(g.app) as string },
          { name: 'app_name', value: a.googleOAuth?.displayText ?? a.name },
          { name: 'client_type', value: 'WEB' },
          { name: 'scope', multiValue: [...g.scopes] },
        ] }]))
        return
      }
      case Src.Telemetry: {
        const domain = domains[e.x] as string
        const eventId = rng.uuid()
        const base = { eventId, deviceId: p.deviceId as string, userEmail: p.email as string, domain, kind: TEL_KINDS[e.k] as string, occurredAt: iso(e.t) }
        const g = e.k === TelKind.Consent ? consentGrant.get(`${e.p}|${e.x}`) : undefined
        await out.telemetry.line(g ? { ...base, provider: 'google', clientId: tenant.googleClientId.get(g.app) as string, scopes: [...g.scopes] } : base)
        const app = domainApp.get(e.x)
        if (app) note(app, 'telemetry')
        return
      }
    }
  }

  const flush = async (events: Ev[]): Promise<void> => {
    events.sort((a, b) => a.t - b.t || a.s - b.s || a.p - b.p || a.k - b.k || a.x - b.x)
    for (const e of events) {
      const pending = serialize(e)
      await pending
      trackLast(e)
    }
  }
  const trackLast = (e: Ev): void => {
    if (e.s === Src.Okta && e.k === OktaKind.Session && !e.f) oktaLastLogin[e.p] = e.t
    if (e.s === Src.GLogin && !e.f) googleLastLogin[e.p] = e.t
    const p = people[e.p] as Person
    if (p.endMs === null || p.hrStatus !== 'Inactive' || e.t < p.endMs + DAY_MS || e.f) return
    let source: AfterEndSignIn['source'] | null = null
    let app = ''
    if (e.s === Src.Okta && e.k === OktaKind.Sso) { source = 'okta'; app = (APPS[e.x] as AppProfile).key }
    else if (e.s === Src.Entra) { source = 'entra'; app = tenant.entraTargets[e.x]?.appKey ?? '' }
    else if (e.s === Src.GLogin) { source = 'google'; app = 'google-workspace' }
    if (!source) return
    const list = afterEnd.get(e.p) ?? []
    let row = list.find((r) => r.source === source && r.app === app)
    if (!row) list.push((row = { source, app, count: 0, first: iso(e.t), last: iso(e.t) }))
    row.count++
    row.last = iso(e.t)
    afterEnd.set(e.p, list)
  }

  // Prelude: planted inactive seats whose last sign-in predates the window are logged before it.
  const prelude: Ev[] = []
  for (const acc of plan.accounts) {
    if (acc.inactiveLastMs === null || acc.inactiveLastMs >= c.windowStartMs) continue
    prelude.push(usageEvent(tenant, acc, acc.inactiveLastMs))
  }
  prelude.sort((a, b) => a.t - b.t || a.p - b.p)
  for (const e of prelude) {
    await serialize(e)
  }

  const days = Math.round((c.endMs - c.windowStartMs) / DAY_MS) + 1
  for (let d = 0; d < days; d++) {
    const dayMs = c.windowStartMs + d * DAY_MS
    dayOfCurrent = dayMs
    const f = (isWeekend(dayMs) ? WEEKEND_FACTOR : 1) * VOLUME
    for (const e of scheduled.get(dayMs) ?? []) push(e)
    for (const p of people) {
      if (dayMs < p.hireMs) continue
      const left = p.hrStatus === 'Inactive' && p.endMs !== null && dayMs >= p.endMs
      if (left) {
        if (p.signsInAfterEnd && (forcedAfterEnd.get(p.idx) === dayMs || (!isWeekend(dayMs) && rng.chance(0.2)))) leakySignIn(p, dayMs)
        continue
      }
      dailyUse(p, dayMs, f)
    }
    await flush(current)
    current = next
    next = []
    onDay(d + 1, days)
  }
  await flush(current)
  return { oktaLastLogin, googleLastLogin, afterEnd, evidence, signInEvents }

  function usageEvent(t: Tenant, acc: Account, at: number): Ev {
    if (acc.via === 'okta') return { t: at, s: Src.Okta, p: acc.person, k: OktaKind.Sso, x: appIdx(acc.app), f: false }
    return { t: at, s: Src.Entra, p: acc.person, k: 0, x: t.entraTargetIndex.get(acc.app) as number, f: false }
  }

  function leakySignIn(p: Person, dayMs: number): void {
    const t = localTime(p, dayMs)
    if (p.offboarding === 'okta-active') {
      const live = (plan.accountsByPerson[p.idx] as Account[]).filter((a) => a.via === 'okta' && a.removedMs === null)
      if (live.length === 0) return
      push({ t, s: Src.Okta, p: p.idx, k: OktaKind.Session, x: -1, f: false })
      push(usageEvent(tenant, rng.pick(live), t + rng.int(5, 90) * 1000))
    } else if (p.offboarding === 'entra-enabled') {
      push({ t, s: Src.Entra, p: p.idx, k: 0, x: tenant.entraTargetIndex.get('microsoft-teams') as number, f: false })
    }
  }

  function dailyUse(p: Person, dayMs: number, f: number): void {
    const dayEnd = dayMs + DAY_MS
    if (p.sources.okta && !p.oktaStatusOverride) {
      const sessions = rng.poisson(1.3 * f)
      for (let i = 0; i < sessions; i++) push({ t: localTime(p, dayMs), s: Src.Okta, p: p.idx, k: OktaKind.Session, x: -1, f: rng.chance(0.02) })
    }
    if (p.sources.google) {
      const logins = rng.poisson(0.9 * f)
      for (let i = 0; i < logins; i++) push({ t: localTime(p, dayMs), s: Src.GLogin, p: p.idx, k: 0, x: -1, f: rng.chance(0.03) })
    }
    if (p.sources.entra) {
      const m365 = rng.poisson(2.2 * f)
      for (let i = 0; i < m365; i++) push({ t: localTime(p, dayMs), s: Src.Entra, p: p.idx, k: 0, x: tenant.m365Targets[i % 2] as number, f: rng.chance(0.015) })
    }
    for (const acc of plan.accountsByPerson[p.idx] as Account[]) {
      if (acc.createdMs >= dayEnd || (acc.removedMs !== null && acc.removedMs < dayMs)) continue
      if (acc.inactiveLastMs !== null) {
        const lastDay = dayStart(acc.inactiveLastMs)
        if (dayMs > lastDay) continue
        if (dayMs === lastDay) {
          push(usageEvent(tenant, acc, acc.inactiveLastMs))
          continue
        }
      }
      let n = rng.poisson((APP_INTENSITY[acc.app] ?? 0.3) * f)
      if (n === 0 && acc.anchorDayMs === dayMs) n = 1
      for (let i = 0; i < n; i++) {
        const t = Math.max(localTime(p, dayMs), acc.createdMs + 60_000)
        push(usageEvent(tenant, acc, t))
      }
      if (p.deviceId && acc.inactiveLastMs === null && n > 0) {
        const a = appByKey(acc.app)
        const visits = rng.poisson(0.5 * n)
        for (let i = 0; i < visits; i++) push({ t: localTime(p, dayMs), s: Src.Telemetry, p: p.idx, k: i === 0 && rng.chance(0.3) ? TelKind.Login : TelKind.Visit, x: domainId(a.domains[0] as string), f: false })
      }
    }
    for (const ad of plan.adoptionsByPerson[p.idx] ?? []) {
      if (ad.sinceMs > dayMs) continue
      const a = appByKey(ad.app)
      if (a.sso?.idp === 'google-saml' && p.sources.google) {
        const n = rng.poisson(0.5 * f)
        for (let i = 0; i < n; i++) {
          push({ t: localTime(p, dayMs), s: Src.GSaml, p: p.idx, k: 0, x: appIdx(a.key), f: false })
          note(a.key, 'google-saml')
        }
      }
      if (p.deviceId) {
        if (ad.sinceMs === dayMs) push({ t: localTime(p, dayMs), s: Src.Telemetry, p: p.idx, k: TelKind.Signup, x: domainId(a.domains[0] as string), f: false })
        const n = rng.poisson(0.35 * f)
        for (let i = 0; i < n; i++) push({ t: localTime(p, dayMs), s: Src.Telemetry, p: p.idx, k: TelKind.Visit, x: domainId(rng.pick(a.domains)), f: false })
      }
    }
    for (const g of entraGrantsByPerson.get(p.idx) ?? []) {
      if (g.createdMs >= dayEnd || (g.revokedMs !== null && g.revokedMs < dayMs)) continue
      const n = rng.poisson(0.25 * f)
      for (let i = 0; i < n; i++) {
        push({ t: Math.max(localTime(p, dayMs), g.createdMs + 60_000), s: Src.Entra, p: p.idx, k: 0, x: tenant.entraTargetIndex.get(g.app) as number, f: false })
        note(g.app, 'entra-signin')
      }
    }
    if (p.deviceId) {
      const n = rng.poisson(0.8 * f)
      for (let i = 0; i < n; i++) push({ t: localTime(p, dayMs), s: Src.Telemetry, p: p.idx, k: TelKind.Visit, x: rng.pick(noiseDomains), f: false })
    }
  }
}

function orgUnit(p: Person): string {
  return p.department ? `/${p.department}` : '/Service Accounts'
}

function displayName(p: Person): string {
  return `${p.firstName} ${p.lastName}`
}

/** Per-person JSON fragments reused by every event of that person (the logs are large; stringify once). */
interface Fragments {
  readonly oktaActor: string
  readonly oktaClientHead: string
  readonly oktaGeo: string
  readonly oktaUserTarget: string
  readonly entraUser: string
  readonly entraDevice: string
  readonly entraDeviceDesktop: string
  readonly entraLocation: string
}

function fragmentsFor(p: Person, ua: UserAgent): Fragments {
  const name = displayName(p)
  const browser = ua.browser === 'SAFARI' ? 'Safari 18.1' : ua.browser === 'EDGE_CHROMIUM' ? 'Edge 131.0.0' : 'Chrome 131.0.0'
  const os = ua.os.startsWith('Mac') ? 'MacOs' : 'Windows10'
  const device = (b: string): string => JSON.stringify({ deviceId: '', displayName: '', operatingSystem: os, browser: b, isCompliant: false, isManaged: false, trustType: '' })
  return {
    oktaActor: JSON.stringify({ id: p.oktaId, type: 'User', alternateId: p.email, displayName: name, detailEntry: null }),
    oktaClientHead: `{"userAgent":${JSON.stringify({ rawUserAgent: ua.raw, os: ua.os, browser: ua.browser })},"zone":"null","device":${JSON.stringify(ua.device)},"id":null,"ipAddress":`,
    oktaGeo: JSON.stringify({ city: p.office.city, state: p.office.state, country: p.office.country, postalCode: null }),
    oktaUserTarget: JSON.stringify({ id: p.oktaId, type: 'User', alternateId: p.email, displayName: name, detailEntry: null }),
    entraUser: `"userDisplayName":${JSON.stringify(name)},"userPrincipalName":${JSON.stringify(entraUpn(p))},"userId":${JSON.stringify(p.entraId)}`,
    entraDevice: device(browser),
    entraDeviceDesktop: device(''),
    entraLocation: JSON.stringify({ city: p.office.city, state: p.office.state, countryOrRegion: p.office.countryCode }),
  }
}

function oktaEvent(rng: Rng, tenant: Tenant, p: Person, e: Ev, fr: Fragments, ip: string, sessionId: string, appUserId: string, adminActor: string): string {
  const app = e.x >= 0 ? (APPS[e.x] as AppProfile) : null
  const appTarget = app && app.sso?.idp === 'okta'
    ? JSON.stringify({ id: tenant.oktaAppId.get(app.key), type: 'AppInstance', alternateId: app.sso.label, displayName: app.sso.label, detailEntry: { signOnModeType: app.sso.signOnMode } })
    : 'null'
  const appUser = `{"id":"${appUserId}","type":"AppUser","alternateId":${JSON.stringify(p.email)},"displayName":${JSON.stringify(displayName(p))},"detailEntry":null}`
  let eventType: string
  let legacy: string
  let message: string
  let target = 'null'
  let reason = 'null'
  switch (e.k) {
    case OktaKind.Session:
      eventType = 'user.session.start'
      legacy = e.f ? 'core.user_auth.login_failed' : 'core.user_auth.login_success'
      message = 'User login to Okta'
      reason = e.f ? '"INVALID_CREDENTIALS"' : 'null'
      break
    case OktaKind.Sso:
      eventType = 'user.authentication.sso'
      legacy = 'app.auth.sso'
      message = 'User single sign on to app'
      target = `[${appTarget},${appUser}]`
      break
    case OktaKind.MemberAdd:
      eventType = 'application.user_membership.add'
      legacy = 'app.generic.provision.assign_user_to_app'
      message = 'Add user to application membership'
      target = `[${appUser},${appTarget}]`
      break
    case OktaKind.MemberRemove:
      eventType = 'application.user_membership.remove'
      legacy = 'app.generic.unauth_app_access_attempt'
      message = 'Remove user from application membership'
      target = `[${appUser},${appTarget}]`
      break
    default:
      eventType = 'user.lifecycle.deactivate'
      legacy = 'core.user.config.user_deactivated'
      message = 'Deactivate Okta user'
      target = `[${fr.oktaUserTarget}]`
  }
  const admin = e.k === OktaKind.MemberAdd || e.k === OktaKind.MemberRemove || e.k === OktaKind.Deactivate
  const uri = app && e.k === OktaKind.Sso && app.sso?.idp === 'okta' ? `/app/${app.sso.oktaName}/${tenant.oktaInstance.get(app.key)}/sso/saml` : '/api/v1/authn'
  return '{"actor":' + (admin ? adminActor : fr.oktaActor) +
    ',"client":' + fr.oktaClientHead + JSON.stringify(ip) + ',"geographicalContext":' + fr.oktaGeo + '}' +
    ',"authenticationContext":{"authenticationProvider":null,"credentialProvider":null,"credentialType":null,"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":"' + sessionId + '"}' +
    ',"displayMessage":"' + message + '","eventType":"' + eventType + '"' +
    ',"outcome":{"result":"' + (e.f ? 'FAILURE' : 'SUCCESS') + '","reason":' + reason + '}' +
    ',"published":"' + iso(e.t) + '","severity":"' + (e.f ? 'WARN' : 'INFO') + '"' +
    ',"debugContext":{"debugData":{"requestId":"' + rng.base62(27) + '","requestUri":"' + uri + '"}}' +
    ',"legacyEventType":"' + legacy + '","transaction":{"type":"WEB","id":"' + rng.base62(27) + '","detail":{}}' +
    ',"uuid":"' + rng.uuid() + '","version":"0","target":' + target + '}'
}

function entraSignIn(rng: Rng, tenant: Tenant, e: Ev, fr: Fragments, ip: string): string {
  const target = tenant.entraTargets[e.x]
  if (!target) throw new Error(`demo: entra sign-in: no target ${e.x}`)
  const interactive = target.interactive && rng.chance(0.6)
  const desktop = !target.interactive
  const status = e.f
    ? '{"errorCode":50126,"failureReason":"Error validating credentials due to invalid username or password.","additionalDetails":null}'
    : '{"errorCode":0,"failureReason":null,"additionalDetails":null}'
  return '{"id":"' + rng.uuid() + '","createdDateTime":"' + isoSeconds(e.t) + '",' + fr.entraUser +
    ',"appId":"' + target.appId + '","appDisplayName":' + JSON.stringify(target.appDisplayName) + ',"ipAddress":' + JSON.stringify(ip) +
    ',"clientAppUsed":"' + (desktop ? 'Mobile Apps and Desktop clients' : 'Browser') + '","correlationId":"' + rng.uuid() + '"' +
    ',"conditionalAccessStatus":"notApplied","isInteractive":' + String(interactive) +
    ',"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes_v2":[]' +
    ',"resourceDisplayName":' + JSON.stringify(target.resourceDisplayName) + ',"resourceId":"' + target.resourceId + '"' +
    ',"status":' + status + ',"deviceDetail":' + (desktop ? fr.entraDeviceDesktop : fr.entraDevice) +
    ',"location":' + fr.entraLocation + ',"appliedConditionalAccessPolicies":[]}'
}

function loginEvent(failed: boolean): { type: string; name: string; parameters: unknown[] } {
  if (failed) {
    return { type: 'login', name: 'login_failure', parameters: [
      { name: 'login_type', value: 'google_password' }, { name: 'login_challenge_method', multiValue: ['password'] },
      { name: 'login_failure_type', value: 'login_failure_invalid_password' }, { name: 'is_suspicious', boolValue: false },
    ] }
  }
  return { type: 'login', name: 'login_success', parameters: [
    { name: 'login_type', value: 'saml' }, { name: 'login_challenge_method', multiValue: ['none'] }, { name: 'is_suspicious', boolValue: false },
  ] }
}

function googleActivity(rng: Rng, tenant: Tenant, p: Person, t: number, applicationName: string, ip: string, events: unknown[]): unknown {
  return {
    kind: 'admin#reports#activity',
    id: { time: iso(t), uniqueQualifier: `${rng.chance(0.5) ? '-' : ''}${rng.int(1, 9)}${rng.digits(18)}`, applicationName, customerId: tenant.googleCustomerId },
    etag: `"${rng.base62(27)}/${rng.base62(27)}"`,
    actor: { callerType: 'USER', email: p.email, profileId: p.googleId },
    ipAddress: ip,
    events,
  }
}

// End-to-end checks of a small demo company: determinism, file formats, cross-file ids, and that every
// ground-truth case is visible in the raw files (and that no accidental case is).
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HIGH_RISK_SCOPES } from './apps.js'
import { ROSTER_HEADER } from './hr.js'
import { generateDemoCompany, type DemoManifest } from './index.js'
import { SPEND_HEADERS } from './spend.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const OPTS = { people: 60, days: 14, seed: 7 }
const DAY = 86_400_000
let root: string
let out: string
let manifest: DemoManifest

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}
function digest(dir: string): Map<string, string> {
  return new Map(walk(dir).map((f) => [relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex')]))
}
const read = (rel: string): string => readFileSync(join(out, rel), 'utf8')
const json = (rel: string): any => JSON.parse(read(rel)) // eslint-disable-line @typescript-eslint/no-explicit-any
const jsonl = (rel: string): Json[] => read(rel).split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Json)
const csv = (rel: string): string[][] => Papa.parse<string[]>(read(rel).trimEnd(), { skipEmptyLines: true }).data
const pagesValue = (rel: string): Json[] => (json(rel) as Json[]).flatMap((page) => page.value as Json[])

// Parsed once for all tests.
let truth: Json
let roster: Map<string, Record<string, string>>
let oktaUsers: Json[]
let oktaApps: Json[]
let oktaLog: Json[]
let entraUsers: Json[]
let entraSps: Json[]
let entraGrants: Json[]
let entraAssignments: Json[]
let entraSignins: Json[]
let googleUsers: Json[]
let telemetry: Json[]
let appUsers: Map<string, Json[]>

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sightline-demo-'))
  out = join(root, 'a')
  manifest = await generateDemoCompany({ outDir: out, ...OPTS })
  truth = json('ground-truth.json')
  const rows = csv('hr/roster.csv')
  const header = rows[0] as string[]
  roster = new Map(rows.slice(1).map((r) => {
    const rec = Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))
    return [rec['Work Email'] as string, rec]
  }))
  oktaUsers = json('okta/users.json')
  oktaApps = json('okta/apps.json')
  oktaLog = jsonl('okta/system-log.jsonl')
  entraUsers = pagesValue('entra/users.json')
  entraSps = pagesValue('entra/servicePrincipals.json')
  entraGrants = pagesValue('entra/oauth2PermissionGrants.json')
  entraAssignments = pagesValue('entra/appRoleAssignments.json')
  entraSignins = jsonl('entra/signins.jsonl')
  googleUsers = (json('google/users.json') as Json[]).flatMap((p) => p.users as Json[])
  telemetry = jsonl('telemetry/batches.jsonl').flatMap((l) => (l.batch.events as Json[]).map((e) => ({ ...e, deviceId: l.device })))
  appUsers = new Map(oktaApps.map((a) => [a.id as string, json(`okta/app-users/${a.id}.json`) as Json[]]))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

/** Resolve sign-in events to (email, app key, time) using the ground truth's ids. */
function signIns(): { email: string; app: string; t: number; source: string }[] {
  const byOktaApp = new Map<string, string>()
  for (const s of truth.sanctionedApps as Json[]) if (s.oktaAppId) byOktaApp.set(s.oktaAppId, s.key)
  const spKey = new Map<string, string>()
  for (const s of truth.sanctionedApps as Json[]) if (s.entraServicePrincipalId) spKey.set(s.entraServicePrincipalId, s.key)
  const appIdKey = new Map<string, string>()
  for (const sp of entraSps) if (spKey.has(sp.id)) appIdKey.set(sp.appId, spKey.get(sp.id) as string)
  appIdKey.set('4765445b-32c6-49b0-83e6-1d93765276ca', 'microsoft-365')
  appIdKey.set('d3590ed6-52b3-4102-aeff-aad2292ab01c', 'microsoft-365')
  const out: { email: string; app: string; t: number; source: string }[] = []
  for (const e of oktaLog) {
    if (e.eventType !== 'user.authentication.sso' || e.outcome.result !== 'SUCCESS') continue
    out.push({ email: e.actor.alternateId, app: byOktaApp.get(e.target[0].id) ?? '?', t: Date.parse(e.published), source: 'okta' })
  }
  for (const e of entraSignins) {
    if (e.status.errorCode !== 0) continue
    out.push({ email: String(e.userPrincipalName).toLowerCase(), app: appIdKey.get(e.appId) ?? `entra:${e.appId}`, t: Date.parse(e.createdDateTime), source: 'entra' })
  }
  return out
}

describe('generateDemoCompany', () => {
  it('should write byte-identical files for the same seed and options, and different ones for another seed', async () => {
    const again = join(root, 'b')
    const other = join(root, 'c')
    await generateDemoCompany({ outDir: again, ...OPTS })
    await generateDemoCompany({ outDir: other, ...OPTS, seed: 8 })
    const a = digest(out)
    expect(digest(again)).toEqual(a)
    const c = digest(other)
    expect(c.get('okta/system-log.jsonl')).not.toBe(a.get('okta/system-log.jsonl'))
    rmSync(again, { recursive: true, force: true })
    rmSync(other, { recursive: true, force: true })
  })

  it('should list every written file in the manifest with its record count', () => {
    const onDisk = walk(out).map((f) => relative(out, f))
    const listed = manifest.files.map((f) => f.path)
    expect([...listed, manifest.groundTruthPath].sort()).toEqual([...onDisk].sort())
    const log = manifest.files.find((f) => f.path === 'okta/system-log.jsonl')
    expect(log?.records).toBe(oktaLog.length)
    expect(manifest.files.find((f) => f.path === 'hr/roster.csv')?.records).toBe(roster.size)
    expect(manifest.groundTruthPath).toBe('ground-truth.json')
  })

  it('should write CSV headers exactly as BambooHR and LAYOUTS.md give them, with full rows', () => {
    expect(csv('hr/roster.csv')[0]).toEqual([...ROSTER_HEADER])
    const layouts = readFileSync(new URL('../../collectors/spend-csv/LAYOUTS.md', import.meta.url), 'utf8')
    for (const [file, header] of Object.entries(SPEND_HEADERS)) {
      const rows = csv(`spend/${file}.csv`)
      expect(rows[0]).toEqual([...header])
      expect(layouts.split('\n')).toContain(header.join(','))
      const amountAt = header.indexOf('Amount')
      for (const r of rows) expect(r.length, `${file}: ${r.join('|')}`).toBe(header.length)
      for (const r of rows.slice(1)) expect(Number(String(r[amountAt]).replace(/,/g, '')), `${file}: ${r.join('|')}`).not.toBe(0)
      expect(rows.length).toBeGreaterThan(20)
    }
  })

  it('should write every JSON Lines file as one parseable object per line, in time order', () => {
    const times = (events: Json[], f: (e: Json) => string): void => {
      for (let i = 1; i < events.length; i++) expect(f(events[i] as Json) >= f(events[i - 1] as Json)).toBe(true)
    }
    times(oktaLog, (e) => e.published)
    times(entraSignins, (e) => e.createdDateTime)
    // Batched per device, as devices post them: time order holds within each device.
    const byDevice = new Map<string, Json[]>()
    for (const e of telemetry) byDevice.set(e.deviceId as string, [...(byDevice.get(e.deviceId as string) ?? []), e])
    for (const events of byDevice.values()) times(events, (e) => e.occurredAt)
    for (const f of ['google/activity-login.jsonl', 'google/activity-saml.jsonl', 'google/activity-token.jsonl']) {
      const events = jsonl(f)
      expect(events.length).toBeGreaterThan(0)
      for (const e of events) {
        expect(e.kind).toBe('admin#reports#activity')
        expect(e.id.applicationName).toBe(f.includes('login') ? 'login' : f.includes('saml') ? 'saml' : 'token')
      }
      times(events, (e) => e.id.time)
    }
  })

  it('should keep ids consistent across files', () => {
    const oktaIds = new Set(oktaUsers.map((u) => u.id))
    const oktaAppIds = new Set(oktaApps.map((a) => a.id))
    for (const e of oktaLog) {
      expect(oktaIds.has(e.actor.id)).toBe(true)
      for (const t of e.target ?? []) {
        if (t.type === 'AppInstance') expect(oktaAppIds.has(t.id)).toBe(true)
        if (t.type === 'User') expect(oktaIds.has(t.id)).toBe(true)
      }
    }
    for (const [, assignments] of appUsers) for (const a of assignments) expect(oktaIds.has(a.id)).toBe(true)
    const entraIds = new Set(entraUsers.map((u) => u.id))
    const spIds = new Set(entraSps.map((s) => s.id))
    const spAppIds = new Set(entraSps.map((s) => s.appId))
    for (const s of entraSignins) {
      expect(entraIds.has(s.userId)).toBe(true)
      expect(spAppIds.has(s.appId) || s.appDisplayName === 'Microsoft Teams').toBe(true)
    }
    for (const g of entraGrants) {
      expect(spIds.has(g.clientId)).toBe(true)
      expect(spIds.has(g.resourceId)).toBe(true)
      if (g.consentType === 'Principal') expect(entraIds.has(g.principalId)).toBe(true)
    }
    for (const a of entraAssignments) {
      expect(entraIds.has(a.principalId)).toBe(true)
      expect(spIds.has(a.resourceId)).toBe(true)
    }
    const googleIds = new Set(googleUsers.map((u) => u.id))
    const tokenFiles = readdirSync(join(out, 'google/tokens'))
    expect(tokenFiles.length).toBe(googleUsers.length)
    for (const u of googleUsers) {
      const list = json(`google/tokens/${u.primaryEmail}.json`)
      expect(list.kind).toBe('admin#directory#tokenList')
      for (const t of list.items ?? []) expect(t.userKey).toBe(u.id)
    }
    for (const f of ['google/activity-login.jsonl', 'google/activity-saml.jsonl', 'google/activity-token.jsonl']) {
      for (const e of jsonl(f)) expect(googleIds.has(e.actor.profileId)).toBe(true)
    }
    const everyone = new Set([...oktaUsers.map((u) => u.profile.email), ...googleUsers.map((u) => u.primaryEmail)])
    for (const t of telemetry) {
      expect(everyone.has(t.userEmail)).toBe(true)
      expect(t.deviceId).toMatch(/^[0-9a-f-]{36}$/)
      expect(t).not.toHaveProperty('url')
    }
    for (const [, r] of roster) if (r['Supervisor Email']) expect(roster.has(r['Supervisor Email'] as string)).toBe(true)
  })

  it('should define sanctioned apps as ACTIVE Okta apps and Entra apps with assignments', () => {
    const activeLabels = new Set(oktaApps.filter((a) => a.status === 'ACTIVE').map((a) => a.id))
    const assignedSps = new Set(entraAssignments.map((a) => a.resourceId))
    for (const s of truth.sanctionedApps as Json[]) {
      if (s.via === 'okta') expect(activeLabels.has(s.oktaAppId)).toBe(true)
      else expect(assignedSps.has(s.entraServicePrincipalId)).toBe(true)
    }
    expect(activeLabels.size + assignedSps.size).toBe((truth.sanctionedApps as Json[]).length)
  })

  it('should show every trace of terminated people with access in the raw files', () => {
    const cases = truth.terminatedWithAccess as Json[]
    expect(cases.length).toBeGreaterThanOrEqual(3)
    const events = signIns()
    for (const c of cases) {
      const hr = roster.get(c.email)
      expect(hr?.Status).toBe('Inactive')
      expect(hr?.['Termination Date']).toBe(c.terminationDate)
      expect(c.traces.length).toBeGreaterThan(0)
      const okta = oktaUsers.find((u) => u.profile.email === c.email) as Json
      const entra = entraUsers.find((u) => String(u.userPrincipalName).toLowerCase() === c.email) as Json
      for (const t of c.traces as Json[]) {
        if (t.kind === 'directory-account' && t.source === 'okta') expect(okta.status).toBe('ACTIVE')
        if (t.kind === 'directory-account' && t.source === 'google') expect(googleUsers.find((u) => u.primaryEmail === c.email)?.suspended).toBe(false)
        if (t.kind === 'directory-account' && t.source === 'entra') expect(entra.accountEnabled).toBe(true)
        if (t.kind === 'app-account' && t.source === 'okta') {
          const appId = (truth.sanctionedApps as Json[]).find((s) => s.key === t.app)?.oktaAppId
          expect(appUsers.get(appId)?.some((a) => a.id === okta.id)).toBe(true)
        }
        if (t.kind === 'app-account' && t.source === 'entra') expect(entraAssignments.some((a) => a.principalId === entra.id)).toBe(true)
        if (t.kind === 'oauth-grant' && t.source === 'google') expect((json(`google/tokens/${c.email}.json`).items as Json[]).some((i) => i.clientId === t.clientId)).toBe(true)
        if (t.kind === 'oauth-grant' && t.source === 'entra') expect(entraGrants.some((g) => g.principalId === entra.id)).toBe(true)
        if (t.kind === 'sign-in-after-termination') {
          const after = events.filter((e) => e.email === c.email && e.app === t.app && e.t >= Date.parse(c.terminationDate) + DAY)
          expect(after.length).toBe(t.count)
        }
      }
    }
    // Cleanly offboarded people leave no live account behind.
    for (const email of truth.cleanlyOffboarded as string[]) {
      const okta = oktaUsers.find((u) => u.profile.email === email) as Json
      expect(okta.status).toBe('DEPROVISIONED')
      for (const [, list] of appUsers) expect(list.some((a) => a.id === okta.id)).toBe(false)
      expect(googleUsers.find((u) => u.primaryEmail === email)?.suspended).toBe(true)
    }
  })

  it('should show contractors past their end date and identities with no HR row', () => {
    const end = truth.endDate as string
    expect((truth.contractorsPastEndDate as Json[]).length).toBeGreaterThanOrEqual(2)
    for (const c of truth.contractorsPastEndDate as Json[]) {
      const hr = roster.get(c.email) as Record<string, string>
      expect(hr['Employment Status']).toBe('Contractor')
      expect(hr.Status).toBe('Active')
      expect((hr['Termination Date'] as string) < end).toBe(true)
    }
    const expected = [...roster.values()].filter((r) => r['Employment Status'] === 'Contractor' && r.Status === 'Active' && (r['Termination Date'] as string) < end)
    expect(expected.length).toBe((truth.contractorsPastEndDate as Json[]).length)
    const directory = new Set([...oktaUsers.map((u) => u.profile.email), ...googleUsers.map((u) => u.primaryEmail), ...entraUsers.map((u) => String(u.userPrincipalName).toLowerCase())])
    const unmatched = [...directory].filter((e) => !roster.has(e)).sort()
    expect(unmatched).toEqual((truth.unmatchedIdentities as Json[]).map((u) => u.email).sort())
  })

  it('should plant inactive licenses and leave every other live seat active in the last 60 days', () => {
    const endMs = Date.parse(truth.endDate) + DAY
    const events = signIns()
    const lastUse = new Map<string, number>()
    for (const e of events) lastUse.set(`${e.email}|${e.app}`, Math.max(lastUse.get(`${e.email}|${e.app}`) ?? 0, e.t))
    const inactive = truth.inactiveLicenses as Json[]
    expect(inactive.length).toBeGreaterThanOrEqual(3)
    const planted = new Set(inactive.map((i) => `${i.email}|${i.app}`))
    for (const i of inactive) {
      expect(lastUse.get(`${i.email}|${i.app}`)).toBe(Date.parse(i.lastActivityAt))
      expect(endMs - Date.parse(i.lastActivityAt)).toBeGreaterThan(60 * DAY)
      expect(Date.parse(i.accountCreated)).toBeLessThan(Date.parse(i.lastActivityAt))
    }
    // Every other seat of an active HR person, older than 60 days, has a sign-in in the last 60 days.
    const keyByOktaApp = new Map((truth.sanctionedApps as Json[]).filter((s) => s.oktaAppId).map((s) => [s.oktaAppId, s.key]))
    const emailByOktaId = new Map(oktaUsers.map((u) => [u.id, u.profile.email]))
    let checked = 0
    for (const [appId, list] of appUsers) {
      for (const a of list) {
        const email = emailByOktaId.get(a.id) as string
        const hr = roster.get(email)
        const key = `${email}|${keyByOktaApp.get(appId)}`
        if (!hr || hr.Status !== 'Active' || Date.parse(a.created) > endMs - 60 * DAY || planted.has(key)) continue
        checked++
        expect(lastUse.get(key) ?? 0, key).toBeGreaterThan(endMs - 60 * DAY)
      }
    }
    expect(checked).toBeGreaterThan(100)
  })

  it('should plant risky grants only on unsanctioned apps, and no unplanted one', () => {
    const highRisk = new Set(HIGH_RISK_SCOPES)
    const shadowClient = new Map<string, string>()
    for (const s of truth.shadowApps as Json[]) {
      if (s.identifiers.googleClientId) shadowClient.set(s.identifiers.googleClientId, s.key)
      if (s.identifiers.entraAppId) shadowClient.set(s.identifiers.entraAppId, s.key)
    }
    const found = new Set<string>()
    for (const u of googleUsers) {
      for (const t of json(`google/tokens/${u.primaryEmail}.json`).items ?? []) {
        if (shadowClient.has(t.clientId) && (t.scopes as string[]).some((s) => highRisk.has(s))) found.add(`${u.primaryEmail}|${shadowClient.get(t.clientId)}|google`)
      }
    }
    const spAppId = new Map(entraSps.map((s) => [s.id, s.appId]))
    const upnById = new Map(entraUsers.map((u) => [u.id, String(u.userPrincipalName).toLowerCase()]))
    for (const g of entraGrants) {
      const appId = spAppId.get(g.clientId) as string
      if (shadowClient.has(appId) && String(g.scope).split(' ').some((s) => highRisk.has(s))) found.add(`${upnById.get(g.principalId)}|${shadowClient.get(appId)}|entra`)
    }
    const planted = (truth.riskyGrants as Json[]).map((r) => `${r.email}|${r.app}|${r.source}`)
    expect(planted.length).toBeGreaterThanOrEqual(7)
    expect([...found].sort()).toEqual(planted.sort())
  })

  it('should plant outlier access: the only one of an active department+title group with that app', () => {
    const outliers = truth.outlierAccess as Json[]
    expect(outliers.length).toBeGreaterThanOrEqual(2)
    const emailByOktaId = new Map(oktaUsers.map((u) => [u.id, u.profile.email]))
    for (const o of outliers) {
      const app = (truth.sanctionedApps as Json[]).find((s) => s.key === o.app) as Json
      const upnById = new Map(entraUsers.map((u) => [u.id, String(u.userPrincipalName).toLowerCase()]))
      const holders = app.oktaAppId
        ? (appUsers.get(app.oktaAppId) ?? []).map((a) => emailByOktaId.get(a.id) as string)
        : entraAssignments.filter((a) => a.resourceId === app.entraServicePrincipalId).map((a) => upnById.get(a.principalId) as string)
      const peers = [...roster.values()].filter((r) => r.Status === 'Active' && r.Department === o.department && r['Job Title'] === o.title).map((r) => r['Work Email'])
      expect(peers.length).toBe(o.peerGroupSize)
      expect(peers.filter((p) => holders.includes(p as string))).toEqual([o.email])
    }
  })

  it('should show duplicate subscriptions, charges after termination and shadow apps in the raw files', () => {
    const rowsByFile = new Map<string, string[][]>()
    for (const f of ['brex', 'ramp', 'amex', 'expensify']) rowsByFile.set(`spend/${f}.csv`, csv(`spend/${f}.csv`))
    const cardholderOf = (file: string, row: string[]): string => {
      if (file.includes('ramp')) return row[3] as string
      if (file.includes('expensify')) return row[3] as string
      return ''
    }
    for (const d of truth.duplicateSubscriptions as Json[]) {
      expect(d.payers.length).toBeGreaterThanOrEqual(2)
      const lines = (truth.spendLines as [string, number, string | null, string][]).filter((l) => l[2] === d.app && l[3] === 'saas')
      for (const p of d.payers as Json[]) {
        const rows = lines.filter((l) => l[0] === p.file).map((l) => (rowsByFile.get(l[0]) as string[][])[l[1]] as string[])
        expect(rows.length).toBeGreaterThanOrEqual(p.charges)
        const email = cardholderOf(p.file, rows[0] as string[])
        if (email) expect(rows.some((r) => cardholderOf(p.file, r) === p.cardholder)).toBe(true)
      }
    }
    expect((truth.duplicateSubscriptions as Json[]).map((d) => d.app)).toEqual(['canva', 'chatgpt', 'miro', 'notion', 'zoom'])
    for (const c of truth.chargesAfterTermination as Json[]) {
      const rows = (rowsByFile.get(c.file) as string[][]).filter((r) => r.includes(c.descriptor) && r.includes(c.email) && (r[0] as string) > c.terminationDate)
      expect(rows.length).toBe(c.charges)
    }
    const allSpend = [...rowsByFile.values()].flat().join('\n')
    const domains = new Set(telemetry.map((t) => t.domain))
    const saml = new Set(jsonl('google/activity-saml.jsonl').map((e) => e.events[0].parameters[0].value))
    const tokens = new Set(googleUsers.flatMap((u) => (json(`google/tokens/${u.primaryEmail}.json`).items ?? []).map((t: Json) => t.clientId)))
    const spAppIds = new Set(entraGrants.map((g) => entraSps.find((s) => s.id === g.clientId)?.appId))
    const signinAppIds = new Set(entraSignins.map((s) => s.appId))
    const shadow = truth.shadowApps as Json[]
    expect(shadow.filter((s) => !s.catalogued).length).toBeGreaterThanOrEqual(8)
    for (const s of shadow) {
      for (const where of s.seenIn as string[]) {
        if (where === 'spend') expect([...s.identifiers.merchantDescriptors, ...s.identifiers.expenseMerchantNames].some((m: string) => allSpend.includes(m)), s.key).toBe(true)
        if (where === 'telemetry') expect((s.identifiers.domains as string[]).some((d) => domains.has(d)), s.key).toBe(true)
        if (where === 'google-saml') expect(saml.has(s.identifiers.ssoLabel), s.key).toBe(true)
        if (where === 'google-token') expect(tokens.has(s.identifiers.googleClientId), s.key).toBe(true)
        if (where === 'entra-grant') expect(spAppIds.has(s.identifiers.entraAppId), s.key).toBe(true)
        if (where === 'entra-signin') expect(signinAppIds.has(s.identifiers.entraAppId), s.key).toBe(true)
      }
    }
    const video = (truth.overlappingTools as Json[]).find((o) => o.category === 'video-meetings')
    expect(video?.apps).toEqual(expect.arrayContaining(['zoom', 'webex', 'gotomeeting']))
  })
})

// Sign-in import throughput and memory vs only reading and JSON-parsing the same files, measured in the same run:
// `npx tsx scripts/bench/signins.ts [events]`. A third of the events are Entra Graph sign-ins (JSON lines, every
// property of the v1.0 signIn resource), a third Google Reports API login and SAML activities, a third Okta System
// Log LogEvents (JSON lines, as the demo and SIEM exports write them). Each import runs in a child process so its
// peak RSS is its own; each figure is the median of BENCH_RUNS (default 3) runs, baseline and import alternating.
import { spawnSync } from 'node:child_process'
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'

type Vendor = 'google' | 'entra' | 'okta'
const VENDORS: readonly Vendor[] = ['entra', 'google', 'okta']

const APPS: readonly [string, string][] = [
  ['Slack', '0oa1slack'], ['Zoom', '0oa2zoom'], ['Notion', '0oa3notion'], ['Figma', '0oa4figma'], ['Salesforce', '0oa5sfdc'],
  ['GitHub', '0oa6github'], ['Atlassian Cloud', '0oa7atl'], ['Miro', '0oa8miro'], ['Dropbox', '0oa9dropbox'], ['HubSpot', '0oa10hub'],
  ['Workday', '0oa11wd'], ['DocuSign', '0oa12docu'], ['Asana', '0oa13asana'], ['Datadog', '0oa14dd'], ['Loom', '0oa15loom'],
]
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
]
/** Conditional Access policies a mid-market tenant typically applies to every interactive sign-in. */
const CA_POLICIES: readonly [string, string, string][] = [
  ['6fdb1d6c-43c4-4b5e-9d3c-2b1f1a1f0a01', 'Require MFA for all users', 'Mfa'],
  ['0d3b1a7e-2f33-4c5e-8a7b-3c2d1e0f9a02', 'Block legacy authentication', 'Block'],
  ['a1c2e3f4-5b6a-4c7d-9e8f-0a1b2c3d4e03', 'Require compliant device for admins', 'RequireCompliantDevice'],
]
const COUNTRIES: readonly [string, string][] = [['United States', 'US'], ['United Kingdom', 'GB'], ['Germany', 'DE']]

function hex(rand: () => number, n: number): string {
  let s = ''
  while (s.length < n) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0')
  return s.slice(0, n)
}

/** A UUID-shaped id, distinct per event (`i` in the last group) and random-looking like the vendors'. */
function eventId(rand: () => number, i: number): string {
  return `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${i.toString(16).padStart(12, '0')}`
}

/**
 * Writes `events` sign-ins in the vendor's export shape, one JSON object per line: 2,000 people over the
 * apps above, spread across 90 days, ~2% failures.
 */
export function writeSigninExport(path: string, vendor: Vendor, events: number, seed = 7): void {
  let s = seed
  const rand = (): number => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  const fd = openSync(path, 'w')
  let chunk = ''
  const start = Date.parse('2026-01-01T00:00:00.000Z')
  for (let i = 0; i < events; i++) {
    const person = Math.floor(rand() ** 1.5 * 2000)
    const email = `person${person}@northwind.example`
    const [app, appId] = APPS[Math.floor(rand() ** 2 * APPS.length)]!
    const at = new Date(start + Math.floor((i / events) * 90 * 86_400_000) + Math.floor(rand() * 60_000)).toISOString()
    const [countryName, country] = COUNTRIES[person % COUNTRIES.length]!
    const ip = `198.18.${person % 250}.${(person * 7) % 250}`
    const agent = AGENTS[person % AGENTS.length]!
    const failed = rand() < 0.02
    const id = eventId(rand, i)
    if (vendor === 'okta') {
      const sso = rand() < 0.8
      chunk += JSON.stringify({
        actor: { id: `00u${person.toString(36).padStart(8, '0')}0h7`, type: 'User', alternateId: email, displayName: `Person ${person}`, detailEntry: null },
        client: {
          userAgent: { rawUserAgent: agent, os: agent.includes('Windows') ? 'Windows 10' : 'Mac OS X', browser: agent.includes('Chrome') ? 'CHROME' : 'SAFARI' },
          zone: 'null', device: 'Computer', id: null, ipAddress: ip,
          geographicalContext: { city: countryName === 'Germany' ? 'Berlin' : countryName === 'United Kingdom' ? 'London' : 'Seattle', state: null, country: countryName, postalCode: null, geolocation: { lat: 47.6, lon: -122.3 } },
        },
        device: null,
        authenticationContext: { authenticationProvider: null, credentialProvider: null, credentialType: null, issuer: null, interface: null, authenticationStep: 0, externalSessionId: `102${hex(rand, 22)}` },
        displayMessage: sso ? 'User single sign on to app' : 'User login to Okta',
        eventType: sso ? 'user.authentication.sso' : 'user.session.start',
        outcome: { result: failed ? 'FAILURE' : 'SUCCESS', reason: failed ? 'INVALID_CREDENTIALS' : null },
        published: at,
        securityContext: { asNumber: 16509, asOrg: 'example isp', isp: 'example isp', domain: 'example.net', isProxy: false },
        severity: 'INFO',
        debugContext: { debugData: { requestId: hex(rand, 24), requestUri: `/app/${app.toLowerCase().replace(/\W/g, '')}/sso/saml`, url: `/app/${app.toLowerCase().replace(/\W/g, '')}/sso/saml?` } },
        legacyEventType: sso ? 'app.auth.sso' : 'core.user_auth.login_success',
        transaction: { type: 'WEB', id: hex(rand, 24), detail: {} },
        uuid: id,
        version: '0',
        request: { ipChain: [{ ip, geographicalContext: null, version: 'V4', source: null }] },
        target: sso ? [{ id: appId, type: 'AppInstance', alternateId: app, displayName: app, detailEntry: { signOnModeType: 'SAML_2_0' } }] : [],
      })
    } else if (vendor === 'google') {
      // login (to Google itself) and saml (Google as the IdP of another app), as the Reports API lists them.
      const saml = rand() < 0.6
      const event = saml
        ? { type: 'login', name: failed ? 'login_failure' : 'login_success', parameters: [
            { name: 'application_name', value: app }, { name: 'initiated_by', value: 'sp' }, { name: 'orgunit_path', value: '/Staff' },
            { name: 'saml_status_code', value: failed ? 'SAML_STATUS_CODE_UNSPECIFIED' : 'SUCCESS_URI' },
          ] }
        : { type: 'login', name: failed ? 'login_failure' : 'login_success', parameters: [
            { name: 'login_type', value: 'google_password' }, { name: 'login_challenge_method', multiValue: ['password', 'google_authenticator'] },
            { name: 'is_suspicious', boolValue: false }, ...(failed ? [{ name: 'login_failure_type', value: 'login_failure_invalid_password' }] : []),
          ] }
      chunk += JSON.stringify({
        kind: 'admin#reports#activity',
        id: { time: at, uniqueQualifier: `${rand() < 0.5 ? '-' : ''}${Math.floor(rand() * 9e8) + 1e8}${i.toString().padStart(10, '0')}`, applicationName: saml ? 'saml' : 'login', customerId: 'C03az79cb' },
        etag: `"${hex(rand, 27)}/${hex(rand, 27)}"`,
        actor: { callerType: 'USER', email, profileId: `1${person.toString().padStart(20, '0')}` },
        ipAddress: ip,
        events: [event],
      })
    } else {
      chunk += JSON.stringify({
        id,
        createdDateTime: at.replace('.000Z', 'Z'),
        userDisplayName: `Person ${person}`,
        userPrincipalName: email,
        userId: `${hex(rand, 8)}-0000-4000-8000-${person.toString(16).padStart(12, '0')}`,
        appId: `${appId.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-000000000000`,
        appDisplayName: app,
        ipAddress: ip,
        clientAppUsed: 'Browser',
        correlationId: eventId(rand, i),
        conditionalAccessStatus: 'notApplied',
        isInteractive: true,
        appliedConditionalAccessPolicies: CA_POLICIES.map(([policyId, displayName, grant]) => ({
          id: policyId, displayName, enforcedGrantControls: [grant], enforcedSessionControls: [], result: failed ? 'notApplied' : 'success',
        })),
        riskDetail: 'none',
        riskLevelAggregated: 'none',
        riskLevelDuringSignIn: 'none',
        riskState: 'none',
        riskEventTypes: [],
        riskEventTypes_v2: [],
        resourceDisplayName: 'Windows Azure Active Directory',
        resourceId: '00000002-0000-0000-c000-000000000000',
        status: { errorCode: failed ? 50126 : 0, failureReason: failed ? 'Invalid username or password.' : 'Other.', additionalDetails: failed ? null : 'MFA requirement satisfied by claim in the token' },
        deviceDetail: { deviceId: '', displayName: '', operatingSystem: 'Windows10', browser: 'Chrome 131.0.0', isCompliant: false, isManaged: false, trustType: '' },
        location: { city: countryName === 'Germany' ? 'Berlin' : countryName === 'United Kingdom' ? 'London' : 'Seattle', state: null, countryOrRegion: country, geoCoordinates: { altitude: null, latitude: 47.6, longitude: -122.3 } },
        userAgent: agent,
      })
    }
    chunk += '\n'
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk)
      chunk = ''
    }
  }
  writeSync(fd, chunk)
  closeSync(fd)
}

/** The floor: read the file line by line and JSON.parse each line, nothing else. */
async function parseOnly(path: string): Promise<{ ms: number; lines: number }> {
  const t = performance.now()
  let lines = 0
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity })
  for await (const line of reader) {
    if (line === '') continue
    if (JSON.parse(line) !== null) lines++
  }
  return { ms: performance.now() - t, lines }
}

interface ChildFigures {
  importMs: number
  maxRssMb: number
  read: number
  imported: number
  status: string
}

/** Imports one export through the real importer in a fresh `node --import tsx` process with a fresh SQLite store; `processMs` is the whole process, start-up included. */
function importInChild(vendor: Vendor, file: string, dir: string): (ChildFigures & { processMs: number }) | { error: string } {
  const db = join(dir, `store-${vendor}-${Date.now()}.db`)
  const self = fileURLToPath(import.meta.url)
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const t = performance.now()
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', vendor, file, db], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })
  const processMs = performance.now() - t
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true })
  if (result.status !== 0) {
    // A failure is a figure too (e.g. an importer that reads the whole file hits the string size limit).
    const message = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').find((l) => /error/i.test(l)) ?? result.stderr.trim().split('\n')[0] ?? ''
    return { error: message.slice(0, 160) }
  }
  const last = result.stdout.trim().split('\n').pop() ?? ''
  return { ...(JSON.parse(last) as ChildFigures), processMs }
}

async function childMain(vendor: Vendor, file: string, dbPath: string): Promise<void> {
  const { openStore } = await import('../../data/connection.js')
  const { loadCatalog } = await import('../../data/catalog/index.js')
  const { createResolver } = await import('../../analyzer/resolve/index.js')
  const { importEntraSignins } = await import('../../collectors/entra/index.js')
  const { importGoogleActivities } = await import('../../collectors/google-workspace/index.js')
  const { importOktaSystemLog } = await import('../../collectors/okta/index.js')
  const store = await openStore(dbPath)
  const resolver = createResolver({ entries: loadCatalog().entries })
  const t = performance.now()
  const importer = vendor === 'google' ? importGoogleActivities : vendor === 'okta' ? importOktaSystemLog : importEntraSignins
  const summary = await importer(store, file, { resolver })
  const importMs = performance.now() - t
  await store.close()
  const figures: ChildFigures = { importMs, maxRssMb: process.resourceUsage().maxRSS / 1024, read: summary.read, imported: summary.imported, status: summary.status }
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/**
 * Generates `events` sign-ins (a third each Entra, Google, Okta) and a tenth of that, and for each size and vendor
 * times parse-only (baseline) and the real import (in-process time and the whole child process), `runs` times
 * alternating, with the import's peak RSS; figures are medians.
 */
export async function benchSignins(opts: { events: number; runs?: number }): Promise<Record<string, number | string>> {
  const runs = Math.max(1, opts.runs ?? Number(process.env.BENCH_RUNS ?? 3))
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-signins-'))
  try {
    const figures: Record<string, number | string> = { runs }
    const sizes = [['small', Math.max(3, Math.round(opts.events / 10))], ['large', opts.events]] as const
    for (const [label, events] of sizes) {
      let baselineMs = 0
      let importMs = 0
      let imported = 0
      for (const vendor of VENDORS) {
        const n = Math.floor(events / VENDORS.length)
        const file = join(dir, `${vendor}-${n}.jsonl`)
        writeSigninExport(file, vendor, n)
        const key = `${label}.${vendor}`
        figures[`${key}.events`] = n
        figures[`${key}.fileMb`] = round(statSync(file).size / 2 ** 20, 1)
        const base: number[] = []
        const child: (ChildFigures & { processMs: number })[] = []
        let failure: string | null = null
        for (let r = 0; r < runs && !failure; r++) {
          const parsed = await parseOnly(file)
          if (parsed.lines !== n) throw new Error(`bench signins: parsed ${parsed.lines} of ${n} lines`)
          base.push(parsed.ms)
          const one = importInChild(vendor, file, dir)
          if ('error' in one) failure = one.error
          else {
            if (one.imported !== n) throw new Error(`bench signins: ${vendor} imported ${one.imported} of ${n} events (${one.status})`)
            child.push(one)
          }
        }
        rmSync(file, { force: true })
        const baseMs = median(base)
        figures[`${key}.baselineMs`] = Math.round(baseMs)
        if (failure) {
          figures[`${key}.error`] = failure
          continue
        }
        const ms = median(child.map((c) => c.importMs))
        figures[`${key}.importMs`] = Math.round(ms)
        figures[`${key}.processMs`] = Math.round(median(child.map((c) => c.processMs)))
        figures[`${key}.eventsPerSec`] = Math.round(n / (ms / 1000))
        figures[`${key}.ratioToBaseline`] = round(ms / baseMs)
        figures[`${key}.processRatioToBaseline`] = round(median(child.map((c) => c.processMs)) / baseMs)
        figures[`${key}.peakRssMb`] = Math.round(median(child.map((c) => c.maxRssMb)))
        baselineMs += baseMs
        importMs += ms
        imported += n
      }
      if (imported > 0) {
        figures[`${label}.eventsPerSec`] = Math.round(imported / (importMs / 1000))
        figures[`${label}.ratioToBaseline`] = round(importMs / baselineMs)
      }
    }
    for (const vendor of VENDORS) {
      const large = Number(figures[`large.${vendor}.peakRssMb`])
      const small = Number(figures[`small.${vendor}.peakRssMb`])
      if (Number.isFinite(large) && Number.isFinite(small)) figures[`${vendor}.rssLargeOverSmall`] = round(large / small)
    }
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--child') {
    childMain(process.argv[3] as Vendor, process.argv[4]!, process.argv[5]!).catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`)
      process.exit(1)
    })
  } else {
    benchSignins({ events: Number(process.argv[2] ?? 5_000_000) }).then(
      (figures) => {
        for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(32)} ${value}\n`)
      },
      (error: unknown) => {
        process.stderr.write(`${(error as Error).message}\n`)
        process.exit(1)
      },
    )
  }
}

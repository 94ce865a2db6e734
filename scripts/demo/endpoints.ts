// What the company already collects about browsers and devices: a Google Workspace Chrome activity log (extension
// installs and requests from managed browsers) and an osquery result log (chrome_extensions and programs per laptop).
// Planted: a few extensions with broad host access or sensitive permissions from publishers nobody sanctioned.
import type { Company, Person } from './company.js'
import { LineWriter } from './line-writer.js'
import type { Rng } from './prng.js'
import type { WrittenFile } from './directories.js'
import { join } from 'node:path'

interface DemoExtension {
  id: string
  name: string
  permissions: string[]
  hostPermissions: string[]
  /** How many devices carry it (benign ones: a share of devices). */
  share: number
}

/** Harmless extensions: narrow permissions, so never a finding whatever their publisher's status. */
const BENIGN: readonly DemoExtension[] = [
  { id: 'jldhpllghnbhlbpcmnajkpdmadaolakh', name: 'Todoist for Chrome', permissions: ['storage', 'contextMenus', 'alarms'], hostPermissions: [], share: 0.2 },
  { id: 'gbkeegbaiigmenfmjfclcdgdpimamgkj', name: 'Office Editing for Docs, Sheets & Slides', permissions: ['storage', 'downloads'], hostPermissions: [], share: 0.3 },
  { id: 'mhjfbmdgcfjbbpaeojofohoefgiehjai', name: 'Dark Reader Lite', permissions: ['storage', 'activeTab'], hostPermissions: [], share: 0.25 },
]

/** Planted risky extensions (unknown publishers): broad host access plus cookies, traffic or clipboard. */
const RISKY: readonly DemoExtension[] = [
  { id: 'oknpjjbmpnndlpmnhmekjpocelpnlfdi', name: 'Coupon Hawk Savings', permissions: ['cookies', 'webRequest', 'storage'], hostPermissions: ['<all_urls>'], share: 0 },
  { id: 'fhnlgbkmidepkcenemhghmjpbkhodchf', name: 'PDF Snap <Converter>', permissions: ['clipboardRead', 'tabs'], hostPermissions: ['*://*/*'], share: 0 },
  { id: 'kgmmjnpfjajclmnlhhplkepfpdheoahn', name: 'Quick Screen Recorder Pro', permissions: ['desktopCapture', 'nativeMessaging'], hostPermissions: ['<all_urls>'], share: 0 },
]

export interface RiskyExtensionTruth {
  id: string
  name: string
  devices: string[]
  permissions: string[]
}

export interface EndpointsResult {
  files: WrittenFile[]
  riskyExtensions: RiskyExtensionTruth[]
}

const iso = (ms: number) => new Date(ms).toISOString()

function chromeActivity(rng: Rng, p: Person, device: string, at: number, name: string, params: Record<string, string>) {
  return {
    kind: 'admin#reports#activity',
    id: { time: iso(at), uniqueQualifier: rng.digits(18), applicationName: 'chrome', customerId: 'C02nw7lab' },
    actor: { callerType: 'USER', email: p.email },
    events: [{ type: name === 'EXTENSION_REQUEST' ? 'EXTENSION_REQUEST_TYPE' : 'BROWSER_EXTENSION_INSTALL_TYPE', name, parameters: Object.entries({ ...params, DEVICE_NAME: device, DIRECTORY_DEVICE_ID: device, PROFILE_USER_NAME: p.email }).map(([n, value]) => ({ name: n, value })) }],
  }
}

export async function writeEndpoints(rng: Rng, outDir: string, company: Company): Promise<EndpointsResult> {
  const active = company.people.filter((p) => p.hrStatus === 'Active' && p.email)
  // About half the laptops run osquery; Chrome reporting covers the managed browsers of everyone else.
  const managed = active.filter(() => rng.chance(0.5))
  const reported = active.filter((p) => !managed.includes(p) && rng.chance(0.6))
  const osquery = new LineWriter(join(outDir, 'endpoints/osquery-results.log'))
  const chrome = new LineWriter(join(outDir, 'google/chrome-activity.jsonl'))
  const risky = new Map<string, RiskyExtensionTruth>(RISKY.map((r) => [r.id, { id: r.id, name: r.name, devices: [], permissions: [...r.permissions, ...r.hostPermissions].sort() }]))
  const unix = Math.floor((company.endMs - 6 * 3_600_000) / 1000)

  const extensionsOf = (i: number, pool: readonly Person[]): DemoExtension[] => {
    const list = BENIGN.filter((b) => rng.chance(b.share))
    // Each risky extension sits on about three devices, spread over the list.
    RISKY.forEach((r, k) => {
      if (i % Math.max(RISKY.length, Math.floor(pool.length / 3)) === k) list.push(r)
    })
    return list
  }

  for (const [i, p] of managed.entries()) {
    const host = `NW-${String(p.idx).padStart(5, '0')}`
    const exts = extensionsOf(i, managed)
    for (const r of exts) risky.get(r.id)?.devices.push(host)
    await osquery.line({
      name: 'pack/inventory/chrome_extensions', hostIdentifier: host, calendarTime: new Date(unix * 1000).toUTCString(), unixTime: unix, action: 'snapshot',
      snapshot: exts.map((e) => ({ uid: '501', name: e.name, identifier: e.id, version: `${rng.int(1, 9)}.${rng.int(0, 20)}`, permissions: e.permissions.join(', '), browser_type: 'chrome', profile: 'Default', from_webstore: '1', state: '1',
        // osquery reports Manifest V3 host permissions only inside the (hidden, asked-for) manifest_json column.
        manifest_json: JSON.stringify({ manifest_version: 3, name: e.name, permissions: e.permissions, host_permissions: e.hostPermissions }) })),
    })
    await osquery.line({ name: 'pack/inventory/programs', hostIdentifier: host, unixTime: unix, action: 'added', columns: { name: 'Zoom Workplace', version: '6.2.5', publisher: 'Zoom Video Communications, Inc.', identifying_number: '{ZOOM-WORKPLACE}' } })
    await osquery.line({ name: 'pack/inventory/programs', hostIdentifier: host, unixTime: unix, action: 'added', columns: { name: 'Microsoft Visual C++ 2022 X64 Minimum Runtime', version: '14.38', publisher: 'Microsoft Corporation', identifying_number: '{VCRT-2022}' } })
  }
  // Chrome reporting sees installs (with no permissions) on other browsers, and users asking for extensions.
  for (const p of reported) {
    const device = `chrome-${p.idx}`
    for (const e of BENIGN) {
      if (!rng.chance(e.share)) continue
      const at = company.endMs - rng.int(1, 20) * 86_400_000
      await chrome.line(chromeActivity(rng, p, device, at, 'BROWSER_EXTENSION_INSTALL', { APP_ID: e.id, APP_NAME: e.name, EXTENSION_ACTION: 'INSTALL', EXTENSION_SOURCE: 'CHROME_WEBSTORE', EXTENSION_VERSION: '1.0' }))
    }
    if (rng.chance(0.1)) {
      const at = company.endMs - rng.int(1, 20) * 86_400_000
      await chrome.line(chromeActivity(rng, p, device, at, 'EXTENSION_REQUEST', { APP_ID: 'nkbihfbeogaeaoehlefnkodbefgpgknn', APP_NAME: 'MetaMask' }))
    }
  }
  // One planted extension also shows up in Chrome activity on a browser osquery does not see.
  const firstRisky = RISKY[0]
  const extra = reported[0]
  if (firstRisky && extra) {
    await chrome.line(chromeActivity(rng, extra, `chrome-${extra.idx}`, company.endMs - 2 * 86_400_000, 'BROWSER_EXTENSION_INSTALL', { APP_ID: firstRisky.id, APP_NAME: firstRisky.name, EXTENSION_ACTION: 'INSTALL', EXTENSION_VERSION: '3.1' }))
    risky.get(firstRisky.id)?.devices.push(`chrome-${extra.idx}`)
  }
  await osquery.close()
  await chrome.close()
  return {
    files: [
      { path: 'endpoints/osquery-results.log', format: 'osquery-results', records: osquery.records },
      { path: 'google/chrome-activity.jsonl', format: 'google-chrome-activity', records: chrome.records },
    ],
    riskyExtensions: [...risky.values()].filter((r) => r.devices.length > 0),
  }
}

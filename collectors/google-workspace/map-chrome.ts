import type { SoftwareRecord, TelemetryRecord } from '../sdk/records.js'
import { activityHeader, normalizeActivity, paramText, type GoogleActivity } from './map-activity.js'
import { RecordError } from './map-directory.js'

/**
 * Chrome audit activities (Reports API `applicationName=chrome`, from Chrome browser reporting in managed
 * browsers): extension installs and requests become device software, logins and unsafe-site visits on a URL become
 * telemetry on its host (never the path). Other Chrome events (device boot mode, content transfers …) are skipped.
 *
 * Names checked against Google's published lists (see collectors/google-workspace/CHROME-EVENTS.md): the event names
 * BROWSER_EXTENSION_INSTALL, EXTENSION_REQUEST, LOGIN_EVENT, PASSWORD_CHANGED, PASSWORD_REUSE, PASSWORD_BREACH and
 * UNSAFE_SITE_VISIT; the parameters APP_ID, APP_NAME, URL, DEVICE_NAME, DEVICE_ID, DIRECTORY_DEVICE_ID,
 * VIRTUAL_DEVICE_ID, DEVICE_USER, PROFILE_USER_NAME and TRIGGER_USER. EXTENSION_ACTION, EXTENSION_SOURCE,
 * EXTENSION_VERSION and LOGIN_USER_NAME follow the browser's own report fields and are read when present, never required.
 */
export type ChromeRecord = SoftwareRecord | TelemetryRecord

// "A login was performed", "Password changed/reuse for {TRIGGER_USER}", "A user's password was breached": each names a site.
const LOGIN_EVENTS = new Set(['LOGIN_EVENT', 'PASSWORD_CHANGED', 'PASSWORD_REUSE', 'PASSWORD_BREACH'])
const EXTENSION_ID = /^[a-p]{32}$/
// Chrome masks the user name of a site login before reporting it ("*****@example.com", MaskUsername in Chromium):
// a masked name is no one's address, so the person is the browser profile's user instead.
const MASKED = /^\*+(@|$)/

function hostOf(url: string | null): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.toLowerCase() : null
  } catch {
    return null
  }
}

export function mapChromeActivity(given: GoogleActivity): ChromeRecord[] {
  const activity = normalizeActivity(given)
  const h = activityHeader(activity)
  if (h.application !== 'chrome') throw new RecordError('id.applicationName', `expected chrome, got ${h.application}`)
  const out: ChromeRecord[] = []
  ;(activity.events ?? []).forEach((event, index) => {
    const name = event?.name ?? ''
    // The browser's device: the Directory API id when enrolled, else the virtual (profile) id, else its name.
    const device = paramText(event, 'DIRECTORY_DEVICE_ID') ?? paramText(event, 'DEVICE_ID') ?? paramText(event, 'VIRTUAL_DEVICE_ID') ?? paramText(event, 'DEVICE_NAME') ?? 'unknown-device'
    const user = (paramText(event, 'PROFILE_USER_NAME') ?? paramText(event, 'DEVICE_USER') ?? paramText(event, 'TRIGGER_USER') ?? h.email)?.toLowerCase() ?? null
    if (name === 'BROWSER_EXTENSION_INSTALL' || name === 'EXTENSION_REQUEST') {
      const id = paramText(event, 'APP_ID')
      if (!id || !EXTENSION_ID.test(id)) throw new RecordError(`events[${index}].parameters.APP_ID`, `not a Chrome extension id: ${JSON.stringify(id)}`)
      // The browser reports INSTALL, UPDATE or UNINSTALL (Chromium's BrowserExtensionInstallEvent); tolerate a prefix.
      const action = paramText(event, 'EXTENSION_ACTION')?.toUpperCase() ?? null
      // An uninstall says the extension is gone from that profile; the inventory keeps what was seen installed.
      if (action !== null && /(^|_)UNINSTALL$/.test(action)) return
      const appName = paramText(event, 'APP_NAME')
      out.push({
        type: 'software', deviceId: device, kind: 'chrome_extension', itemId: id, name: appName, version: paramText(event, 'EXTENSION_VERSION'),
        installType: name === 'EXTENSION_REQUEST' ? 'requested' : (paramText(event, 'EXTENSION_SOURCE') ?? action ?? 'install').toLowerCase(),
        enabled: name === 'EXTENSION_REQUEST' ? false : null, email: user, seenAt: h.time, permissions: [],
        signals: [{ kind: 'extension', value: `chrome:${id}` }, ...(appName ? [{ kind: 'name' as const, value: appName }] : [])],
      })
      return
    }
    const url = paramText(event, 'URL')
    const host = hostOf(url)
    if (!host) return
    if (LOGIN_EVENTS.has(name)) {
      const named = paramText(event, 'LOGIN_USER_NAME')
      const login = (named && !MASKED.test(named) ? named : user)?.toLowerCase() ?? null
      out.push({ type: 'telemetry', deviceId: device, eventId: `chrome:${h.time}:${h.qualifier}:${index}`, email: login, domain: host, kind: 'login', occurredAt: h.time })
    } else if (name === 'UNSAFE_SITE_VISIT') {
      out.push({ type: 'telemetry', deviceId: device, eventId: `chrome:${h.time}:${h.qualifier}:${index}`, email: user, domain: host, kind: 'visit', occurredAt: h.time })
    }
  })
  return out
}

// The service worker: decides what is reported, keeps the queue in storage, and sends batches with the device token.
import {
  classifyForm, companyEmail, isCataloguedHost, parseConsentUrl, parseManagedConfig, retryDelayMs, siteHost, utcDay,
  type FormSnapshot, type ManagedConfig,
} from './rules.js'

declare const __CATALOG_HOSTS__: string[]
declare const __EXTENSION_VERSION__: string

const CATALOG = new Set<string>(__CATALOG_HOSTS__)
const MAX_QUEUE = 5000
const MAX_BATCH = 100
const SENT_LOG = 200
const SEND_DELAY_MS = 2000

type SiteEvent = { eventId: string; kind: 'visit' | 'login' | 'signup'; domain: string; userEmail: string | null; occurredAt: string }
type ConsentEvent = { eventId: string; kind: 'oauth_consent'; domain: string; userEmail: string | null; occurredAt: string; provider: 'google' | 'microsoft'; clientId: string; scopes: string[] }
type ExtensionEvent = {
  eventId: string; kind: 'extension'; userEmail: string | null; occurredAt: string
  extension: { id: string; name: string; version: string | null; permissions: string[]; hostPermissions: string[]; installType: 'admin' | 'development' | 'normal' | 'sideload' | 'other'; enabled: boolean }
}
type Event = SiteEvent | ConsentEvent | ExtensionEvent

interface State {
  deviceId: string
  queue: Event[]
  /** The batch being sent: kept with its id until the server answers, so a retry is recognised as a replay. */
  inflight: { batchId: string; events: Event[]; attempts: number; nextAttemptAt: number } | null
  /** What was sent, newest first, for the popup. */
  sent: { at: string; batchId: string; status: string; events: Event[] }[]
  /** Domain → UTC day of the last event reported for it (one per domain per day). */
  reported: Record<string, string>
  /** Sites where a work identity signed in: later visits to them are reported like catalogued apps. */
  signedIn: Record<string, true>
  /** The last company address used on this device (a profile signed in with a personal account still has one). */
  workEmail: string | null
  /** Extension id → fingerprint of what was last reported. */
  extensions: Record<string, string>
  lastError: string | null
}

const EMPTY: Omit<State, 'deviceId'> = { queue: [], inflight: null, sent: [], reported: {}, signedIn: {}, workEmail: null, extensions: {}, lastError: null }

async function loadState(): Promise<State> {
  const stored = (await chrome.storage.local.get('state')) as { state?: State }
  if (stored.state) return stored.state
  const state: State = { deviceId: crypto.randomUUID(), ...EMPTY }
  await chrome.storage.local.set({ state })
  return state
}

// One change at a time: the worker can get several messages at once and storage writes must not interleave.
let chain: Promise<unknown> = Promise.resolve()
function update<T>(fn: (s: State) => T | Promise<T>): Promise<T> {
  const next = chain.then(async () => {
    const s = await loadState()
    const result = await fn(s)
    await chrome.storage.local.set({ state: s })
    return result
  })
  chain = next.catch(() => undefined)
  return next
}

async function config(): Promise<ManagedConfig | null> {
  try {
    return parseManagedConfig((await chrome.storage.managed.get(null)) as Record<string, unknown>)
  } catch {
    return null
  }
}

/** The work identity of this profile: the Chrome profile's address if it is a company one, else the last one typed. */
async function workIdentity(cfg: ManagedConfig, s: State): Promise<string | null> {
  try {
    const info = await chrome.identity.getProfileUserInfo({ accountStatus: 'ANY' as chrome.identity.AccountStatus })
    const profile = companyEmail(info.email, cfg.companyDomains)
    if (profile) return profile
  } catch {
    // no identity permission granted, or not signed in
  }
  return s.workEmail
}

function enqueue(s: State, e: Event): void {
  s.queue.push(e)
  if (s.queue.length > MAX_QUEUE) s.queue.splice(0, s.queue.length - MAX_QUEUE)
}

/** At most one event per domain per day: the first kind seen wins the day, except that a log-in or sign-up is always told. */
function firstToday(s: State, key: string, now: number): boolean {
  const day = utcDay(now)
  if (s.reported[key] === day) return false
  s.reported[key] = day
  // Forget days long gone, so the map stays small.
  for (const [k, d] of Object.entries(s.reported)) if (d < utcDay(now - 2 * 86_400_000)) delete s.reported[k]
  return true
}

async function onFormSubmit(host: string, form: FormSnapshot): Promise<void> {
  const cfg = await config()
  if (!cfg) return
  const kind = classifyForm(form)
  const email = companyEmail(form.email, cfg.companyDomains)
  // A personal address (or none) is never reported, and neither is anything about it.
  if (!kind || !email) return
  const firstIdentity = await update((s) => {
    const now = Date.now()
    const first = s.workEmail === null
    s.workEmail = email
    s.signedIn[host] = true
    if (firstToday(s, `${kind}:${host}`, now)) enqueue(s, { eventId: crypto.randomUUID(), kind, domain: host, userEmail: email, occurredAt: new Date(now).toISOString() })
    return first
  })
  // The extensions of a profile are inventoried once a work identity is known for it.
  if (firstIdentity) await inventoryExtensions()
  scheduleSend()
}

async function onNavigation(url: string): Promise<void> {
  const cfg = await config()
  if (!cfg) return
  const consent = parseConsentUrl(url)
  const host = siteHost(url)
  if (!host) return
  await update(async (s) => {
    const email = await workIdentity(cfg, s)
    if (!email) return
    const now = Date.now()
    const occurredAt = new Date(now).toISOString()
    if (consent) {
      if (!firstToday(s, `consent:${consent.clientId}`, now)) return
      enqueue(s, { eventId: crypto.randomUUID(), kind: 'oauth_consent', domain: consent.domain, userEmail: email, occurredAt, provider: consent.provider, clientId: consent.clientId, scopes: consent.scopes })
      return
    }
    if (!isCataloguedHost(host, CATALOG) && !s.signedIn[host]) return
    if (!firstToday(s, `visit:${host}`, now)) return
    enqueue(s, { eventId: crypto.randomUUID(), kind: 'visit', domain: host, userEmail: email, occurredAt })
  })
  scheduleSend()
}

const INSTALL_TYPES = new Set(['admin', 'development', 'normal', 'sideload'])

async function inventoryExtensions(): Promise<void> {
  const cfg = await config()
  if (!cfg) return
  const all = await chrome.management.getAll()
  await update(async (s) => {
    const email = await workIdentity(cfg, s)
    if (!email) return
    const now = new Date().toISOString()
    for (const x of all) {
      if (x.id === chrome.runtime.id || x.type === 'theme' || !/^[a-p]{32}$/.test(x.id)) continue
      const ext: ExtensionEvent['extension'] = {
        id: x.id, name: x.name.slice(0, 200), version: x.version?.slice(0, 50) ?? null,
        permissions: (x.permissions ?? []).slice(0, 200), hostPermissions: (x.hostPermissions ?? []).slice(0, 500),
        installType: (INSTALL_TYPES.has(x.installType) ? x.installType : 'other') as ExtensionEvent['extension']['installType'], enabled: x.enabled,
      }
      const fingerprint = JSON.stringify([ext, email])
      // Told again when something changed, and once a day anyway so the server's "last seen" stays true.
      if (s.extensions[x.id] === fingerprint && !firstToday(s, `extension:${x.id}`, Date.now())) continue
      if (s.extensions[x.id] !== fingerprint) firstToday(s, `extension:${x.id}`, Date.now())
      s.extensions[x.id] = fingerprint
      enqueue(s, { eventId: crypto.randomUUID(), kind: 'extension', userEmail: email, occurredAt: now, extension: ext })
    }
  })
  scheduleSend()
}

let sendTimer: ReturnType<typeof setTimeout> | null = null
function scheduleSend(delay = SEND_DELAY_MS): void {
  if (sendTimer) return
  sendTimer = setTimeout(() => {
    sendTimer = null
    void send()
  }, delay)
}

let sending = false
async function send(): Promise<void> {
  if (sending) return
  sending = true
  try {
    const cfg = await config()
    if (!cfg) return
    const batch = await update((s) => {
      if (!s.inflight && s.queue.length > 0) s.inflight = { batchId: crypto.randomUUID(), events: s.queue.splice(0, MAX_BATCH), attempts: 0, nextAttemptAt: 0 }
      if (!s.inflight || s.inflight.nextAttemptAt > Date.now()) return null
      return { deviceId: s.deviceId, ...s.inflight }
    })
    if (!batch) return
    let status: string
    let outcome: 'sent' | 'dropped' | 'retry'
    try {
      const res = await fetch(`${cfg.serverUrl}/api/v1/telemetry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.enrolmentToken}` },
        body: JSON.stringify({ batchId: batch.batchId, deviceId: batch.deviceId, extensionVersion: __EXTENSION_VERSION__, sentAt: new Date().toISOString(), events: batch.events }),
      })
      status = String(res.status)
      // 401 (token not yet valid, or rotated), 429 and 5xx are worth another try later; other 4xx never will be.
      outcome = res.ok ? 'sent' : res.status === 401 || res.status === 429 || res.status >= 500 ? 'retry' : 'dropped'
      if (outcome === 'dropped') status += ` ${(await res.text()).slice(0, 300)}`
    } catch (error) {
      status = `offline: ${(error as Error).message}`
      outcome = 'retry'
    }
    const more = await update((s) => {
      if (!s.inflight || s.inflight.batchId !== batch.batchId) return s.queue.length > 0
      if (outcome === 'retry') {
        s.inflight.attempts += 1
        s.inflight.nextAttemptAt = Date.now() + retryDelayMs(s.inflight.attempts)
        s.lastError = status
        return false
      }
      s.sent.unshift({ at: new Date().toISOString(), batchId: batch.batchId, status, events: batch.events })
      s.sent.length = Math.min(s.sent.length, SENT_LOG)
      s.inflight = null
      s.lastError = outcome === 'dropped' ? status : null
      return s.queue.length > 0
    })
    if (more) scheduleSend(0)
  } finally {
    sending = false
  }
}

chrome.runtime.onMessage.addListener((message: { type?: string; form?: FormSnapshot }, sender) => {
  if (message?.type !== 'form-submit' || !message.form || !sender.tab || sender.tab.incognito || sender.frameId !== 0) return
  const host = sender.url ? siteHost(sender.url) : null
  if (host) void onFormSubmit(host, message.form)
})

chrome.webNavigation.onCommitted.addListener((details) => {
  if (details.frameId !== 0) return
  // The manifest keeps the extension out of incognito; should a policy ever allow it, incognito tabs still say nothing.
  chrome.tabs.get(details.tabId).then(
    (tab) => {
      if (!tab.incognito) void onNavigation(details.url)
    },
    () => undefined,
  )
})

chrome.management.onInstalled.addListener(() => void inventoryExtensions())
chrome.management.onEnabled.addListener(() => void inventoryExtensions())
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === 'managed') void inventoryExtensions()
})

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === 'send') void send()
  if (alarm.name === 'inventory') void inventoryExtensions()
})

async function start(): Promise<void> {
  await chrome.alarms.create('send', { periodInMinutes: 1 })
  await chrome.alarms.create('inventory', { periodInMinutes: 24 * 60 })
  await inventoryExtensions()
  void send()
}

chrome.runtime.onInstalled.addListener(() => void start())
chrome.runtime.onStartup.addListener(() => void start())

import { sampleRecord } from '../../collectors/sdk/nothing-imported.js'
import type { FileImporter, FileImportOptions } from '../../collectors/sdk/import-file.js'

// Each collector (and the vendor SDK behind it) is loaded when one of its formats runs, not when the CLI starts.
const browserExtension = () => import('../../collectors/browser-extension/index.js')
const google = () => import('../../collectors/google-workspace/index.js')
const entra = () => import('../../collectors/entra/index.js')
const okta = () => import('../../collectors/okta/index.js')
const osquery = () => import('../../collectors/osquery/index.js')
const signinCsv = () => import('../../collectors/signin-csv/index.js')

/** Flags some formats take beyond the file (`--map`, `--source`). */
export interface ImportFlags {
  map?: string[]
  source?: string
}

export type FlaggedImporter = (...args: [...Parameters<FileImporter>, ImportFlags?]) => ReturnType<FileImporter>

/** `sightline import <what> --format <id>`: every file format a collector can read, by what it holds. */
export interface FormatEntry {
  description: string
  run: FlaggedImporter
  /** Whether a file's first record looks like this format's: suggests the right --format when a file gives nothing. */
  recognises?: (record: Record<string, unknown>) => Promise<boolean>
}

export const FILE_IMPORTERS: Record<'signins' | 'grants' | 'telemetry' | 'directory' | 'software', Record<string, FormatEntry>> = {
  signins: {
    okta: { description: 'Okta System Log export (JSON array or JSON lines); a directory is read as okta-dir', run: async (store, path, options) => (await okta()).importOktaSystemLog(store, path, options), recognises: async (r) => (await okta()).looksLikeOktaLogEvent(r) },
    csv: {
      description: 'any SSO or proxy log as CSV or JSON lines (user, app, time, result, ip, user agent; --map FIELD=COLUMN, --source NAME)',
      run: async (store, path, options: FileImportOptions, flags: ImportFlags = {}) => {
        const { importSigninFile, parseColumnMapping } = await signinCsv()
        return importSigninFile(store, path, { ...options, mapping: flags.map?.length ? parseColumnMapping(flags.map) : undefined, source: flags.source })
      },
    },
    entra: { description: 'Entra sign-ins: Graph API pages, JSON lines, the portal CSV/JSON download, Azure Monitor exports', run: async (store, path, options) => (await entra()).importEntraSignins(store, path, options), recognises: async (r) => (await entra()).looksLikeGraphSignIn(r) },
    google: { description: 'Google Reports API activities (login, saml, token): API pages, JSON array or JSON lines', run: async (store, path, options) => (await google()).importGoogleActivities(store, path, options), recognises: async (r) => (await google()).looksLikeGoogleActivity(r) },
  },
  grants: {
    'graph-grants': { description: 'Graph oauth2PermissionGrants (+ servicePrincipals, appRoleAssignments): a file or the exported entra/ folder', run: async (store, path, options) => (await entra()).importEntraGrants(store, path, options), recognises: async (r) => (await entra()).looksLikeGraphGrant(r) },
    'google-tokens': { description: 'Google Directory tokens.list responses: a file, JSON lines, or a directory of per-user files', run: async (store, path, options) => (await google()).importGoogleTokens(store, path, options), recognises: async (r) => (await google()).looksLikeGoogleToken(r) },
  },
  directory: {
    'okta-dir': { description: 'an Okta export folder: users.json, apps.json, app-users/<appId>.json, system-log.jsonl', run: async (store, path, options) => (await okta()).importOktaDirectory(store, path, options) },
    'entra-users': { description: 'Graph users list JSON (a file or a folder holding users.json)', run: async (store, path, options) => (await entra()).importEntraUsers(store, path, options) },
    'google-users': { description: 'Google Directory users.list JSON', run: async (store, path, options) => (await google()).importGoogleUsers(store, path, options) },
  },
  telemetry: {
    extension: { description: 'browser-extension telemetry, JSON lines', run: async (store, path, options) => (await browserExtension()).importTelemetryFile(store, path, options) },
    'extension-batches': { description: 'batches as devices post them to /api/v1/telemetry, one {device, batch} per line', run: async (store, path, options) => (await browserExtension()).importTelemetryBatches(store, path, options) },
  },
  software: {
    'chrome-activity': { description: 'Google Reports API Chrome activities (extension installs and requests, logins, unsafe sites): pages, JSON lines, SIEM shape', run: async (store, path, options) => (await google()).importChromeActivities(store, path, options) },
    osquery: { description: 'osquery results (chrome_extensions, firefox_addons, ie_extensions, programs, apps) as JSON lines or osqueryi --json, or Fleet software/host JSON', run: async (store, path, options) => (await osquery()).importOsquerySoftware(store, path, options) },
  },
}

/**
 * What to try when `path`, read as `format`, gave nothing: the format (of any kind of import) whose records its
 * first record looks like, or a mapping for a CSV. Null when the file looks like what it was read as.
 */
export async function formatHint(what: keyof typeof FILE_IMPORTERS, format: string, path: string): Promise<string | null> {
  const sample = await sampleRecord(path)
  if (!sample) return null
  if ('header' in sample) return format === 'csv' ? null : `the file is not JSON (first line: ${sample.header.slice(0, 80)}): a CSV sign-in log imports with --format csv and --map FIELD=COLUMN`
  if (await FILE_IMPORTERS[what][format]?.recognises?.(sample.json)) return null
  for (const [kind, formats] of Object.entries(FILE_IMPORTERS) as [keyof typeof FILE_IMPORTERS, Record<string, FormatEntry>][]) {
    for (const [id, entry] of Object.entries(formats)) {
      if (id !== format && (await entry.recognises?.(sample.json))) return `is this ${entry.description.split(/[:(;]/)[0]!.trim()}? try \`sightline import ${kind} --format ${id}\``
    }
  }
  const fields = Object.keys(sample.json).slice(0, 6).join(', ')
  return `its first record (fields ${fields}) is not a ${format} record; formats: ${Object.keys(FILE_IMPORTERS[what]).join(', ')}`
}

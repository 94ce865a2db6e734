import { importTelemetryBatches, importTelemetryFile } from '../../collectors/browser-extension/index.js'
import { importGoogleActivities, importGoogleTokens, importGoogleUsers, looksLikeGoogleActivity, looksLikeGoogleToken } from '../../collectors/google-workspace/index.js'
import { importEntraGrants, importEntraSignins, importEntraUsers, looksLikeGraphGrant, looksLikeGraphSignIn } from '../../collectors/entra/index.js'
import { importOktaDirectory, importOktaSystemLog, looksLikeOktaLogEvent } from '../../collectors/okta/index.js'
import { sampleRecord } from '../../collectors/sdk/nothing-imported.js'
import type { FileImporter, FileImportOptions } from '../../collectors/sdk/import-file.js'
import { importSigninFile, parseColumnMapping } from '../../collectors/signin-csv/index.js'

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
  recognises?: (record: Record<string, unknown>) => boolean
}

export const FILE_IMPORTERS: Record<'signins' | 'grants' | 'telemetry' | 'directory', Record<string, FormatEntry>> = {
  signins: {
    okta: { description: 'Okta System Log export (JSON array or JSON lines); a directory is read as okta-dir', run: importOktaSystemLog, recognises: looksLikeOktaLogEvent },
    csv: {
      description: 'any SSO or proxy log as CSV or JSON lines (user, app, time, result, ip, user agent; --map FIELD=COLUMN, --source NAME)',
      run: (store, path, options: FileImportOptions, flags: ImportFlags = {}) =>
        importSigninFile(store, path, { ...options, mapping: flags.map?.length ? parseColumnMapping(flags.map) : undefined, source: flags.source }),
    },
    entra: { description: 'Entra sign-ins: Graph API pages, JSON lines, the portal CSV/JSON download, Azure Monitor exports', run: importEntraSignins, recognises: looksLikeGraphSignIn },
    google: { description: 'Google Reports API activities (login, saml, token): API pages, JSON array or JSON lines', run: importGoogleActivities, recognises: looksLikeGoogleActivity },
  },
  grants: {
    'graph-grants': { description: 'Graph oauth2PermissionGrants (+ servicePrincipals, appRoleAssignments): a file or the exported entra/ folder', run: importEntraGrants, recognises: looksLikeGraphGrant },
    'google-tokens': { description: 'Google Directory tokens.list responses: a file, JSON lines, or a directory of per-user files', run: importGoogleTokens, recognises: looksLikeGoogleToken },
  },
  directory: {
    'okta-dir': { description: 'an Okta export folder: users.json, apps.json, app-users/<appId>.json, system-log.jsonl', run: importOktaDirectory },
    'entra-users': { description: 'Graph users list JSON (a file or a folder holding users.json)', run: importEntraUsers },
    'google-users': { description: 'Google Directory users.list JSON', run: importGoogleUsers },
  },
  telemetry: {
    extension: { description: 'browser-extension telemetry, JSON lines', run: importTelemetryFile },
    'extension-batches': { description: 'batches as devices post them to /api/v1/telemetry, one {device, batch} per line', run: importTelemetryBatches },
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
  if (FILE_IMPORTERS[what][format]?.recognises?.(sample.json)) return null
  for (const [kind, formats] of Object.entries(FILE_IMPORTERS) as [keyof typeof FILE_IMPORTERS, Record<string, FormatEntry>][]) {
    for (const [id, entry] of Object.entries(formats)) {
      if (id !== format && entry.recognises?.(sample.json)) return `is this ${entry.description.split(/[:(;]/)[0]!.trim()}? try \`sightline import ${kind} --format ${id}\``
    }
  }
  const fields = Object.keys(sample.json).slice(0, 6).join(', ')
  return `its first record (fields ${fields}) is not a ${format} record; formats: ${Object.keys(FILE_IMPORTERS[what]).join(', ')}`
}

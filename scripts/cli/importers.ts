import { importTelemetryBatches, importTelemetryFile } from '../../collectors/browser-extension/index.js'
import { importGoogleActivities, importGoogleTokens, importGoogleUsers } from '../../collectors/google-workspace/index.js'
import { importEntraGrants, importEntraSignins, importEntraUsers } from '../../collectors/entra/index.js'
import { importOktaDirectory, importOktaSystemLog } from '../../collectors/okta/index.js'
import type { FileImporter, FileImportOptions } from '../../collectors/sdk/import-file.js'
import { importSigninFile, parseColumnMapping } from '../../collectors/signin-csv/index.js'

/** Flags some formats take beyond the file (`--map`, `--source`). */
export interface ImportFlags {
  map?: string[]
  source?: string
}

export type FlaggedImporter = (...args: [...Parameters<FileImporter>, ImportFlags?]) => ReturnType<FileImporter>

/** `sightline import <what> --format <id>`: every file format a collector can read, by what it holds. */
export const FILE_IMPORTERS: Record<'signins' | 'grants' | 'telemetry' | 'directory', Record<string, { description: string; run: FlaggedImporter }>> = {
  signins: {
    okta: { description: 'Okta System Log export (JSON array or JSON lines); a directory is read as okta-dir', run: importOktaSystemLog },
    csv: {
      description: 'any SSO or proxy log as CSV or JSON lines (user, app, time, result, ip, user agent; --map FIELD=COLUMN, --source NAME)',
      run: (store, path, options: FileImportOptions, flags: ImportFlags = {}) =>
        importSigninFile(store, path, { ...options, mapping: flags.map?.length ? parseColumnMapping(flags.map) : undefined, source: flags.source }),
    },
    entra: { description: 'Entra sign-ins: Graph API pages, JSON lines, the portal CSV/JSON download, Azure Monitor exports', run: importEntraSignins },
    google: { description: 'Google Reports API activities (login, saml, token): API pages, JSON array or JSON lines', run: importGoogleActivities },
  },
  grants: {
    'graph-grants': { description: 'Graph oauth2PermissionGrants (+ servicePrincipals, appRoleAssignments): a file or the exported entra/ folder', run: importEntraGrants },
    'google-tokens': { description: 'Google Directory tokens.list responses: a file, JSON lines, or a directory of per-user files', run: importGoogleTokens },
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

import { importTelemetryFile } from '../../collectors/browser-extension/index.js'
import { importGoogleActivities, importGoogleTokens, importGoogleUsers } from '../../collectors/google-workspace/index.js'
import { importEntraGrants, importEntraSignins, importEntraUsers } from '../../collectors/entra/index.js'
import type { FileImporter } from '../../collectors/sdk/import-file.js'

/** `sightline import <what> --format <id>`: every file format a collector can read, by what it holds. */
export const FILE_IMPORTERS: Record<'signins' | 'grants' | 'telemetry' | 'directory', Record<string, { description: string; run: FileImporter }>> = {
  signins: {
    entra: { description: 'Entra sign-ins: Graph API pages, JSON lines, the portal CSV/JSON download, Azure Monitor exports', run: importEntraSignins },
    google: { description: 'Google Reports API activities (login, saml, token): API pages, JSON array or JSON lines', run: importGoogleActivities },
  },
  grants: {
    'graph-grants': { description: 'Graph oauth2PermissionGrants (+ servicePrincipals, appRoleAssignments): a file or the exported entra/ folder', run: importEntraGrants },
    'google-tokens': { description: 'Google Directory tokens.list responses: a file, JSON lines, or a directory of per-user files', run: importGoogleTokens },
  },
  directory: {
    'entra-users': { description: 'Graph users list JSON (a file or a folder holding users.json)', run: importEntraUsers },
    'google-users': { description: 'Google Directory users.list JSON', run: importGoogleUsers },
  },
  telemetry: {
    extension: { description: 'browser-extension telemetry, JSON lines', run: importTelemetryFile },
  },
}

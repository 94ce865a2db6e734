import { importTelemetryFile } from '../../collectors/browser-extension/index.js'
import { importGoogleActivities, importGoogleTokens, importGoogleUsers } from '../../collectors/google-workspace/index.js'
import type { FileImporter } from '../../collectors/sdk/import-file.js'

/** `sightline import <what> --format <id>`: every file format a collector can read, by what it holds. */
export const FILE_IMPORTERS: Record<'signins' | 'grants' | 'telemetry' | 'directory', Record<string, { description: string; run: FileImporter }>> = {
  signins: {
    google: { description: 'Google Reports API activities (login, saml, token): API pages, JSON array or JSON lines', run: importGoogleActivities },
  },
  grants: {
    'google-tokens': { description: 'Google Directory tokens.list responses: a file, JSON lines, or a directory of per-user files', run: importGoogleTokens },
  },
  directory: {
    'google-users': { description: 'Google Directory users.list JSON', run: importGoogleUsers },
  },
  telemetry: {
    extension: { description: 'browser-extension telemetry, JSON lines', run: importTelemetryFile },
  },
}

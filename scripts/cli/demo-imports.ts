import { join } from 'node:path'
import type { FileImportOptions, FileImportSummary } from '../../collectors/sdk/import-file.js'
import type { Store } from '../../data/connection.js'
import { importSpendFile } from '../../collectors/spend-csv/import-spend.js'
import { FILE_IMPORTERS } from './importers.js'

export interface DemoImportStep {
  label: string
  run(store: Store, outDir: string, options: FileImportOptions): Promise<FileImportSummary[]>
}

function step(label: string, what: keyof typeof FILE_IMPORTERS, format: string, paths: readonly string[]): DemoImportStep {
  return {
    label,
    async run(store, outDir, options) {
      const importer = FILE_IMPORTERS[what][format]
      if (!importer) throw new Error(`demo: no importer for ${what} --format ${format}`)
      const out: FileImportSummary[] = []
      for (const p of paths) out.push(await importer.run(store, join(outDir, p), options))
      return out
    },
  }
}

/** What `sightline demo` imports after the roster, in order (directories before the activity that refers to them). */
export const DEMO_IMPORTS: readonly DemoImportStep[] = [
  step('okta directory and system log', 'directory', 'okta-dir', ['okta']),
  step('google users', 'directory', 'google-users', ['google/users.json']),
  // Token events before the token listing: the listing has the last word on which grants are held.
  step('google activity', 'signins', 'google', ['google/activity-login.jsonl', 'google/activity-saml.jsonl', 'google/activity-token.jsonl']),
  step('google tokens', 'grants', 'google-tokens', ['google/tokens']),
  step('entra directory', 'directory', 'entra-users', ['entra']),
  step('entra apps and grants', 'grants', 'graph-grants', ['entra']),
  step('entra sign-ins', 'signins', 'entra', ['entra/signins.jsonl']),
  {
    label: 'card statements',
    async run(store, outDir, options) {
      const out: FileImportSummary[] = []
      for (const f of ['brex.csv', 'ramp.csv', 'amex.csv', 'expensify.csv']) out.push(await importSpendFile(store, join(outDir, 'spend', f), options))
      return out
    },
  },
  // Through the endpoint's own admission and drain: the demo's telemetry is stored exactly as posted telemetry is.
  step('telemetry', 'telemetry', 'extension-batches', ['telemetry/batches.jsonl']),
]

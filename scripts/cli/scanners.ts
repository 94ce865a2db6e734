import { googleConfigFromEnv, scanGoogle } from '../../collectors/google-workspace/index.js'
import type { SignalResolver } from '../../collectors/sdk/app-resolution.js'
import type { ProgressEvent, RunResult } from '../../collectors/sdk/runner.js'
import type { Store } from '../../data/connection.js'

export interface Scanner {
  description: string
  /** The environment variable whose presence means "this source is configured" for `sightline scan`. */
  configuredBy: string
  scan(store: Store, env: NodeJS.ProcessEnv, options: { resolver: SignalResolver; onProgress?: (e: ProgressEvent) => void; fresh?: boolean }): Promise<RunResult>
}

/** Live sources `sightline scan <source>` can read; each builds and validates its config from the environment. */
export const SCANNERS: Record<string, Scanner> = {
  google: {
    description: 'Google Workspace: users, OAuth tokens, login/SAML/token activity (service account with domain-wide delegation)',
    configuredBy: 'SIGHTLINE_GOOGLE_KEY_FILE',
    scan: (store, env, options) => scanGoogle(store, googleConfigFromEnv(env), options),
  },
}

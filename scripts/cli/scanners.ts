import { entraConfigFrom, scanEntra } from '../../collectors/entra/index.js'
import { googleConfigFromEnv, scanGoogle } from '../../collectors/google-workspace/index.js'
import { oktaConfigFromEnv, scanOkta } from '../../collectors/okta/index.js'
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
  okta: {
    description: 'Okta: users, apps, app assignments and the System Log (API token or OAuth service app)',
    configuredBy: 'SIGHTLINE_OKTA_ORG_URL',
    scan: (store, env, options) => scanOkta(store, oktaConfigFromEnv(env), options),
  },
  entra: {
    description: 'Microsoft Entra: users, enterprise apps and assignments, delegated grants, sign-ins (app registration, client secret or certificate)',
    configuredBy: 'SIGHTLINE_ENTRA_TENANT_ID',
    scan: (store, env, options) =>
      scanEntra(
        store,
        entraConfigFrom({
          tenantId: env.SIGHTLINE_ENTRA_TENANT_ID ?? '',
          clientId: env.SIGHTLINE_ENTRA_CLIENT_ID ?? '',
          clientSecret: env.SIGHTLINE_ENTRA_CLIENT_SECRET,
          certificatePath: env.SIGHTLINE_ENTRA_CERTIFICATE_PATH,
          authorityHost: env.SIGHTLINE_ENTRA_AUTHORITY_HOST,
          graphBaseUrl: env.SIGHTLINE_ENTRA_GRAPH_URL,
        }),
        options,
      ),
  },
}

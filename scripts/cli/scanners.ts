import type { SignalResolver } from '../../collectors/sdk/app-resolution.js'
import type { ProgressEvent, RunResult } from '../../collectors/sdk/runner.js'
import type { Store } from '../../data/connection.js'

export interface Scanner {
  description: string
  /** The environment variable whose presence means "this source is configured" for `sightline scan`. */
  configuredBy: string
  scan(store: Store, env: NodeJS.ProcessEnv, options: { resolver: SignalResolver; onProgress?: (e: ProgressEvent) => void; fresh?: boolean }): Promise<RunResult>
}

/**
 * Live sources `sightline scan <source>` can read; each builds and validates its config from the environment.
 * A source's collector and vendor SDK load only when it scans.
 */
export const SCANNERS: Record<string, Scanner> = {
  google: {
    description: 'Google Workspace: users, OAuth tokens, login/SAML/token activity (service account with domain-wide delegation)',
    configuredBy: 'SIGHTLINE_GOOGLE_KEY_FILE',
    scan: async (store, env, options) => {
      const { googleConfigFromEnv, scanGoogle } = await import('../../collectors/google-workspace/index.js')
      return scanGoogle(store, googleConfigFromEnv(env), options)
    },
  },
  okta: {
    description: 'Okta: users, apps, app assignments and the System Log (API token or OAuth service app)',
    configuredBy: 'SIGHTLINE_OKTA_ORG_URL',
    scan: async (store, env, options) => {
      const { oktaConfigFromEnv, scanOkta } = await import('../../collectors/okta/index.js')
      return scanOkta(store, oktaConfigFromEnv(env), options)
    },
  },
  entra: {
    description: 'Microsoft Entra: users, enterprise apps and assignments, delegated grants, sign-ins (app registration, client secret or certificate)',
    configuredBy: 'SIGHTLINE_ENTRA_TENANT_ID',
    scan: async (store, env, options) => {
      const { entraConfigFrom, scanEntra } = await import('../../collectors/entra/index.js')
      return scanEntra(
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
      )
    },
  },
}

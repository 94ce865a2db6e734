import { userInfo } from 'node:os'
import { createRemediationDispatch, type RemediationCredentials } from '../../collectors/campaign-remediation.js'
import { entraConfigFrom } from '../../collectors/entra/config.js'
import { googleConfigFromEnv } from '../../collectors/google-workspace/config.js'
import { oktaConfigFromEnv } from '../../collectors/okta/config.js'
import type { RemediationDispatch } from '../../data/campaigns/remediation-queue.js'

/** The CLI's audit actor: `cli:<os user>`. */
export function cliActor(): string {
  let name = 'unknown'
  try {
    name = userInfo().username
  } catch {
    /* no passwd entry (containers): keep "unknown" */
  }
  return `cli:${name}`
}

export interface MailEnv {
  smtpUrl: string | null
  from: string
  baseUrl: string
}

/** SIGHTLINE_SMTP_URL (unset: mail stays in the outbox, shown in the UI), SIGHTLINE_MAIL_FROM, SIGHTLINE_BASE_URL. */
export function mailFromEnv(env: NodeJS.ProcessEnv = process.env): MailEnv {
  return {
    smtpUrl: env.SIGHTLINE_SMTP_URL?.trim() || null,
    from: env.SIGHTLINE_MAIL_FROM?.trim() || 'Sightline <sightline@localhost>',
    baseUrl: env.SIGHTLINE_BASE_URL?.trim() || 'http://localhost:3000',
  }
}

/** Remediation through every source whose credentials are in the environment (the same variables `sightline scan` reads). */
export function remediationDispatchFromEnv(env: NodeJS.ProcessEnv = process.env): { dispatch: RemediationDispatch; sources: string[] } {
  const credentials: RemediationCredentials = {}
  if (env.SIGHTLINE_OKTA_ORG_URL) credentials.okta = oktaConfigFromEnv(env)
  if (env.SIGHTLINE_GOOGLE_KEY_FILE) credentials.google = googleConfigFromEnv(env)
  if (env.SIGHTLINE_ENTRA_TENANT_ID) {
    credentials.entra = entraConfigFrom({
      tenantId: env.SIGHTLINE_ENTRA_TENANT_ID,
      clientId: env.SIGHTLINE_ENTRA_CLIENT_ID ?? '',
      clientSecret: env.SIGHTLINE_ENTRA_CLIENT_SECRET,
      certificatePath: env.SIGHTLINE_ENTRA_CERTIFICATE_PATH,
      authorityHost: env.SIGHTLINE_ENTRA_AUTHORITY_HOST,
      graphBaseUrl: env.SIGHTLINE_ENTRA_GRAPH_URL,
    })
  }
  return { dispatch: createRemediationDispatch(credentials), sources: Object.keys(credentials) }
}

import type { MailTransport } from '../../data/campaigns/outbox.js'
import type { RemediationDispatch } from '../../data/campaigns/remediation-queue.js'

/** What the campaign pages need beyond the store: mail (else the outbox is shown) and remediation dispatch. */
export interface CampaignUiDeps {
  /** `baseUrl` null: links point at the origin the request came to. */
  mail?: { transport: MailTransport; from: string; baseUrl: string | null } | null
  dispatch?: RemediationDispatch | null
}

export type SignalKind = 'merchant' | 'domain' | 'oauth_client' | 'sso_app' | 'name' | 'extension'

export interface Signal {
  kind: SignalKind
  value: string
  /** e.g. `{ name: 'Slack' }` next to an OAuth client id */
  context?: Record<string, string>
}

export type ResolveRule =
  | 'override'
  | 'extension-id'
  | 'exact-domain'
  | 'subdomain'
  | 'tenant-domain'
  | 'merchant-pattern'
  | 'merchant-prefix'
  | 'oauth-client-id'
  | 'oauth-client-name'
  | 'sso-label'
  | 'exact-name'
  | 'fuzzy-name'
  | 'not-an-app'
  | 'unknown'

export interface Resolution {
  app: { key: string; name: string; category: string } | null
  /** 0..1; 0 for unknowns */
  confidence: number
  rule: ResolveRule
  /** one plain sentence */
  explanation: string
  /** the value after normalisation (cleaned descriptor, host, or name) */
  normalized: string
  /** for unmatched signals: the unknown app they group under; null when matched or "not an app" */
  candidate: { key: string; name: string } | null
  /** set when the signal is a known non-SaaS merchant or site (rule `not-an-app`): travel, food, games … */
  notApp?: { family: string; name: string }
}

/** Admin-confirmed mapping; `appKey: null` means "this is not an app". Always wins. */
export interface Override {
  kind: SignalKind
  value: string
  appKey: string | null
}

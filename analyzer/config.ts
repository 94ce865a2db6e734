/** Analyzer thresholds: configuration with documented defaults (README "Findings"). */
export interface AnalyzerConfig {
  /** The moment the analysis speaks of; activity windows count back from here. */
  asOf: string
  /** An assigned or paid account with no activity for this many days is an inactive license. */
  inactiveDays: number
  /** Spend in this many days before asOf counts as "currently paid" for duplicate / overlapping spend. */
  spendWindowDays: number
  /** A peer group (department × title) needs at least this many people before an outlier means anything. */
  outlierMinPeers: number
  /** Grant risk levels that make a grant to an unsanctioned app risky. */
  riskyGrantLevels: readonly string[]
  /** Company email domains; inferred from the people table when empty. */
  companyDomains: readonly string[]
  /** Categories whose apps are never "company SaaS" (consumer subscriptions on a corporate card). */
  personalCategories: readonly string[]
  /** Catalog functions billed by usage, not per seat: a leaver's account there costs nothing by itself. */
  usageBilledFunctions: readonly string[]
  /** Card categories (as statements name them) that are never software: their merchants are not subscriptions. */
  nonSoftwareSpendCategories: RegExp
  /** Card categories that say "software": an unknown merchant charged under one is a SaaS candidate at once. */
  softwareSpendCategories: RegExp
  /** Functions / categories where several paid apps are normal (not overlapping tools). */
  overlapExemptCategories: readonly string[]
}

export const DEFAULT_ANALYZER_CONFIG: Omit<AnalyzerConfig, 'asOf'> = Object.freeze({
  inactiveDays: 60,
  spendWindowDays: 365,
  outlierMinPeers: 5,
  riskyGrantLevels: Object.freeze(['high', 'critical']),
  companyDomains: Object.freeze([]),
  personalCategories: Object.freeze(['personal']),
  usageBilledFunctions: Object.freeze([
    'cloud-infrastructure', 'hosting', 'cdn', 'observability', 'error-tracking', 'data-warehouse', 'managed-database',
    'ai-api', 'communications-api', 'search-api', 'data-pipelines', 'ci-cd',
  ]),
  softwareSpendCategories: /software|saas|internet services|computer (software|services)|cloud|subscription/i,
  nonSoftwareSpendCategories: /restaurant|meal|food|dining|travel|lodging|hotel|air(fare|line)|transport|taxi|rideshare|car rental|parking|fuel|gas station|office supplies|merchandise|retail|grocery|entertainment|shipping|postage/i,
  overlapExemptCategories: Object.freeze(['other', 'personal', 'travel']),
})

export function analyzerConfig(overrides: Partial<AnalyzerConfig> = {}): AnalyzerConfig {
  return Object.freeze({ ...DEFAULT_ANALYZER_CONFIG, asOf: new Date().toISOString(), ...overrides })
}

export function daysBefore(iso: string, days: number): string {
  return new Date(Date.parse(iso) - days * 86_400_000).toISOString()
}

import type { AppFunction } from '../../data/catalog/subcategories.js'
import type { Category } from '../../data/catalog/schema.js'

/** Where a source category lands in ours: the coarse category and the job the app does. */
export interface Placement {
  category: Category
  function: AppFunction
}

/**
 * webappanalyzer category ids (its `src/categories.json`) → ours. Only categories whose SaaS members a company
 * buys for work are listed; the rest (widgets, BNPL, fundraising, WordPress plugins, JavaScript libraries …) are
 * not taken, because a technology that merely appears on web pages is not an app the company uses.
 * Order matters: an entry with several categories takes the first listed here.
 */
export const WEBAPPANALYZER_PLACEMENTS: ReadonlyArray<readonly [number, Placement]> = [
  [53, { category: 'crm', function: 'crm' }],
  [13, { category: 'project-management', function: 'issue-tracking' }],
  [55, { category: 'accounting', function: 'accounting' }],
  [101, { category: 'recruiting', function: 'recruiting' }],
  [21, { category: 'learning', function: 'learning-management' }],
  [72, { category: 'scheduling', function: 'scheduling' }],
  [73, { category: 'survey-forms', function: 'forms-surveys' }],
  [110, { category: 'survey-forms', function: 'forms-surveys' }],
  [52, { category: 'customer-support', function: 'customer-support' }],
  [97, { category: 'data', function: 'customer-data-platform' }],
  [42, { category: 'data', function: 'customer-data-platform' }],
  [74, { category: 'analytics', function: 'experimentation' }],
  [85, { category: 'engineering', function: 'experimentation' }],
  [58, { category: 'analytics', function: 'product-analytics' }],
  [78, { category: 'devops', function: 'observability' }],
  [10, { category: 'analytics', function: 'web-analytics' }],
  [32, { category: 'marketing', function: 'marketing-automation' }],
  [98, { category: 'marketing', function: 'marketing-automation' }],
  [94, { category: 'marketing', function: 'marketing-automation' }],
  [84, { category: 'marketing', function: 'marketing-automation' }],
  [76, { category: 'marketing', function: 'marketing-automation' }],
  [75, { category: 'marketing', function: 'email-marketing' }],
  [54, { category: 'marketing', function: 'seo' }],
  [36, { category: 'marketing', function: 'advertising' }],
  [77, { category: 'marketing', function: 'advertising' }],
  [90, { category: 'marketing', function: 'review-management' }],
  [71, { category: 'sales', function: 'partner-management' }],
  [67, { category: 'legal', function: 'privacy-compliance' }],
  [69, { category: 'identity', function: 'identity-provider' }],
  [46, { category: 'it-management', function: 'remote-access' }],
  [89, { category: 'productivity', function: 'translation' }],
  [95, { category: 'design', function: 'digital-asset-management' }],
  [14, { category: 'design', function: 'video-hosting' }],
  [103, { category: 'video-meetings', function: 'webinars' }],
  [4, { category: 'engineering', function: 'developer-docs' }],
  [29, { category: 'engineering', function: 'search-api' }],
  [44, { category: 'devops', function: 'ci-cd' }],
  [34, { category: 'data', function: 'managed-database' }],
  [31, { category: 'devops', function: 'cdn' }],
  [92, { category: 'devops', function: 'cdn' }],
  [62, { category: 'devops', function: 'hosting' }],
  [88, { category: 'devops', function: 'hosting' }],
  [63, { category: 'devops', function: 'cloud-infrastructure' }],
  [112, { category: 'ai-assistants', function: 'ai-api' }],
  [50, { category: 'file-storage', function: 'file-sharing' }],
  [41, { category: 'finance', function: 'billing-payments' }],
  [16, { category: 'security', function: 'web-security' }],
  [1, { category: 'marketing', function: 'website-builder' }],
  [51, { category: 'marketing', function: 'website-builder' }],
  [6, { category: 'other', function: 'ecommerce-platform' }],
  [100, { category: 'other', function: 'ecommerce-platform' }],
  [108, { category: 'other', function: 'ecommerce-platform' }],
  [106, { category: 'other', function: 'ecommerce-platform' }],
]

/**
 * 2FA Directory categories (`tests/categories.json`) that hold services companies sign up for. The consumer ones
 * (gaming, betting, retail, transport, food, entertainment, utilities, government …) feed the non-SaaS list instead.
 */
export const TWOFACTOR_PLACEMENTS: Readonly<Record<string, Placement>> = {
  developer: { category: 'engineering', function: 'api-tools' },
  cloud: { category: 'devops', function: 'cloud-infrastructure' },
  hosting: { category: 'devops', function: 'hosting' },
  backup: { category: 'file-storage', function: 'file-sharing' },
  remote: { category: 'it-management', function: 'remote-access' },
  vpn: { category: 'security', function: 'network-access' },
  identity: { category: 'identity', function: 'identity-provider' },
  security: { category: 'security', function: 'web-security' },
  task: { category: 'project-management', function: 'project-management' },
  marketing: { category: 'marketing', function: 'marketing-automation' },
  communication: { category: 'communication', function: 'team-chat' },
  email: { category: 'communication', function: 'business-email' },
  creativity: { category: 'design', function: 'design' },
  legal: { category: 'legal', function: 'legal-services' },
  payments: { category: 'finance', function: 'billing-payments' },
}

/** 2FA Directory categories whose members are never company SaaS: their domains become non-SaaS merchants. */
export const TWOFACTOR_NOT_APPS: Readonly<Record<string, string>> = {
  gaming: 'games',
  betting: 'games',
  retail: 'retail',
  transport: 'travel',
  travel: 'travel',
  food: 'food',
  entertainment: 'consumer-media',
  utilities: 'utilities',
  government: 'government',
  postal: 'shipping',
  tickets: 'events',
  insurance: 'insurance',
  health: 'health',
  universities: 'education',
}

import { describe, expect, it } from 'vitest'
import { loadCatalog } from './index.js'
import { catalogEntrySchema } from './schema.js'
import { FUNCTION_NAMES, FUNCTIONS, isAppFunction } from './subcategories.js'

const catalog = loadCatalog()
const fnOf = (key: string): string | undefined => {
  const entry = catalog.byKey(key)
  if (!entry) throw new Error(`test: no catalog entry "${key}"`)
  return entry.function
}

describe('FUNCTIONS vocabulary', () => {
  it('should hold a manageable number of kebab-case functions, each with a one-line description', () => {
    expect(FUNCTION_NAMES.length).toBeGreaterThanOrEqual(80)
    expect(FUNCTION_NAMES.length).toBeLessThanOrEqual(130)
    for (const name of FUNCTION_NAMES) {
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      const description = FUNCTIONS[name]
      expect(description.length, name).toBeGreaterThan(10)
      expect(description, name).not.toMatch(/\n/)
    }
  })

  it('should include the names the demo generator groups apps by', () => {
    const demo = `video-meetings password-manager productivity-suite ai-assistant ai-writing writing-assistant meeting-notes
      ai-image ai-coding translation forms-surveys project-management issue-tracking knowledge-base design whiteboard
      diagramming file-sharing scheduling video-messaging sales-intelligence revenue-intelligence crm customer-support
      email-marketing marketing-automation seo social-media-management team-chat source-control observability
      error-tracking incident-management api-tools cloud-infrastructure hosting e-signature erp expense-management hris
      performance-management recruiting database email-automation`.split(/\s+/)
    expect(demo.filter((name) => !isAppFunction(name))).toEqual([])
  })

  it('should tell known functions from other strings', () => {
    expect(isAppFunction('crm')).toBe(true)
    expect(isAppFunction('toString')).toBe(false)
    expect(isAppFunction('ai-assistants')).toBe(false)
  })
})

describe('catalog functions', () => {
  it('should give every entry a function from FUNCTIONS', () => {
    const missing = catalog.entries.filter((e) => e.function === undefined).map((e) => e.key)
    expect(missing).toEqual([])
    for (const e of catalog.entries) expect(isAppFunction(e.function ?? ''), e.key).toBe(true)
  })

  it('should use every function at least once', () => {
    const used = new Set(catalog.entries.map((e) => e.function))
    expect(FUNCTION_NAMES.filter((name) => !used.has(name))).toEqual([])
  })

  it('should group the usual substitutes under one function', () => {
    const same: readonly (readonly [string, readonly string[]])[] = [
      ['video-meetings', ['zoom', 'webex', 'gotomeeting', 'google-meet']],
      ['password-manager', ['1password', 'lastpass', 'bitwarden']],
      ['productivity-suite', ['google-workspace', 'microsoft-365']],
      ['ai-assistant', ['chatgpt', 'claude', 'perplexity', 'gemini', 'microsoft-copilot']],
      ['meeting-notes', ['otter-ai', 'fireflies', 'fathom']],
      ['ai-coding', ['cursor', 'github-copilot']],
      ['ai-writing', ['jasper', 'copy-ai', 'writesonic']],
      ['team-chat', ['slack', 'microsoft-teams']],
      ['project-management', ['asana', 'monday', 'clickup', 'trello', 'wrike', 'smartsheet']],
      ['issue-tracking', ['jira', 'linear']],
      ['knowledge-base', ['confluence', 'notion']],
      ['forms-surveys', ['typeform', 'surveymonkey', 'jotform', 'google-forms']],
      ['file-sharing', ['dropbox', 'box', 'wetransfer']],
      ['sales-intelligence', ['zoominfo', 'linkedin-sales-navigator', 'apollo-io']],
      ['revenue-intelligence', ['gong', 'chorus']],
      ['seo', ['semrush', 'ahrefs']],
      ['e-signature', ['docusign', 'dropbox-sign']],
    ]
    for (const [fn, keys] of same) for (const key of keys) expect(fnOf(key), key).toBe(fn)
  })

  it('should keep apps that do different jobs apart, even within one category', () => {
    expect(fnOf('otter-ai')).not.toBe(fnOf('chatgpt'))
    expect(fnOf('midjourney')).not.toBe(fnOf('claude'))
    expect(fnOf('cursor')).not.toBe(fnOf('chatgpt'))
    expect(fnOf('deepl')).not.toBe(fnOf('jasper'))
    expect(fnOf('grammarly')).not.toBe(fnOf('jasper'))
    expect(fnOf('loom')).not.toBe(fnOf('zoom'))
    expect(fnOf('jira')).not.toBe(fnOf('asana'))
    expect(fnOf('miro')).not.toBe(fnOf('lucid'))
  })

  it('should match the demo generator on the apps it groups', () => {
    const demo: Record<string, string> = {
      'hubspot': 'marketing-automation', 'airtable': 'database', 'postman': 'api-tools', 'vercel': 'hosting',
      'aws': 'cloud-infrastructure', 'netsuite': 'erp', 'expensify': 'expense-management', 'bamboohr': 'hris',
      'lattice': 'performance-management', 'greenhouse': 'recruiting', 'datadog': 'observability',
      'sentry': 'error-tracking', 'pagerduty': 'incident-management', 'github': 'source-control',
      'mailchimp': 'email-marketing', 'hootsuite': 'social-media-management', 'calendly': 'scheduling',
      'salesforce': 'crm', 'zendesk': 'customer-support', 'figma': 'design', 'canva': 'design',
      'adobe-creative-cloud': 'design', 'deepl': 'translation', 'midjourney': 'ai-image', 'grammarly': 'writing-assistant',
    }
    for (const [key, fn] of Object.entries(demo)) expect(fnOf(key), key).toBe(fn)
  })
})

describe('catalogEntrySchema function field', () => {
  const base = { key: 'acme', name: 'Acme', vendor: 'Acme', category: 'other' }

  it('should accept an entry without a function', () => {
    expect(catalogEntrySchema.safeParse(base).success).toBe(true)
  })

  it('should reject a function outside the controlled list', () => {
    expect(catalogEntrySchema.safeParse({ ...base, function: 'video-meeting' }).success).toBe(false)
    expect(catalogEntrySchema.safeParse({ ...base, function: 'video-meetings' }).success).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { loadCatalog, CATEGORIES, type CatalogEntryInput } from './index.js'
import { validateCatalog } from './validate-catalog.js'

const REQUIRED_KEYS = `slack microsoft-teams zoom google-meet webex gotomeeting ringcentral dialpad loom calendly
google-workspace microsoft-365 notion confluence jira trello asana monday clickup linear smartsheet airtable miro lucid
figma canva adobe-creative-cloud adobe-acrobat dropbox box wetransfer docusign dropbox-sign github gitlab bitbucket
datadog sentry pagerduty postman vercel heroku aws cloudflare salesforce hubspot pipedrive zendesk intercom freshdesk
gong outreach zoominfo linkedin-sales-navigator mailchimp semrush hootsuite typeform surveymonkey workday bamboohr gusto
rippling lattice greenhouse lever expensify brex ramp quickbooks xero netsuite bill 1password lastpass okta crowdstrike
chatgpt claude perplexity midjourney grammarly otter-ai fireflies jasper cursor github-copilot gemini deepl
youtube-premium spotify netflix amazon-prime`.split(/\s+/)

const entry = (over: Partial<CatalogEntryInput>): CatalogEntryInput => ({
  key: 'acme-app',
  name: 'Acme App',
  vendor: 'Acme',
  category: 'other',
  ...over,
})

describe('catalog data', () => {
  const catalog = loadCatalog()

  it('should hold at least 400 entries, every one valid and unambiguous', () => {
    expect(catalog.entries.length).toBeGreaterThanOrEqual(400)
    expect(validateCatalog(catalog.entries)).toEqual([])
  })

  it('should contain every key the demo generator uses', () => {
    const missing = REQUIRED_KEYS.filter((k) => catalog.byKey(k) === undefined)
    expect(missing).toEqual([])
  })

  it('should file consumer services under personal', () => {
    for (const k of ['youtube-premium', 'spotify', 'netflix', 'amazon-prime']) expect(catalog.byKey(k)?.category).toBe('personal')
  })

  it('should use only the controlled categories and cover most of them', () => {
    const used = new Set(catalog.entries.map((e) => e.category))
    for (const c of used) expect(CATEGORIES).toContain(c)
    expect(used.size).toBeGreaterThanOrEqual(28)
  })

  it('should include the generative-AI tools employees adopt on their own', () => {
    const ai = catalog.entries.filter((e) => e.category === 'ai-assistants')
    expect(ai.length).toBeGreaterThanOrEqual(30)
  })

  it('should point every parent at an entry that exists', () => {
    for (const e of catalog.entries) if (e.parent) expect(catalog.byKey(e.parent), e.key).toBeDefined()
  })

  it('should return the same object on a second load', () => {
    expect(loadCatalog()).toBe(catalog)
  })
})

describe('validateCatalog', () => {
  it('should report two entries claiming one domain without precedence', () => {
    const problems = validateCatalog([
      entry({ key: 'a', name: 'A', domains: ['shared.example'] }),
      entry({ key: 'b', name: 'B', domains: ['shared.example'] }),
    ])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.message).toMatch(/domain "shared\.example"/)
  })

  it('should report a merchant pattern shared without precedence, whatever its spacing', () => {
    const problems = validateCatalog([
      entry({ key: 'a', name: 'A', merchantPatterns: ['GOOGLE *THING'] }),
      entry({ key: 'b', name: 'B', merchantPatterns: ['GOOGLE*THING'] }),
    ])
    expect(problems.map((p) => p.message).join()).toMatch(/merchant pattern/)
  })

  it('should accept a shared claim when a precedence picks the winner', () => {
    expect(
      validateCatalog([
        entry({ key: 'a', name: 'A', domains: ['shared.example'], precedence: 10 }),
        entry({ key: 'b', name: 'B', domains: ['shared.example'] }),
      ]),
    ).toEqual([])
  })

  it('should report schema errors, duplicate keys and unknown parents', () => {
    const problems = validateCatalog([
      entry({ key: 'Bad Key' }),
      entry({ key: 'dup', name: 'Dup 1' }),
      entry({ key: 'dup', name: 'Dup 2' }),
      entry({ key: 'child', name: 'Child', parent: 'nowhere' }),
      { key: 'x', name: 'X', vendor: 'X', category: 'not-a-category' },
    ])
    const text = problems.map((p) => `${p.entry}: ${p.message}`).join('\n')
    expect(text).toMatch(/Bad Key: key/)
    expect(text).toMatch(/dup: duplicate key/)
    expect(text).toMatch(/parent "nowhere"/)
    expect(text).toMatch(/x: category/)
  })
})

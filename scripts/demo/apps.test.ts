import { describe, expect, it } from 'vitest'
import { APPS, HIGH_RISK_SCOPES, isSanctionedBySso } from './apps.js'

// The catalog keys the demo must use (copied from the coordination note APP_KEYS.md).
const CATALOG_KEYS = new Set(`slack microsoft-teams zoom google-meet webex gotomeeting ringcentral dialpad loom calendly
google-workspace microsoft-365 notion confluence jira trello asana monday clickup linear smartsheet airtable miro lucid
figma canva adobe-creative-cloud adobe-acrobat dropbox box wetransfer docusign dropbox-sign github gitlab bitbucket
atlassian-cloud datadog sentry pagerduty postman vercel heroku aws cloudflare salesforce hubspot pipedrive zendesk
intercom freshdesk gong outreach zoominfo linkedin-sales-navigator mailchimp semrush hootsuite typeform surveymonkey
workday bamboohr gusto rippling lattice greenhouse lever expensify brex ramp quickbooks xero netsuite bill 1password
lastpass okta crowdstrike chatgpt claude perplexity midjourney grammarly otter-ai fireflies jasper cursor github-copilot
gemini deepl youtube-premium spotify netflix amazon-prime`.split(/\s+/))

describe('app profiles', () => {
  it('should use only catalog keys, or unknown:<slug> for invented vendors', () => {
    for (const a of APPS) {
      if (a.catalogued) expect(CATALOG_KEYS.has(a.key), a.key).toBe(true)
      else expect(a.key).toMatch(/^unknown:[a-z]+$/)
    }
    expect(new Set(APPS.map((a) => a.key)).size).toBe(APPS.length)
  })

  it('should state `sanctioned` exactly as the ground-truth rule derives it', () => {
    for (const a of APPS) expect(a.sanctioned, a.key).toBe(isSanctionedBySso(a))
  })

  it('should keep the everyday scopes of unsanctioned apps free of high-risk scopes', () => {
    const risky = new Set(HIGH_RISK_SCOPES)
    for (const a of APPS.filter((x) => !x.sanctioned)) {
      for (const s of a.googleOAuth?.scopes ?? []) expect(risky.has(s), `${a.key} ${s}`).toBe(false)
      for (const s of a.entraOAuth?.scopes.split(' ') ?? []) expect(risky.has(s), `${a.key} ${s}`).toBe(false)
    }
  })

  it('should mark the four consumer services as personal and nothing else', () => {
    expect(APPS.filter((a) => a.personal).map((a) => a.key).sort()).toEqual(['amazon-prime', 'netflix', 'spotify', 'youtube-premium'])
    expect(APPS.filter((a) => !a.catalogued).length).toBeGreaterThanOrEqual(10)
  })
})

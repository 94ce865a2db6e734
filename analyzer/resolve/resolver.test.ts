import { describe, expect, it } from 'vitest'
import { loadCatalog, type CatalogEntry } from '../../data/catalog/index.js'
import { loadSsoLabelFiles } from '../../data/catalog/sso-labels.js'
import { createResolver, normalizeMerchant, normalizeDomain, normalizeName, candidateKey, type Signal } from './index.js'

const catalog = loadCatalog()
const resolver = createResolver({ entries: catalog.entries })
const keyOf = (kind: Signal['kind'], value: string): string | null => resolver.resolve({ kind, value }).app?.key ?? null

describe('resolver: the examples of the brief', () => {
  it('should resolve the four faces of Notion to one app', () => {
    expect(keyOf('merchant', 'SQ *NOTION LABS INC 415-5551234 CA')).toBe('notion')
    expect(keyOf('oauth_client', 'Notion')).toBe('notion')
    expect(keyOf('domain', 'acme.notion.site')).toBe('notion')
    expect(keyOf('sso_app', 'Notion (SAML)')).toBe('notion')
  })

  it('should resolve the three faces of Zoom to one app', () => {
    expect(keyOf('merchant', 'ZOOM.US 888-799-9666')).toBe('zoom')
    expect(keyOf('merchant', 'ZOOM VIDEO COMM')).toBe('zoom')
    expect(keyOf('domain', 'zoom.us')).toBe('zoom')
  })

  it('should tell Google Workspace from YouTube Premium under GOOGLE *', () => {
    expect(keyOf('merchant', 'GOOGLE *GSUITE_acme.com')).toBe('google-workspace')
    const yt = resolver.resolve({ kind: 'merchant', value: 'GOOGLE *YouTubePremium' })
    expect(yt).toMatchObject({ app: null, candidate: null, rule: 'not-an-app', notApp: { family: 'consumer-subscription', name: 'YouTube Premium' } })
  })

  it('should group one unknown vendor seen three ways under one candidate', () => {
    const rs = ['SQ *ACME WIDGETS 555-1234 CA', 'ACME WIDGETS INC'].map((value) => resolver.resolve({ kind: 'merchant', value }))
    rs.push(resolver.resolve({ kind: 'domain', value: 'acmewidgets.com' }))
    for (const r of rs) {
      expect(r.app).toBeNull()
      expect(r.rule).toBe('unknown')
      expect(r.candidate?.key).toBe('acmewidgets')
    }
  })

  it.each([
    ['SQ *', 'SQ *FIGMA', 'figma'],
    ['TST*', 'TST* CALENDLY', 'calendly'],
    ['PAYPAL *', 'PAYPAL *MIDJOURNEY', 'midjourney'],
    ['PADDLE.NET*', 'PADDLE.NET* N8N GMBH', 'n8n'],
    ['FS *', 'FS *JETBRAINS', 'jetbrains'],
    ['2CO*', '2CO*DEEPL', 'deepl'],
    ['GOOGLE *', 'GOOGLE *Colab', 'google-colab'],
    ['PAYPAL *', 'PAYPAL *OPENROUTER', 'openrouter'],
    ['GOOGLE *', 'GOOGLE *CLOUD 4K7L9M', 'google-cloud'],
    ['SP *', 'SP * CANVA', 'canva'],
    ['DNH*', 'DNH*ZAPIER', 'zapier'],
    ['LS *', 'LS *ELEVENLABS', 'elevenlabs'],
    ['IN *', 'IN *HUBSPOT', 'hubspot'],
    ['CKE*', 'CKE*TYPEFORM', 'typeform'],
  ])('should read what follows the %s prefix', (_prefix, value, key) => {
    expect(keyOf('merchant', value)).toBe(key)
  })

  it('should strip store numbers, phones, places, legal forms, case and punctuation', () => {
    expect(normalizeMerchant('SQ *NOTION LABS INC 415-5551234 CA')).toBe('NOTION LABS')
    expect(normalizeMerchant('Atlassian Pty Ltd  Sydney AU')).toBe('ATLASSIAN')
    expect(normalizeMerchant('Starbucks Store #12345 San Francisco CA')).toBe('STARBUCKS')
    expect(normalizeMerchant('zoom.us 888-799-9666')).toBe('ZOOM.US')
    expect(normalizeMerchant('DEEPL S.E. (800) 555-0199')).toBe('DEEPL')
    expect(keyOf('merchant', 'atlassian pty. ltd., sydney, au')).toBe('atlassian-cloud')
  })

  it('should handle subdomains, tenants, URLs with paths, emails and punycode', () => {
    expect(normalizeDomain('HTTPS://WWW.Notion.so:443/acme/Page?x=1#top')).toBe('notion.so')
    expect(normalizeDomain('Ana.Lopez@Acme.COM ')).toBe('acme.com')
    expect(normalizeDomain('https://bücher.example/x')).toBe('xn--bcher-kva.example')
    expect(normalizeDomain('not a domain')).toBe('')
    expect(keyOf('domain', 'https://acme.atlassian.net/wiki/spaces/ENG')).toBe('confluence')
    expect(keyOf('domain', 'acme.atlassian.net/browse/ENG-42')).toBe('jira')
    expect(keyOf('domain', 'acme.atlassian.net')).toBe('atlassian-cloud')
    expect(keyOf('domain', 'jane@acme.slack.com')).toBe('slack')
    expect(keyOf('domain', 'docs.google.com/document/d/1')).toBe('google-workspace')
    expect(keyOf('domain', 'meet.google.com')).toBe('google-meet')
    expect(keyOf('domain', 'www.google.com')).toBeNull()
    expect(resolver.resolve({ kind: 'domain', value: 'acme.slack.com' }).rule).toBe('tenant-domain')
    expect(resolver.resolve({ kind: 'domain', value: 'zoom.us' }).rule).toBe('exact-domain')
  })

  it('should keep look-alike names apart', () => {
    expect(keyOf('name', 'Loom')).toBe('loom')
    expect(keyOf('name', 'Bloom')).toBeNull()
    expect(keyOf('name', 'Linear')).toBe('linear')
    expect(keyOf('name', 'Linearity')).toBe('linearity')
    expect(keyOf('name', 'Box')).toBe('box')
    expect(keyOf('name', 'Dropbox')).toBe('dropbox')
    expect(keyOf('name', 'Xbox')).toBeNull()
    expect(keyOf('name', 'Notion')).toBe('notion')
    expect(keyOf('name', 'Motion')).toBe('motion')
    expect(keyOf('merchant', 'SQ *BLOOM FLOWERS')).toBeNull()
    expect(keyOf('merchant', 'SQ *LOOM COFFEE ROASTERS')).toBeNull()
    expect(keyOf('merchant', 'ZOOM CAR WASH')).toBeNull()
    expect(keyOf('merchant', 'ASANA YOGA STUDIO')).toBeNull()
    expect(keyOf('merchant', 'LINEARITY GMBH')).toBe('linearity')
  })
})

describe('resolver: rules, overrides and custom entries', () => {
  it('should report the rule, a confidence and one plain sentence', () => {
    const r = resolver.resolve({ kind: 'merchant', value: 'ZOOM.US 888-799-9666' })
    expect(r).toMatchObject({ rule: 'merchant-pattern', normalized: 'ZOOM.US', candidate: null })
    expect(r.confidence).toBeGreaterThan(0.9)
    expect(r.explanation).toMatch(/^[A-Z].*Zoom\.$/)
    expect(resolver.resolve({ kind: 'oauth_client', value: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' })).toMatchObject({
      rule: 'oauth-client-id',
      app: { key: 'microsoft-teams' },
    })
    expect(resolver.resolve({ kind: 'name', value: 'Grammerly' })).toMatchObject({ rule: 'fuzzy-name', app: { key: 'grammarly' } })
  })

  it('should use the context name for an unlisted OAuth client id', () => {
    const r = resolver.resolve({ kind: 'oauth_client', value: '1234-abc.apps.googleusercontent.com', context: { name: 'Slack' } })
    expect(r.app?.key).toBe('slack')
    expect(resolver.resolve({ kind: 'oauth_client', value: '1234-abc.apps.googleusercontent.com' }).app).toBeNull()
  })

  it('should let admin overrides win, including "not an app"', () => {
    const r = createResolver({
      entries: catalog.entries,
      overrides: [
        { kind: 'merchant', value: 'ZOOM.US 888-799-9666', appKey: null },
        { kind: 'merchant', value: 'ACME WIDGETS INC', appKey: 'airtable' },
        { kind: 'domain', value: 'notion.so', appKey: 'confluence' },
      ],
    })
    expect(r.resolve({ kind: 'merchant', value: 'ZOOM.US 888-799-9666' })).toMatchObject({ app: null, rule: 'override', candidate: null })
    expect(r.resolve({ kind: 'merchant', value: 'SQ *ACME WIDGETS 555-1234 CA' })).toMatchObject({ app: { key: 'airtable' }, rule: 'override', confidence: 1 })
    expect(r.resolve({ kind: 'domain', value: 'https://www.notion.so/x' }).app?.key).toBe('confluence')
    expect(() => createResolver({ entries: catalog.entries, overrides: [{ kind: 'name', value: 'x', appKey: 'no-such-app' }] })).toThrow(/not in the catalog/)
  })

  it('should resolve a company custom entry passed next to the catalog', () => {
    const custom: CatalogEntry = {
      key: 'acme-portal', name: 'Acme Portal', vendor: 'Acme', category: 'other', domains: ['portal.acme.com'], tenantPatterns: [],
      merchantPatterns: [], oauthClients: [], ssoLabels: ['Acme Portal (SAML)'], aliases: [], ambiguousName: false,
      sso: { available: true, plan: null }, scim: { available: null, plan: null }, tags: [], sources: ['company'],
    }
    const r = createResolver({ entries: [...catalog.entries, custom] })
    expect(r.resolve({ kind: 'domain', value: 'portal.acme.com' }).app?.key).toBe('acme-portal')
    expect(r.resolve({ kind: 'sso_app', value: 'Acme Portal' }).app?.key).toBe('acme-portal')
  })

  it('should memoise by (kind, value) within a bounded cache', () => {
    const r = createResolver({ entries: catalog.entries, cacheSize: 50 })
    const a = r.resolve({ kind: 'merchant', value: 'FIGMA' })
    expect(r.resolve({ kind: 'merchant', value: 'FIGMA' })).toBe(a)
    for (let i = 0; i < 200; i++) r.resolve({ kind: 'merchant', value: `VENDOR ${i} LLC` })
    expect(r.cacheEntries).toBe(50)
    expect(Object.isFrozen(a)).toBe(true)
  })

  it('should export normalisers that agree with each other', () => {
    expect(normalizeName('Zoom for Google Workspace')).toBe('zoom')
    expect(normalizeName('Notion (SAML)')).toBe('notion')
    expect(candidateKey('merchant', 'SQ *ACME WIDGETS 555-1234 CA')).toBe(candidateKey('domain', 'https://acmewidgets.com/pricing'))
    expect(candidateKey('name', 'Acme Widgets')).toBe('acmewidgets')
  })
})

describe('resolver: typed names', () => {
  const key = (kind: Signal['kind'], value: string) => resolver.resolve({ kind, value }).app?.key ?? null

  it('should forgive two swapped letters in a short name, but not a changed letter', () => {
    expect(key('name', 'Notoin')).toBe('notion')
    expect(key('name', 'Motion')).toBe('motion')
    expect(key('name', 'Slakc')).toBeNull()
  })

  it('should drop a plan word typed after the product and ignore a processor domain in a candidate key', () => {
    expect(key('merchant', 'Claude Pro')).toBe('claude')
    expect(key('merchant', 'SLACK PRO')).toBe('slack')
    expect(candidateKey('merchant', 'FS *BRIGHTSHEET FASTSPRING.COM CA')).toBe('brightsheet')
  })
})

describe('non-SaaS merchants and sites', () => {
  const resolver = createResolver({ entries: loadCatalog().entries })
  it.each([
    ['merchant', 'APPLE.COM/BILL 866-712-7753 CA', 'app-store'],
    ['merchant', 'PAYPAL *STEAMGAMES', 'games'],
    ['merchant', 'HOTELS.COM 72349823 WA', 'travel'],
    ['merchant', 'BOOKING.COM HOTEL AMSTERDAM', 'travel'],
    ['merchant', 'UBER *TRIP HELP.UBER.COM', 'travel'],
    ['merchant', 'UBER *EATS PENDING', 'food'],
    ['merchant', 'AMZN MKTP US*2K4LM8XY3', 'retail'],
    ['merchant', 'GOOGLE *GOOGLE PLAY', 'app-store'],
    ['merchant', 'AMZN PRIME', 'consumer-subscription'],
    ['merchant', 'NETFLIX.COM LOS GATOS CA', 'consumer-subscription'],
    ['merchant', 'DELTA AIR 0062345678901', 'travel'],
    ['domain', 'www.expedia.com', 'travel'],
    ['domain', 'store.steampowered.com', 'games'],
  ])('should say a %s "%s" is not an app (%s), with no candidate', (kind, value, family) => {
    const r = resolver.resolve({ kind: kind as 'merchant' | 'domain', value })
    expect(r).toMatchObject({ app: null, candidate: null, rule: 'not-an-app', notApp: { family } })
    expect(r.explanation).toContain(`Not an app (${family})`)
  })

  it('should still resolve a SaaS product billed through the same processor', () => {
    expect(resolver.resolve({ kind: 'merchant', value: 'GOOGLE *GSUITE_ACME.COM' }).app?.key).toBe('google-workspace')
    expect(resolver.resolve({ kind: 'merchant', value: 'UBER *TRIP' }).app).toBeNull()
  })

  it('should never match a non-SaaS record by name, alias or a typo', () => {
    expect(resolver.resolve({ kind: 'sso_app', value: 'Delta Air' }).rule).not.toBe('not-an-app')
    expect(resolver.resolve({ kind: 'name', value: 'Steam' }).rule).toBe('unknown')
  })

  it('should take a known product after a processor prefix before the processor itself', () => {
    expect(resolver.resolve({ kind: 'merchant', value: 'GOOGLE *Colab' }).app?.key).toBe('google-colab')
    expect(resolver.resolve({ kind: 'merchant', value: 'GOOGLE *YouTubePremium g.co/helppay#' }).notApp?.name).toBe('YouTube Premium')
  })
})

// Cases the grown eval turned up (Entra gallery labels, a company's card-program merchants, statement lines).
describe('resolver: what real gallery labels and card lines taught', () => {
  it("should not take a vendor's name for its one catalogued product", () => {
    for (const label of ['Cisco Umbrella', 'IBM OpenPages', 'SAP Litmos', 'Adobe Experience Manager', 'HashiCorp Boundary', 'Akamai']) {
      expect(keyOf('sso_app', label), label).toBeNull()
    }
    expect(keyOf('sso_app', 'Cisco Webex Meetings')).toBe('webex')
    expect(keyOf('sso_app', 'SAP Concur Travel and Expense')).toBe('sap-concur')
  })

  it('should read a changed first letter as another word, and a dataset name after its product words only', () => {
    expect(keyOf('sso_app', 'Costpoint')).toBeNull()
    expect(keyOf('sso_app', 'Insider Track')).toBeNull()
    expect(keyOf('sso_app', 'Flexera One')).toBe('flexera')
    expect(keyOf('sso_app', 'Looker Analytics Platform')).toBe('looker')
    // a dataset entry whose name is in none of its domains (Control at cntrl.site) does not match a bare label
    expect(keyOf('sso_app', 'Control')).toBeNull()
  })

  it('should resolve bare card-program names and a statement pattern of an ambiguous-named app', () => {
    expect(keyOf('merchant', 'Notion')).toBe('notion')
    expect(keyOf('merchant', 'Cursor')).toBe('cursor')
    expect(keyOf('merchant', 'ANTHROPIC  CLAUDE TEAM')).toBe('claude')
    expect(keyOf('merchant', 'ZOHO* ZOHO-BOOKS')).toBe('zoho-books')
    expect(keyOf('merchant', 'BOLT (BY STACKBLITZ)')).toBe('bolt-new')
    for (const value of ['Bolt', 'Uber', 'Amazon', 'BKG*HOTEL AT BOOKING.C', 'NYC TAXI 1246', 'Afterpay US, Inc']) {
      expect(resolver.resolve({ kind: 'merchant', value }).rule, value).toBe('not-an-app')
    }
  })

  it('should group a product sold through Lemon Squeezy, and a vendor whose domain the statement cut short', () => {
    expect(candidateKey('merchant', 'LEMSQZY* SCREENSTUDIO')).toBe('screenstudio')
    expect(candidateKey('merchant', 'Highlevel Inc. Gohighlevel.C TX')).toBe('gohighlevel')
  })

  it('should resolve a domain the statement cut after its first letter when one catalogued domain begins so', () => {
    expect(resolver.resolve({ kind: 'merchant', value: 'Highlevel Inc. Gohighlevel.C TX' })).toMatchObject({ app: { key: 'highlevel' }, rule: 'exact-domain' })
  })

  it('should take the maker after "by" when the product is unknown, but never an umbrella vendor', () => {
    expect(keyOf('sso_app', 'Employee Advocacy by Sprout Social')).toBe('sprout-social')
    expect(keyOf('sso_app', 'Bizagi Studio by Microsoft')).toBeNull()
  })

  it('should not take a changed first letter or the whole word of a cut brand name for a typo', () => {
    expect(keyOf('sso_app', 'Raketa')).toBeNull() // not Arketa
    expect(keyOf('sso_app', 'Productive')).toBeNull() // not Productiv
    expect(keyOf('name', 'Smartsheets')).toBe('smartsheet')
  })

  it('should need product words that fit the app after a common-word name', () => {
    expect(keyOf('sso_app', 'Tango Analytics')).toBeNull()
    expect(keyOf('sso_app', 'Vera Suite')).toBeNull()
    expect(keyOf('sso_app', 'Looker Analytics Platform')).toBe('looker')
    expect(keyOf('sso_app', 'Absorb LMS')).toBe('absorb')
  })

  it('should resolve every shipped gallery SSO label to the entry it labels', () => {
    const wrong = loadSsoLabelFiles().flatMap((f) =>
      Object.entries(f.labels).flatMap(([key, labels]) => labels.filter((l) => keyOf('sso_app', l) !== key).map((l) => `${l} → ${keyOf('sso_app', l)}, not ${key}`)),
    )
    expect(wrong).toEqual([])
  })

  it('should take an exact gallery label even when it is a common word, but not the same word as a bare name', () => {
    expect(resolver.resolve({ kind: 'sso_app', value: 'Deputy' })).toMatchObject({ app: { key: 'deputy' }, rule: 'sso-label' })
    expect(keyOf('name', 'Deputy')).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { catalogEntrySchema, type CatalogEntry } from '../../data/catalog/schema.js'
import { buildEntries, hostOf, isSubProductOnMakersDomain, keyOf, looksAmbiguous } from './build-catalog.js'

const curated: CatalogEntry[] = [
  catalogEntrySchema.parse({ key: 'hubspot', name: 'HubSpot', vendor: 'HubSpot', category: 'crm', domains: ['hubspot.com'], tenantPatterns: ['*.hubspotpagebuilder.com'] }),
]
const crm = { category: 'crm', function: 'crm' } as const
const record = (name: string, host: string, source = 'webappanalyzer@abc') => ({ name, host, placement: crm, source })

describe('building the catalog from public datasets', () => {
  it('should read a website into a bare host and refuse what is not one', () => {
    expect(hostOf('https://www.Example.com/pricing')).toBe('example.com')
    expect(hostOf('app.example.io')).toBe('app.example.io')
    expect(hostOf('not a url')).toBeNull()
    expect(hostOf('http://localhost:8080')).toBeNull()
  })

  it('should make kebab-case ASCII keys', () => {
    expect(keyOf('Zoho Books')).toBe('zoho-books')
    expect(keyOf('Çelik & Söhne')).toBe('celik-and-sohne')
    expect(keyOf('Notion+')).toBe('notion-plus')
  })

  it('should call short one-word names ambiguous and longer or multi-word names not', () => {
    expect(looksAmbiguous('Drift')).toBe(true)
    expect(looksAmbiguous('Albacross')).toBe(false)
    expect(looksAmbiguous('Power CRM')).toBe(false)
  })

  it('should leave everything a curated entry claims to the curated entry', () => {
    const r = buildEntries(curated, [record('HubSpot CMS Hub', 'hubspot.com'), record('Hub Spot', 'blog.hubspot.com'), record('Landing', 'acme.hubspotpagebuilder.com'), record('HubSpot', 'hubspot-clone.io')], [])
    expect(r.entries).toEqual([])
    expect(Object.values(r.dropped).reduce((a, b) => a + b, 0)).toBe(4)
  })

  it('should keep one entry per domain, merge the sources that agree, and drop hosts many products share', () => {
    const r = buildEntries(curated, [
      record('Albacross', 'albacross.com', 'webappanalyzer@abc'),
      record('Albacross', 'albacross.com', '2fa-directory@def'),
      record('Shop App One', 'apps.shopify.com'),
      record('Shop App Two', 'apps.shopify.com'),
      record('Shop App Three', 'apps.shopify.com'),
      record('Shop App Four', 'apps.shopify.com'),
    ], [])
    expect(r.entries).toEqual([
      expect.objectContaining({ key: 'albacross', domains: ['albacross.com'], sources: ['webappanalyzer@abc', '2fa-directory@def'], category: 'crm', function: 'crm' }),
    ])
  })

  it('should give a host that two different products name as their website to neither', () => {
    const r = buildEntries(curated, [record('Zoho CRM', 'zoho.com'), record('Zoho Desk', 'zoho.com')], [])
    expect(r.entries).toEqual([])
  })

  it('should not let a sub-product claim its maker’s main domain', () => {
    expect(isSubProductOnMakersDomain({ name: 'GoDaddy Online Store', host: 'godaddy.com' })).toBe(true)
    expect(isSubProductOnMakersDomain({ name: 'Pattern by Etsy', host: 'etsy.com' })).toBe(true)
    expect(isSubProductOnMakersDomain({ name: 'GoDaddy', host: 'godaddy.com' })).toBe(false)
    expect(isSubProductOnMakersDomain({ name: 'Acme Chat', host: 'chat.acme.com' })).toBe(false)
  })

  it('should keep consumer domains as non-SaaS unless an app claims them', () => {
    const r = buildEntries(curated, [], [
      { domain: 'steampowered.com', name: 'Steam', family: 'games', source: '2fa-directory@def' },
      { domain: 'hubspot.com', name: 'HubSpot', family: 'retail', source: '2fa-directory@def' },
    ])
    expect(r.notApps.map((n) => n.domain)).toEqual(['steampowered.com'])
  })

  it('should produce entries the catalog schema accepts', () => {
    const r = buildEntries(curated, [record('Albacross', 'albacross.com')], [])
    expect(() => catalogEntrySchema.parse(r.entries[0])).not.toThrow()
  })
})

import { describe, expect, it } from 'vitest'
import { classifyForm, companyEmail, isCataloguedHost, parseConsentUrl, parseManagedConfig, retryDelayMs, siteHost } from './extension/src/rules.js'

describe('extension rules', () => {
  it('should accept only complete managed configurations with https (or loopback http) servers', () => {
    expect(parseManagedConfig({ serverUrl: 'https://sightline.example.com/', enrolmentToken: ' slt_x ', companyDomains: ['@Northwind.example', 'bad domain'] }))
      .toEqual({ serverUrl: 'https://sightline.example.com', enrolmentToken: 'slt_x', companyDomains: ['northwind.example'] })
    expect(parseManagedConfig({ serverUrl: 'http://sightline.example.com', enrolmentToken: 'slt_x', companyDomains: ['northwind.example'] })).toBeNull()
    expect(parseManagedConfig({ serverUrl: 'http://127.0.0.1:8080', enrolmentToken: 'slt_x', companyDomains: ['northwind.example'] })?.serverUrl).toBe('http://127.0.0.1:8080')
    expect(parseManagedConfig({ serverUrl: 'https://s.example.com', enrolmentToken: 'slt_x', companyDomains: [] })).toBeNull()
    expect(parseManagedConfig({})).toBeNull()
    expect(parseManagedConfig(undefined)).toBeNull()
  })

  it('should recognise company addresses and subdomains, and nothing else', () => {
    const domains = ['northwind.example']
    expect(companyEmail(' Ada@Northwind.Example ', domains)).toBe('ada@northwind.example')
    expect(companyEmail('ada@eu.northwind.example', domains)).toBe('ada@eu.northwind.example')
    expect(companyEmail('ada@gmail.com', domains)).toBeNull()
    expect(companyEmail('ada@northwind.example.evil.com', domains)).toBeNull()
    expect(companyEmail('ada@notnorthwind.example', domains)).toBeNull()
    expect(companyEmail('<b>@northwind.example', domains)).toBeNull()
  })

  it('should read client id, scopes and the asking app from Google and Microsoft consent URLs', () => {
    expect(parseConsentUrl('https://accounts.google.com/o/oauth2/v2/auth?client_id=1-abc.apps.googleusercontent.com&scope=openid%20email+https://www.googleapis.com/auth/drive&redirect_uri=https%3A%2F%2Fapp.tallyfox.io%2Fcb'))
      .toEqual({ provider: 'google', clientId: '1-abc.apps.googleusercontent.com', scopes: ['openid', 'email', 'https://www.googleapis.com/auth/drive'], domain: 'app.tallyfox.io' })
    expect(parseConsentUrl('https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=00000000-0000-0000-0000-000000000001&scope=User.Read%20Mail.Read'))
      .toEqual({ provider: 'microsoft', clientId: '00000000-0000-0000-0000-000000000001', scopes: ['User.Read', 'Mail.Read'], domain: 'login.microsoftonline.com' })
    expect(parseConsentUrl('https://accounts.google.com/ServiceLogin?client_id=x')).toBeNull()
    expect(parseConsentUrl('https://evil.example/o/oauth2/v2/auth?client_id=x')).toBeNull()
    expect(parseConsentUrl('https://accounts.google.com/o/oauth2/auth?scope=openid')).toBeNull()
  })

  it('should tell sign-ups from log-ins and ignore forms without an email', () => {
    expect(classifyForm({ passwordFields: 1, newPasswordFields: 0, email: 'a@b.co', hints: 'log in' })).toBe('login')
    expect(classifyForm({ passwordFields: 2, newPasswordFields: 0, email: 'a@b.co', hints: '' })).toBe('signup')
    expect(classifyForm({ passwordFields: 1, newPasswordFields: 1, email: 'a@b.co', hints: '' })).toBe('signup')
    expect(classifyForm({ passwordFields: 0, newPasswordFields: 0, email: 'a@b.co', hints: 'start free trial' })).toBe('signup')
    expect(classifyForm({ passwordFields: 0, newPasswordFields: 0, email: 'a@b.co', hints: 'subscribe to our newsletter' })).toBeNull()
    expect(classifyForm({ passwordFields: 1, newPasswordFields: 0, email: null, hints: 'log in' })).toBeNull()
  })

  it('should match catalogued hosts, their subdomains and tenant suffixes, and keep only the host of a URL', () => {
    const catalog = new Set(['zoom.us', 'slack.com'])
    expect(isCataloguedHost('zoom.us', catalog)).toBe(true)
    expect(isCataloguedHost('northwind.slack.com', catalog)).toBe(true)
    expect(isCataloguedHost('notzoom.us', catalog)).toBe(false)
    expect(isCataloguedHost('us', catalog)).toBe(false)
    expect(siteHost('https://Zoom.US./j/123?pwd=x')).toBe('zoom.us')
    expect(siteHost('chrome://settings')).toBeNull()
    expect(siteHost('file:///etc/passwd')).toBeNull()
  })

  it('should back off from 30 s to at most an hour', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(30_000)
    expect(retryDelayMs(3, () => 0.5)).toBe(120_000)
    expect(retryDelayMs(20, () => 0.5)).toBe(3_600_000)
    expect(retryDelayMs(1, () => 0)).toBe(24_000)
  })
})

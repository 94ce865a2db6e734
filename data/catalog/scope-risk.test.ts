import { describe, expect, it } from 'vitest'
import { classifyScope, classifyScopes } from './scope-risk.js'

const G = 'https://www.googleapis.com/auth/'

describe('classifyScopes', () => {
  it.each([
    ['https://mail.google.com/', 'critical'],
    [`${G}gmail.modify`, 'critical'],
    [`${G}gmail.readonly`, 'high'],
    [`${G}gmail.send`, 'high'],
    [`${G}drive`, 'critical'],
    [`${G}drive.readonly`, 'high'],
    [`${G}drive.file`, 'low'],
    [`${G}admin.directory.user`, 'critical'],
    [`${G}calendar`, 'medium'],
    [`${G}contacts.readonly`, 'medium'],
    ['offline_access', 'medium'],
    ['Mail.ReadWrite', 'critical'],
    ['Mail.Read', 'high'],
    ['Mail.Send', 'high'],
    ['Files.ReadWrite.All', 'critical'],
    ['Files.Read.All', 'high'],
    ['Directory.ReadWrite.All', 'critical'],
    ['https://graph.microsoft.com/Directory.ReadWrite.All', 'critical'],
    ['mail.read', 'high'],
    ['User.Read', 'low'],
    ['openid', 'low'],
    ['profile', 'low'],
    ['email', 'low'],
    [`${G}userinfo.email`, 'low'],
  ])('should rate %s as %s', (scope, level) => {
    expect(classifyScope(scope).level).toBe(level)
    expect(classifyScope(scope).known).toBe(true)
  })

  it('should let the riskiest scope decide and name it in the reasons', () => {
    const risk = classifyScopes(['openid', `${G}userinfo.email`, `${G}gmail.readonly`, `${G}gmail.send`, `${G}calendar.readonly`])
    expect(risk.level).toBe('high')
    expect(risk.reasons).toHaveLength(2)
    expect(risk.reasons[0]).toMatch(/^gmail\.readonly: reads every email/)
    expect(risk.reasons[1]).toMatch(/gmail\.send: sends email as the user/)
  })

  it('should rate sign-in-only grants low with a reason', () => {
    const risk = classifyScopes(['openid', 'email', 'profile'])
    expect(risk).toEqual({ level: 'low', reasons: [expect.stringContaining('sign-in only'), expect.stringContaining('sign-in only'), expect.stringContaining('sign-in only')] })
  })

  it('should rate an unknown scope medium instead of ignoring it', () => {
    const risk = classifyScopes(['openid', `${G}something.new`])
    expect(risk.level).toBe('medium')
    expect(risk.reasons[0]).toContain('not in Sightline')
  })

  it('should rate an empty grant low with no reasons', () => {
    expect(classifyScopes([])).toEqual({ level: 'low', reasons: [] })
  })
})

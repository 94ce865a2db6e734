import { Readable, Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../../data/catalog/index.js'
import { createResolver } from '../../../analyzer/resolve/index.js'
import { guessKind, runResolve } from './resolve.js'

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'))
      done()
    },
  })
  return { stream, text: () => chunks.join('') }
}

const resolver = createResolver({ entries: loadCatalog().entries })

describe('runResolve', () => {
  it('should print one JSON object per input with app, confidence, rule and candidate', async () => {
    const out = sink()
    const n = await runResolve(resolver, { values: ['figma.com', 'acme-wiki.io'] }, { kind: 'domain', json: true }, out.stream)
    expect(n).toBe(2)
    const lines = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines[0]).toEqual({ input: 'figma.com', app: { key: 'figma', name: 'Figma' }, confidence: 0.98, rule: 'exact-domain', candidate: null })
    expect(lines[1]).toMatchObject({ input: 'acme-wiki.io', app: null, confidence: 0, rule: 'unknown', candidate: { key: 'acmewiki' } })
  })

  it('should print the app, confidence, rule and explanation as text', async () => {
    const out = sink()
    await runResolve(resolver, { values: ['FIGMA'] }, { kind: 'merchant', json: false }, out.stream)
    expect(out.text()).toBe('FIGMA → Figma [figma]  0.95 merchant-pattern  The descriptor starts with FIGMA, a statement pattern of Figma.\n')
  })

  it('should guess the kind of each value when none is given', () => {
    expect(guessKind('https://app.figma.com/files')).toBe('domain')
    expect(guessKind('figma.com')).toBe('domain')
    expect(guessKind('123-abc.apps.googleusercontent.com')).toBe('oauth_client')
    expect(guessKind('0f9c9f3e-4e0b-4a6e-9a55-2f3d1f5f6a7b')).toBe('oauth_client')
    expect(guessKind('Figma (SAML)')).toBe('name')
    expect(guessKind('GOOGLE *YouTubePremium')).toBe('merchant')
    expect(guessKind('SQ *NOTION LABS INC 415-5551234 CA')).toBe('merchant')
    expect(guessKind('ZOOM.US 888-799-9666')).toBe('merchant')
    expect(guessKind('Notion')).toBe('name')
  })

  it('should stream 100,000 lines from an input with one output line per input line, quickly', async () => {
    const known = ['FIGMA', 'SLACK T01ABC', 'ZOOM.US 888-799-9666 CA', 'ADOBE *CREATIVE CLD', 'SQ *BLUE BOTTLE COFFEE']
    const lines = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 0 ? `UNKNOWN VENDOR ${i % 7000}` : known[i % known.length]!))
    const input = Readable.from([`${lines.join('\r\n')}\r\n`])
    const out = sink()
    const started = performance.now()
    const n = await runResolve(resolver, { input }, { kind: 'merchant', json: true }, out.stream)
    const ms = performance.now() - started
    expect(n).toBe(100_000)
    const written = out.text().trimEnd().split('\n')
    expect(written).toHaveLength(100_000)
    expect(JSON.parse(written[1]!)).toMatchObject({ input: 'SLACK T01ABC', app: { key: 'slack' } })
    expect(JSON.parse(written[10]!)).toMatchObject({ input: 'UNKNOWN VENDOR 10', app: null, rule: 'unknown' })
    expect(ms).toBeLessThan(15_000)
  })
})

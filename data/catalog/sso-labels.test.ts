import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadCatalog } from './index.js'
import { catalogEntrySchema } from './schema.js'
import { loadSsoLabelFiles, withSsoLabels } from './sso-labels.js'

const entry = (key: string, ssoLabels: string[] = []) =>
  catalogEntrySchema.parse({ key, name: key, vendor: key, category: 'other', ssoLabels, sources: ['sightline-curated'] })

const dirs: string[] = []
function labelDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sso-labels-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('gallery SSO labels', () => {
  it('should add each label once and name the gallery among the entry sources', () => {
    const [a, b] = withSsoLabels([entry('acme', ['Acme']), entry('other')], [
      { file: 'g.json', source: 'gallery@abcdef1', labels: { acme: ['Acme', 'Acme SAML'] } },
    ])
    expect(a?.ssoLabels).toEqual(['Acme', 'Acme SAML'])
    expect(a?.sources).toEqual(['sightline-curated', 'gallery@abcdef1'])
    expect(b?.ssoLabels).toEqual([])
    expect(b?.sources).toEqual(['sightline-curated'])
  })

  it('should refuse a label for a key the catalog does not hold, naming file and key', () => {
    expect(() => withSsoLabels([entry('acme')], [{ file: 'g.json', source: 'gallery@abcdef1', labels: { gone: ['Gone'] } }])).toThrow(
      'catalog: sso-labels/g.json: labels.gone: no catalog entry has this key',
    )
  })

  it('should refuse a malformed file, naming file and field', () => {
    const bad = labelDir({ 'g.json': JSON.stringify({ source: 'gallery', from: 'x', labels: {} }) })
    expect(() => loadSsoLabelFiles(bad)).toThrow('catalog: validate sso-labels/g.json: source: expected <gallery>@<commit>')
    const empty = labelDir({ 'g.json': JSON.stringify({ source: 'gallery@abcdef1', from: 'x', labels: { acme: [] } }) })
    expect(() => loadSsoLabelFiles(empty)).toThrow(/sso-labels\/g.json: labels.acme/)
    const notJson = labelDir({ 'g.json': '{' })
    expect(() => loadSsoLabelFiles(notJson)).toThrow('catalog: read sso-labels/g.json: not valid JSON')
  })

  it('should ship Entra gallery labels on the catalogued gallery apps', () => {
    const labelled = loadCatalog().entries.filter((e) => e.sources.some((s) => s.startsWith('entra-gallery@')))
    expect(labelled.length).toBeGreaterThanOrEqual(275)
    expect(loadCatalog().byKey('sendgrid')?.ssoLabels).toContain('Twilio Sendgrid')
  })
})

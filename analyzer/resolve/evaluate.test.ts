import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../data/catalog/index.js'
import { createResolver } from './resolver.js'
import { defaultEvalFiles, loadEvalSet, scoreResolutions, type EvalCase } from './evaluate.js'

describe('resolver evaluation on the labelled set', () => {
  const catalog = loadCatalog()
  const resolver = createResolver({ entries: catalog.entries })
  const cases = loadEvalSet()
  const report = scoreResolutions(cases, (s) => resolver.resolve(s), (k) => catalog.byKey(k)?.category)

  it('should hold at least 2,000 labelled signals of every kind, all naming real keys', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2000)
    for (const kind of ['merchant', 'domain', 'oauth_client', 'sso_app', 'name']) {
      expect(cases.filter((c) => c.kind === kind).length, kind).toBeGreaterThanOrEqual(40)
    }
    const bad = cases.filter((c) => c.expected !== 'unknown' && c.expected !== 'not-app' && !catalog.byKey(c.expected))
    expect(bad).toEqual([])
  })

  it('should name the source of every case in the later batches', () => {
    for (const file of defaultEvalFiles().slice(1)) {
      expect(loadEvalSet(file).filter((c) => !c.source), file).toEqual([])
    }
  })

  it('should reach precision >= 0.98 and recall >= 0.95, overall and for every kind', () => {
    expect(report.precision).toBeGreaterThanOrEqual(0.98)
    expect(report.recall).toBeGreaterThanOrEqual(0.95)
    for (const [kind, k] of Object.entries(report.byKind)) {
      expect({ kind, precision: k.precision >= 0.98, recall: k.recall >= 0.95 }).toEqual({ kind, precision: true, recall: true })
    }
  })

  it('should never resolve a hard negative to a business app', () => {
    expect(report.hardNegatives).toBeGreaterThanOrEqual(500)
    expect(report.leaks).toEqual([])
  })
})

describe('scoreResolutions', () => {
  it('should count wrong answers against precision and misses against recall', () => {
    const cases: EvalCase[] = [
      { kind: 'name', value: 'a', expected: 'app-a' },
      { kind: 'name', value: 'b', expected: 'app-b' },
      { kind: 'name', value: 'c', expected: 'unknown' },
    ]
    const answers: Record<string, string | null> = { a: 'app-a', b: null, c: 'app-c' }
    const r = scoreResolutions(
      cases,
      (s) => {
        const key = answers[s.value] ?? null
        return { app: key ? { key, name: key, category: 'crm' } : null, confidence: key ? 1 : 0, rule: key ? 'exact-name' : 'unknown', explanation: '', normalized: s.value, candidate: null }
      },
      () => 'crm',
    )
    expect(r.precision).toBe(0.5)
    expect(r.recall).toBe(0.5)
    expect(r.leaks.map((l) => l.case.value)).toEqual(['c'])
    expect(r.confusions).toHaveLength(2)
  })
})

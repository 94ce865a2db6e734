import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runDemo } from '../cli/commands/demo.js'
import { createOutput } from '../cli/output.js'
import type { KindScore } from './score-findings.js'

const TARGET = 0.95

describe('findings against the demo company\'s ground truth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-eval-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it(`should reach precision and recall ≥ ${TARGET} for every finding kind`, async () => {
    const result = await runDemo(
      { people: '240', days: '21', out: join(dir, 'demo'), seed: '4242', db: join(dir, 'eval.db') },
      createOutput({ json: false, quiet: true }),
    )
    const rows = (result.score as { rows: KindScore[] }).rows
    expect(rows.map((r) => r.kind)).toHaveLength(12)
    for (const r of rows) {
      expect(r.planted, `${r.kind}: nothing planted, nothing measured`).toBeGreaterThan(0)
      expect(r.precision, `${r.kind}: precision; unexpected: ${r.unexpected.slice(0, 5).join(', ')}`).toBeGreaterThanOrEqual(TARGET)
      expect(r.recall, `${r.kind}: recall; missed: ${r.missed.slice(0, 5).join(', ')}`).toBeGreaterThanOrEqual(TARGET)
    }
  }, 240_000)
})

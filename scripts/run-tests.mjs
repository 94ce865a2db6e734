#!/usr/bin/env node
// Runs the whole suite with vitest and closes with a plain "N passed, N failed" line,
// because the CI of this workplace reads that line and not vitest's own summary.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'sightline-tests-'))
const out = join(dir, 'results.json')
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)]
const run = spawnSync('npx', args, { stdio: 'inherit' })
let passed = 0
let failed = 0
let skipped = 0
try {
  const report = JSON.parse(readFileSync(out, 'utf8'))
  passed = report.numPassedTests
  failed = report.numFailedTests + (report.numFailedTestSuites ?? 0)
  skipped = report.numPendingTests + report.numTodoTests
} catch {
  failed = Math.max(failed, 1)
}
rmSync(dir, { recursive: true, force: true })
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1)

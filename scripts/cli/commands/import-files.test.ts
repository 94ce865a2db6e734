import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { runCli } from '../testing/run-cli.js'
import { registerImportFiles } from './import-files.js'

const fixture = (path: string) => new URL(`../../../collectors/${path}`, import.meta.url).pathname
const register = (program: Command) => registerImportFiles(program.command('import'))

async function importJson(t: TestStore, args: string[]) {
  const { stdout, exitCode } = await runCli(t.url, ['import', ...args, '--json'], register)
  return { exitCode, results: stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) }
}

describe.each(DIALECTS)('sightline import … on %s: nothing imported is a failure', (dialect) => {
  let t: TestStore
  afterEach(async () => t?.dispose())

  it('should exit 1 when every line is rejected, with the dominant reason and the --format that fits', async () => {
    t = await createTestStore(dialect)
    const { exitCode, results } = await importJson(t, ['signins', '--format', 'google', fixture('google-workspace/fixtures/siem-wrong-vendor.jsonl')])
    expect(exitCode).toBe(1)
    expect(results[0]).toMatchObject({ imported: 0, rejected: 2, reason: 'field id.applicationName: expected login, saml or token, got null' })
    expect(results[0]!.error).toBe(
      'nothing imported: 2 of 2 records: field id.applicationName: expected login, saml or token, got null; is this Okta System Log export? try `sightline import signins --format okta`',
    )
  })

  it('should exit 1 when every event is skipped, naming the event type', async () => {
    t = await createTestStore(dialect)
    const { exitCode, results } = await importJson(t, ['signins', '--format', 'okta', fixture('okta/fixtures/system-log-admin-only.json')])
    expect(exitCode).toBe(1)
    expect(results[0]).toMatchObject({ read: 2, imported: 0, reason: 'skipped: user.authentication.verify', hint: null })
  })

  it('should exit 1 on an empty file and on a broken JSON document, in one line each', async () => {
    t = await createTestStore(dialect)
    const dir = mkdtempSync(join(tmpdir(), 'import-empty-'))
    writeFileSync(join(dir, 'empty.jsonl'), '\n')
    copyFileSync(fixture('entra/fixtures/signins-page-placeholder.json'), join(dir, 'signins.json'))
    const { exitCode, results } = await importJson(t, ['signins', '--format', 'entra', join(dir, 'empty.jsonl'), join(dir, 'signins.json')])
    expect(exitCode).toBe(1)
    expect(results[0]!.error).toMatch(/empty/)
    expect(results[1]!.error).toMatch(/^entra: import: signins\.json: line 10:19: not valid JSON/)
  })

  it('should keep exit 0 when some rows imported and others were rejected', async () => {
    t = await createTestStore(dialect)
    const { exitCode, results } = await importJson(t, ['signins', '--format', 'google', fixture('google-workspace/fixtures/siem-activities.jsonl')])
    expect(exitCode).toBeUndefined()
    expect(results[0]).toMatchObject({ status: 'partial', rejected: 1 })
    expect(results[0]!.error).toBeUndefined()
  })
})

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { staleReason } from './build-inputs.mjs'

const BIN = join(import.meta.dirname, 'sightline.js')
const scratch = mkdtempSync(join(tmpdir(), 'sightline-launcher-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('case 1: piped output cut at 64 KiB', () => {
  it('should write the same bytes through a shell pipe into wc -c as into a file, past 64 KiB', () => {
    const args = [process.execPath, BIN, '--db', join(scratch, 'x.db'), 'catalog', 'list', '--format', 'json']
    const file = join(scratch, 'out.json')
    // A real pipe (what `sightline … | wc -c` gets), not Node's socket pair, whose buffer is larger than the output.
    const script = '"$@" > "$OUT" && echo "file $?" && "$@" | wc -c'
    const printed = execFileSync('sh', ['-c', script, 'sh', ...args], { env: { ...process.env, OUT: file }, encoding: 'utf8' })
    const fileBytes = readFileSync(file).length
    expect(fileBytes).toBeGreaterThan(65536)
    expect(printed.split('\n')[0]).toBe('file 0')
    expect(Number(printed.split('\n')[1]!.trim())).toBe(fileBytes)
  }, 60_000)
})

/** Runs the bin with a module hook that records every module URL it loads; returns the URLs. */
function modulesLoadedBy(args: string[], env: Record<string, string> = {}): string[] {
  const log = join(scratch, `loads-${Math.random().toString(36).slice(2)}.txt`)
  const hooks = join(scratch, 'record-hooks.mjs')
  writeFileSync(hooks, "import { appendFileSync } from 'node:fs'\nexport async function load(url, context, next) { appendFileSync(process.env.RECORD_LOADS, url + '\\n'); return next(url, context) }\n")
  const register = join(scratch, 'record-register.mjs')
  writeFileSync(register, `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hooks).href)})\n`)
  execFileSync(process.execPath, ['--import', register, BIN, ...args], { env: { ...process.env, ...env, RECORD_LOADS: log }, encoding: 'utf8' })
  return readFileSync(log, 'utf8').trim().split('\n')
}

/** What `--help` must not load: the database layer, drivers, validation, parsers, vendor SDKs, the web stack. */
const HEAVY = /\/(kysely|zod|better-sqlite3|pg|papaparse|@azure|@googleapis|@microsoft|google-auth-library|hono|@hono|playwright|nodemailer|yazl|yauzl)\/|\/dist\/vendor\/|\/data\/catalog\/|\/collectors\/[a-z-]+\/index\./

describe('case 2: start-up loads only what the command needs', () => {
  for (const [path, env] of [['the build when current, else the sources', {}], ['the sources', { SIGHTLINE_FROM_SOURCE: '1' }]] as const) {
    it(`should list every command without loading the database layer, the catalog or a vendor SDK (${path})`, () => {
      const loaded = modulesLoadedBy(['--help'], env)
      expect(loaded.some((url) => url.includes('/cli/main.'))).toBe(true)
      expect(loaded.filter((url) => HEAVY.test(url))).toEqual([])
    }, 60_000)
  }

  it('should resolve a descriptor without loading a vendor SDK, the web stack or the CSV parser', () => {
    const loaded = modulesLoadedBy(['--db', join(scratch, 'resolve.db'), 'resolve', 'ZOOM.US 888-799-9666'])
    expect(loaded.some((url) => /\/analyzer\/resolve\/resolver\./.test(url))).toBe(true)
    expect(loaded.filter((url) => /\/(papaparse|@azure|@googleapis|@microsoft|google-auth-library|hono|@hono|playwright|nodemailer)\//.test(url))).toEqual([])
  }, 60_000)
})

describe('case 3: the build and the sources behave alike', () => {
  it.skipIf(staleReason(join(import.meta.dirname, '../..')) !== null)('should print the same help and resolutions (names beyond ASCII too) from the build as from the sources', () => {
    const run = (env: Record<string, string>, args: string[]) => execFileSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' })
    const db = join(scratch, 'alike.db')
    for (const args of [['--help'], ['import', '--help'], ['--db', db, 'resolve', 'ZOOM.US 888-799-9666', 'figma.com', '--json'], ['--db', db, 'resolve', '--kind', 'name', 'Aéza', 'Farazi Bilişim']]) {
      expect(run({}, args)).toBe(run({ SIGHTLINE_FROM_SOURCE: '1' }, args))
    }
  }, 60_000)
})

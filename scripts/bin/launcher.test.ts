import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

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

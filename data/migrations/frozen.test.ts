import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { migrations } from './index.js'

const DIR = fileURLToPath(new URL('.', import.meta.url))

/**
 * SHA-256 of every migration file as it landed on main. A landed migration is frozen: a database that already
 * ran it never runs it again, so an edit changes new databases only and the two drift apart. Change the schema
 * with a new migration; when one lands, add its hash here.
 */
const LANDED: Readonly<Record<string, string>> = {
  '2026-11-28-001-inventory.ts': 'd36341f7fdb26709adf0130025c189d6e921b4f6c82d98095038f46586daa950',
  '2026-11-28-002-rollups-and-indexes.ts': '2b8b14e885807db96bb76abe54e9bf05e57057de88c4e69dd63c63615f280950',
  '2026-11-28-003-lean-bulk-indexes.ts': 'cc0d4761c04624aa501f6f75844e7e1933fa2f3ef0d3632eae6ef6402d466150',
  '2026-11-28-004-card-lines-without-app-index.ts': 'fc2e7130a15dd2c1b7aa1c8ae02e0dd7c58a18acac36afeac2bf4d21f9ef0ac7',
  '2026-12-02-006-web-app-accounts-and-page-indexes.ts': 'e5c521883a341f591c4206988683059c0724de88634565d775190b497d97b5d9',
  '2026-12-02-007-campaigns.ts': 'b95e1dbf44647ee6d8b57148f3940b47a79e46addf42eebd2cd23b53ac2abdcf',
  '2026-12-02-008-audit-append-only.ts': 'f6cebe4230e1532d0215cc3aac4da698b4df2975b447069c2407c92d04698138',
  '2026-12-02-009-telemetry-ingest.ts': 'f8c45f2c9aca2ac89113939f841836ca6284ca352ecb7482a4de7479c0ec18ab',
  '2026-12-02-011-roster-presence.ts': 'e6eaecb5b238fb79017809e7d2279bf79476641515c021bfda2b6d32779d93a2',
}

describe('landed migrations', () => {
  it('should be byte for byte as they landed (a hash per file)', () => {
    const actual = Object.fromEntries(Object.keys(LANDED).map((file) => [file, createHash('sha256').update(readFileSync(`${DIR}${file}`)).digest('hex')]))
    expect(actual).toEqual(LANDED)
  })

  it('should all still be listed, in date order, and no file should be missing from the index', () => {
    const names = Object.keys(migrations)
    for (const file of Object.keys(LANDED)) expect(names).toContain(file.replace(/\.ts$/, ''))
    expect(names).toEqual([...names].sort())
    const files = readdirSync(DIR).filter((f) => /^\d{4}-\d{2}-\d{2}-.*\.ts$/.test(f) && !f.endsWith('.test.ts')).map((f) => f.replace(/\.ts$/, ''))
    expect(files.sort()).toEqual([...names].sort())
  })
})

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../audit.js'
import { accountFingerprint } from './snapshot.js'

/** How fingerprints were computed when the first campaigns closed: the generic canonical JSON of the same object. */
const asFirstWritten = (app: number | null, status: string | null, licensed: number, ents: Array<{ kind: string; name: string }>) =>
  createHash('sha256').update(canonicalJson({ app, status, licensed, ents })).digest('hex').slice(0, 32)

describe('accountFingerprint', () => {
  it('should equal the generic canonical fingerprint, so a delta campaign still matches campaigns closed before', () => {
    const cases: Array<[number | null, string | null, number, Array<{ kind: string; name: string }>]> = [
      [12, 'ACTIVE', 1, [{ kind: 'okta-assignment', name: 'GROUP' }]],
      [null, null, 0, []],
      [7, 'suspended', 0, [{ kind: 'role', name: 'Admin "root"' }, { kind: 'role', name: 'Ünïcode \\ back\nslash' }]],
      [3, '<script>', 1, [{ kind: 'license', name: '\u2028line separator' }]],
    ]
    for (const [app, status, licensed, ents] of cases) expect(accountFingerprint(app, status, licensed, ents)).toBe(asFirstWritten(app, status, licensed, ents))
  })

  it('should change when any part of the access changes', () => {
    const base = accountFingerprint(1, 'ACTIVE', 1, [{ kind: 'role', name: 'Admin' }])
    expect(accountFingerprint(2, 'ACTIVE', 1, [{ kind: 'role', name: 'Admin' }])).not.toBe(base)
    expect(accountFingerprint(1, 'SUSPENDED', 1, [{ kind: 'role', name: 'Admin' }])).not.toBe(base)
    expect(accountFingerprint(1, 'ACTIVE', 0, [{ kind: 'role', name: 'Admin' }])).not.toBe(base)
    expect(accountFingerprint(1, 'ACTIVE', 1, [{ kind: 'role', name: 'Member' }])).not.toBe(base)
    expect(accountFingerprint(1, 'ACTIVE', 1, [])).not.toBe(base)
  })
})

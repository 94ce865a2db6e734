import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listBuildInputs, staleReason, STAMP_FILE, stalenessInputs } from './build-inputs.mjs'

let root: string
const write = (path: string, text = 'x'): void => {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}
/** Sets a file's times `secondsAgo` in the past (the tree is made "before" the build this way). */
const age = (path: string, secondsAgo: number): void => {
  const t = new Date(Date.now() - secondsAgo * 1000)
  utimesSync(join(root, path), t, t)
}
/** Writes a stamp as a build that started now would, counting the inputs the tree has. */
const stamp = (): void => {
  write(`dist/${STAMP_FILE}`, JSON.stringify({ version: '0', startedAtSecond: Math.floor(Date.now() / 1000), inputs: stalenessInputs(root).length }))
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sightline-build-inputs-'))
  for (const path of ['data/a.ts', 'data/catalog/apps/x.json', 'collectors/b.tsx', 'analyzer/c.ts', 'review-ui/static/app.css', 'scripts/cli/main.ts', 'package.json', 'package-lock.json']) {
    write(path)
    age(path, 60)
  }
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('listBuildInputs', () => {
  it('should compile TypeScript and copy data, leaving out tests, fixtures, browser tests and what commands write', () => {
    write('data/a.test.ts')
    write('collectors/spend-csv/fixtures/f.csv')
    write('review-ui/e2e/page.ts')
    write('data/profiles/saved.json')
    write('data/sightline.db')
    write('data/demo/out/x.json')
    const { compile, copy } = listBuildInputs(root)
    expect(compile.sort()).toEqual(['analyzer/c.ts', 'collectors/b.tsx', 'data/a.ts', 'scripts/cli/main.ts'])
    expect(copy.sort()).toEqual(['data/catalog/apps/x.json', 'review-ui/static/app.css'])
  })
})

describe('staleReason', () => {
  it('should accept a build when nothing changed since it started', () => {
    stamp()
    expect(staleReason(root)).toBeNull()
  })

  it('should refuse a tree that was never built', () => {
    expect(staleReason(root)).toBe('not built')
  })

  it('should refuse a build once a TypeScript source is edited after it', () => {
    stamp()
    write('data/a.ts', 'edited')
    expect(staleReason(root)).toBe('data/a.ts changed after the build')
  })

  it('should refuse a build once a catalog file is edited after it', () => {
    stamp()
    write('data/catalog/apps/x.json', '[]')
    expect(staleReason(root)).toBe('data/catalog/apps/x.json changed after the build')
  })

  it('should refuse a build when the dependencies changed after it', () => {
    stamp()
    write('package-lock.json', '{}')
    expect(staleReason(root)).toBe('package-lock.json changed after the build')
  })

  it('should refuse a build when a source file appeared or went away, whatever its time', () => {
    stamp()
    write('analyzer/new.ts')
    age('analyzer/new.ts', 3600)
    expect(staleReason(root)).toMatch(/^inputs changed/)
    rmSync(join(root, 'analyzer/new.ts'))
    rmSync(join(root, 'analyzer/c.ts'))
    expect(staleReason(root)).toMatch(/^inputs changed/)
  })

  it('should refuse a file changed in the second the build started, on file systems that keep whole seconds', () => {
    stamp()
    const second = Math.floor(Date.now() / 1000) * 1000
    utimesSync(join(root, 'data/a.ts'), new Date(second), new Date(second))
    expect(staleReason(root)).toBe('data/a.ts changed after the build')
  })

  it('should not mind a test, a database or a saved profile written after the build', () => {
    stamp()
    write('data/a.test.ts')
    write('data/sightline.db')
    write('data/profiles/chase.json')
    expect(staleReason(root)).toBeNull()
  })
})

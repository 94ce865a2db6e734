// What `npm run build` compiles and copies into dist/, and whether dist/ still matches it. Shared by the build
// (scripts/build.mjs) and the `sightline` bin, which runs dist/ only when no input changed since the build.
// Plain JavaScript with no dependencies: the bin runs it on every start.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The folders that hold code (DESIGN.md: nothing else does). */
export const SOURCE_ROOTS = ['data', 'collectors', 'analyzer', 'review-ui', 'scripts']

/** Files outside the roots whose change makes a build stale: dependencies (the vendored bundles) and the build itself. */
const EXTRA_INPUTS = ['package.json', 'package-lock.json']

/** Folders that are never part of the build: tests' data, browser tests, the extension (its own build), what commands write. */
const SKIPPED_DIRS = new Set(['node_modules', 'fixtures', 'e2e', 'collectors/browser-extension/extension', 'data/demo/out', 'data/profiles'])

/** Non-TypeScript files the code reads beside itself (catalog JSON, scope tables, CSS, the worker entry). */
const COPIED = /\.(json|jsonl|csv|css|js|mjs)$/

export const STAMP_FILE = '.build-stamp.json'

/** `compile`: TypeScript to transform; `copy`: files to copy as they are; paths relative to `root`. */
export function listBuildInputs(root) {
  const compile = []
  const copy = []
  const base = withSlash(root)
  const walk = (rel) => {
    for (const entry of readdirSync(base + rel, { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !SKIPPED_DIRS.has(path)) walk(path)
      } else if (/\.tsx?$/.test(entry.name)) {
        if (!/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) compile.push(path)
      } else if (COPIED.test(entry.name)) copy.push(path)
    }
  }
  for (const dir of SOURCE_ROOTS) walk(dir)
  return { compile, copy }
}

/** Every file whose change makes dist/ stale. */
export function stalenessInputs(root) {
  const { compile, copy } = listBuildInputs(root)
  return [...compile, ...copy, ...EXTRA_INPUTS]
}

/**
 * Why dist/ cannot be used, or null when it can: it was built from exactly these inputs (same count) and none
 * changed since the build started. Times are compared to the second below the build's start, so a file system
 * that keeps whole seconds cannot hide an edit made during the build.
 */
export function staleReason(root) {
  let stamp
  try {
    stamp = JSON.parse(readFileSync(join(root, 'dist', STAMP_FILE), 'utf8'))
  } catch {
    return 'not built'
  }
  const inputs = stalenessInputs(root)
  if (inputs.length !== stamp.inputs) return `inputs changed (${stamp.inputs} at build, ${inputs.length} now)`
  // Runs on every start (~500 files): plain concatenation, no Error for a missing file.
  const base = withSlash(root)
  const builtMs = stamp.startedAtSecond * 1000
  for (const input of inputs) {
    const stats = statSync(base + input, { throwIfNoEntry: false })
    if (!stats) return `${input} is missing`
    if (stats.mtimeMs >= builtMs) return `${input} changed after the build`
  }
  return null
}

const withSlash = (dir) => (dir.endsWith('/') ? dir : `${dir}/`)

#!/usr/bin/env node
// `npm run build` (also run by `npm install` / `npm ci` through `prepare`): compiles the TypeScript into dist/, one
// JavaScript module per source module, so the `sightline` bin starts without a TypeScript transform. Files the
// code reads beside itself (catalog JSON, CSS, the worker entry) are copied to the same relative place.
//
// esbuild, not tsc: it only strips types (a few seconds on a busy 2-core machine, where tsc took ~28 s), and a
// type error does not stop an install; `npm run typecheck` is where types are checked.
//
// Kysely and zod are bundled into one file each under dist/vendor/: as published they are ~280 and ~120 small
// modules, and loading that many files costs Node ~0.3 s and ~0.15 s per start; one file loads in ~40 ms.
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { listBuildInputs, SOURCE_ROOTS, STAMP_FILE, stalenessInputs } from './bin/build-inputs.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')
const VENDORED = ['kysely', 'zod']
const TARGET = 'node20'

/**
 * Writes `value` as JSON in plain ASCII (other characters as \u escapes), which the loaders read as latin1: V8
 * then skips UTF-8 decoding and parses a one-byte string, ~40% faster for the 2 MB catalog. Fails the build if
 * the file does not read back equal (a value JSON cannot carry).
 */
function writeJsonChecked(path, value, what) {
  const text = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  writeFileSync(path, text)
  if (!isDeepStrictEqual(JSON.parse(readFileSync(path, 'latin1')), value)) throw new Error(`build: the validated ${what} does not read back equal`)
}

const startedAtSecond = Math.floor(Date.now() / 1000)
// No stamp while dist/ is being rewritten: a `sightline` started meanwhile runs the sources.
rmSync(join(DIST, STAMP_FILE), { force: true })
// Only what this build writes: dist/browser-extension (npm run build:extension) stays.
for (const dir of [...SOURCE_ROOTS, 'vendor']) rmSync(join(DIST, dir), { recursive: true, force: true })

const inputCount = stalenessInputs(ROOT).length
const { compile, copy } = listBuildInputs(ROOT)

for (const pkg of VENDORED) {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [pkg],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: TARGET,
    outfile: join(DIST, 'vendor', `${pkg}.js`),
    // Whitespace and syntax only (names stay, for stack traces): half the bytes for Node to read and parse.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  })
}

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: compile,
  outbase: '.',
  outdir: DIST,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: TARGET,
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  tsconfig: join(ROOT, 'tsconfig.json'),
  write: false,
  logLevel: 'warning',
})

// esbuild prints import specifiers in double quotes; point the vendored packages at their bundles.
const vendoredSpecifier = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)"(${VENDORED.join('|')})"`, 'g')
for (const file of result.outputFiles) {
  let text = file.text
  if (vendoredSpecifier.test(text)) {
    text = text.replace(vendoredSpecifier, (_all, lead, pkg) => {
      let rel = relative(dirname(file.path), join(DIST, 'vendor', `${pkg}.js`)).split('\\').join('/')
      if (!rel.startsWith('.')) rel = `./${rel}`
      return `${lead}"${rel}"`
    })
  }
  mkdirSync(dirname(file.path), { recursive: true })
  writeFileSync(file.path, text)
}

for (const path of copy) {
  mkdirSync(dirname(join(DIST, path)), { recursive: true })
  copyFileSync(join(ROOT, path), join(DIST, path))
}

// The catalog and the not-apps validated once here, not on every start (each loader reads its file when it sits
// beside it, and then needs neither the schemas nor zod). Validation reads the copies in dist/, so the files
// describe exactly the JSON the build carries.
const catalog = await import(new URL('../dist/data/catalog/index.js', import.meta.url).href)
const notApps = await import(new URL('../dist/data/catalog/not-apps.js', import.meta.url).href)
const entries = await catalog.readValidatedEntries()
writeJsonChecked(join(DIST, 'data/catalog', catalog.PREBUILT_CATALOG_FILE), { entries }, 'catalog')
writeJsonChecked(join(DIST, 'data/catalog', notApps.PREBUILT_NOT_APPS_FILE), await notApps.readValidatedNotApps(), 'not-apps')

// The resolver's index of that catalog, so a start-up reads it instead of building it (checked to read back equal).
const resolver = await import(new URL('../dist/analyzer/resolve/resolver.js', import.meta.url).href)
writeJsonChecked(join(DIST, 'analyzer/resolve', resolver.PREBUILT_INDEX_FILE), JSON.parse(resolver.serializedShippedIndex()), 'resolver index')

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
writeFileSync(join(DIST, STAMP_FILE), `${JSON.stringify({ version, startedAtSecond, inputs: inputCount })}\n`)
process.stdout.write(`build: ${compile.length} modules compiled, ${copy.length} files copied, ${entries.length} catalog entries validated, vendored ${VENDORED.join(', ')} → dist/\n`)

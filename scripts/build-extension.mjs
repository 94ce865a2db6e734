#!/usr/bin/env node
// `npm run build:extension`: bundles the MV3 extension with esbuild into an unpacked folder and a zip.
// Reproducible: the same sources give the same bytes (sorted inputs, no timestamps, fixed zip dates).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import yazl from 'yazl'

const SRC = 'collectors/browser-extension/extension'
const OUT = process.argv[2] ?? 'dist/browser-extension'
const UNPACKED = join(OUT, 'sightline')

const manifest = JSON.parse(readFileSync(join(SRC, 'manifest.json'), 'utf8'))

// Hosts of catalogued apps (domains without their path, tenant suffixes without `*.`): visits to these are reported.
const hosts = new Set()
for (const file of readdirSync('data/catalog/apps').filter((f) => f.endsWith('.json')).sort()) {
  for (const entry of JSON.parse(readFileSync(join('data/catalog/apps', file), 'utf8'))) {
    for (const d of entry.domains ?? []) hosts.add(d.split('/')[0])
    for (const t of entry.tenantPatterns ?? []) hosts.add(t.slice(2).split('/')[0])
  }
}

rmSync(OUT, { recursive: true, force: true })
mkdirSync(UNPACKED, { recursive: true })
await build({
  entryPoints: { background: join(SRC, 'src/background.ts'), content: join(SRC, 'src/content.ts'), popup: join(SRC, 'src/popup.ts') },
  outdir: UNPACKED,
  bundle: true,
  format: 'iife',
  target: 'chrome120',
  platform: 'browser',
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
  define: { __CATALOG_HOSTS__: JSON.stringify([...hosts].sort()), __EXTENSION_VERSION__: JSON.stringify(manifest.version) },
})
cpSync(join(SRC, 'manifest.json'), join(UNPACKED, 'manifest.json'))
cpSync(join(SRC, 'managed-schema.json'), join(UNPACKED, 'managed-schema.json'))
cpSync(join(SRC, 'popup.html'), join(UNPACKED, 'popup.html'))

const zipPath = join(OUT, `sightline-extension-${manifest.version}.zip`)
const zip = new yazl.ZipFile()
const files = readdirSync(UNPACKED, { recursive: true }).map(String).sort()
for (const f of files) zip.addBuffer(readFileSync(join(UNPACKED, f)), f.replace(/\\/g, '/'), { mtime: new Date('2026-01-01T00:00:00Z'), mode: 0o100644 })
zip.end()
await new Promise((resolve, reject) => zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject))
writeFileSync(join(OUT, 'BUILD.txt'), `${files.join('\n')}\ncatalog hosts: ${hosts.size}\n`)
console.log(`build:extension: ${relative('.', UNPACKED)} (${files.length} files, ${hosts.size} catalog hosts), ${relative('.', zipPath)}`)

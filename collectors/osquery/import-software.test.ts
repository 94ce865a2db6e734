import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { importOsquerySoftware } from './import-software.js'

const resolver = createResolver({ entries: loadCatalog().entries })
const ONEPASSWORD_EXT = 'aeblfdkhhhdcdjpifhhbdiojplfjncoa'
const RISKY = 'ponmlkjihgfedcbaponmlkjihgfedcba'

const rows = async (t: TestStore) =>
  t.store.db
    .selectFrom('device_software').leftJoin('apps', 'apps.id', 'device_software.app_id')
    .select(['device_software.device_id', 'device_software.kind', 'device_software.item_id', 'device_software.permissions', 'apps.catalog_key', 'apps.candidate_key'])
    .orderBy('device_software.kind').orderBy('device_software.item_id').execute()

describe.each(DIALECTS)('osquery / Fleet software [%s]', (dialect) => {
  let t: TestStore
  let dir: string
  afterEach(async () => {
    await t?.dispose()
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = ''
  })
  const file = (name: string, text: string) => {
    if (!dir) dir = mkdtempSync(join(tmpdir(), 'sightline-osquery-'))
    const p = join(dir, name)
    writeFileSync(p, text)
    return p
  }

  it('should read osqueryd result logs (snapshot and differential), resolve extensions by id and desktop apps by name', async () => {
    t = await createTestStore(dialect)
    dir = mkdtempSync(join(tmpdir(), 'sightline-osquery-'))
    const lines = [
      { name: 'pack/inventory/chrome_extensions', hostIdentifier: 'host-ada', unixTime: 1764000000, action: 'snapshot', snapshot: [
        { uid: '501', name: '1Password – Password Manager', identifier: ONEPASSWORD_EXT, version: '8.11', permissions: 'storage, tabs, <all_urls>', browser_type: 'chrome', profile: 'Default' },
        { uid: '501', name: 'Page <script>x</script> Helper', identifier: RISKY, version: '1.0', permissions: 'cookies, webRequest, clipboardRead', browser_type: 'chrome', profile: 'Default',
          // osquery has no host_permissions column: a Manifest V3 extension's host patterns are in manifest_json only.
          manifest_json: JSON.stringify({ manifest_version: 3, name: 'Page Helper', permissions: ['cookies', 'webRequest', 'clipboardRead'], host_permissions: ['*://*/*'] }) },
      ] },
      { name: 'pack/inventory/programs', hostIdentifier: 'host-ada', unixTime: 1764000000, action: 'added', columns: { name: 'Zoom Workplace', version: '6.2', publisher: 'Zoom Video Communications, Inc.', identifying_number: '{ZOOM-1}' } },
      { name: 'pack/inventory/programs', hostIdentifier: 'host-ada', unixTime: 1764000000, action: 'added', columns: { name: 'Microsoft Visual C++ 2019 Redistributable', version: '14', publisher: 'Microsoft', identifying_number: '{VC-1}' } },
      { name: 'pack/inventory/apps', hostIdentifier: 'host-ada', unixTime: 1764000000, action: 'removed', columns: { name: 'Slack.app', bundle_identifier: 'com.tinyspeck.slackmacgap' } },
      { name: 'pack/inventory/chrome_extensions', hostIdentifier: 'host-ada', unixTime: 1764000000, action: 'added', columns: { name: 'Broken', identifier: 'not-an-id' } },
    ]
    const p = join(dir, 'results.log')
    writeFileSync(p, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{oops\n')
    const summary = await importOsquerySoftware(t.store, p, { resolver })
    expect(summary).toMatchObject({ layout: 'osquery', read: 6, imported: 4, rejected: 2, status: 'partial' })
    expect(summary.errors).toEqual([expect.stringMatching(/^results\.log: line 6: not JSON/), 'results.log: line 5: field identifier: not a Chrome extension id: "not-an-id"'])
    expect(await rows(t)).toEqual([
      { device_id: 'host-ada', kind: 'chrome_extension', item_id: ONEPASSWORD_EXT, permissions: JSON.stringify(['<all_urls>', 'storage', 'tabs']), catalog_key: '1password', candidate_key: null },
      { device_id: 'host-ada', kind: 'chrome_extension', item_id: RISKY, permissions: JSON.stringify(['*://*/*', 'clipboardRead', 'cookies', 'webRequest']), catalog_key: null, candidate_key: expect.any(String) },
      { device_id: 'host-ada', kind: 'program', item_id: '{VC-1}', permissions: '[]', catalog_key: null, candidate_key: null },
      { device_id: 'host-ada', kind: 'program', item_id: '{ZOOM-1}', permissions: '[]', catalog_key: 'zoom', candidate_key: null },
    ])
    // No candidate app for a runtime nobody signs in to.
    const apps = await t.store.db.selectFrom('apps').select('name').execute()
    expect(apps.map((a) => a.name).some((n) => /Visual C\+\+/.test(n))).toBe(false)
  })

  it('should read osqueryi --json arrays and Fleet host and software exports', async () => {
    t = await createTestStore(dialect)
    const bare = file('laptop-grace.json', JSON.stringify([{ name: 'Slack', bundle_identifier: 'com.tinyspeck.slackmacgap', bundle_short_version: '4.41' }, { name: 'Firefox Relay', identifier: 'private-relay@firefox.com', creator: 'Mozilla', active: 1 }]))
    expect(await importOsquerySoftware(t.store, bare, { resolver })).toMatchObject({ read: 2, imported: 2, rejected: 0 })
    const fleet = file('fleet-host.json', JSON.stringify({ host: { id: 7, hostname: 'grace-mbp', uuid: 'UUID-7', software: [
      { id: 1, name: 'Loom', version: '1.2', source: 'chrome_extensions', extension_id: 'liecbddmkiiihnedobmlmillhodjkdmb', browser: 'chrome' },
      { id: 2, name: 'curl', version: '8', source: 'deb_packages' },
    ] } }))
    expect(await importOsquerySoftware(t.store, fleet, { resolver })).toMatchObject({ read: 1, imported: 1 })
    const all = await rows(t)
    expect(all.map((r) => [r.device_id, r.kind, r.catalog_key])).toEqual([
      ['laptop-grace', 'app', 'slack'],
      ['UUID-7', 'chrome_extension', 'loom'],
      ['laptop-grace', 'firefox_addon', null],
    ])
  })
})

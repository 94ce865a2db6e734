import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadCatalog } from '../../data/catalog/index.js'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import type { CollectorContext } from '../sdk/contract.js'
import type { SigninRecord } from '../sdk/records.js'
import { createSigninFileCollector, type SigninFileConfig } from './collector.js'
import { parseColumnMapping, resolveColumns } from './column-mapping.js'
import { importSigninFile } from './import-signins.js'
import { appSignals, parseResult, parseTime } from './parse-values.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const resolver = createResolver({ entries: loadCatalog().entries, overrides: [] })

describe('sign-in values and columns', () => {
  it('should read the time formats SIEM exports write, as UTC', () => {
    expect(parseTime('2026-03-02 09:15:04 UTC')).toBe('2026-03-02T09:15:04.000Z')
    expect(parseTime('2026-03-02T11:16:10+02:00')).toBe('2026-03-02T09:16:10.000Z')
    expect(parseTime('2026-03-02T09:16:10.123456Z')).toBe('2026-03-02T09:16:10.123Z')
    expect(parseTime('1772438400')).toBe('2026-03-02T08:00:00.000Z')
    expect(parseTime('1772438400500')).toBe('2026-03-02T08:00:00.500Z')
    expect(() => parseTime('03/02/2026 09:15')).toThrow(/field time/)
  })

  it('should read result words and refuse unknown ones', () => {
    expect(parseResult('Success')).toBe('success')
    expect(parseResult(undefined)).toBe('success')
    expect(parseResult('DENIED')).toBe('failure')
    expect(parseResult('false')).toBe('failure')
    expect(() => parseResult('maybe')).toThrow(/field result: not a success or failure word: maybe/)
  })

  it('should turn URLs and hosts into domain signals and labels into names', () => {
    expect(appSignals('https://app.asana.com/0/home')).toEqual([{ kind: 'domain', value: 'app.asana.com' }])
    expect(appSignals('GitHub.com')).toEqual([{ kind: 'domain', value: 'github.com' }])
    expect(appSignals('Google Workspace')).toEqual([{ kind: 'sso_app', value: 'Google Workspace' }, { kind: 'name', value: 'Google Workspace' }])
  })

  it('should detect columns by common header names, let --map override them, and name what is missing', () => {
    expect(resolveColumns(['Event ID', 'Created At', 'User Name', 'App Name', 'IP Address'])).toEqual({ id: 'Event ID', user: 'User Name', app: 'App Name', time: 'Created At', ip: 'IP Address' })
    expect(parseColumnMapping(['user=Actor', 'app="Target Host"'])).toEqual({ user: 'Actor', app: 'Target Host' })
    expect(resolveColumns(['Actor', 'Target Host', 'When'], parseColumnMapping(['user=Actor', 'app=target host', 'time=When']))).toEqual({ user: 'Actor', app: 'Target Host', time: 'When' })
    expect(() => resolveColumns(['Who', 'Host'], {}, 'proxy.csv')).toThrow('signin-csv: proxy.csv: no column for user, time (columns: Who, Host); name them with --map user=<column> time=<column>')
    expect(() => parseColumnMapping(['colour=x'])).toThrow(/unknown field "colour"/)
  })
})

async function readAll(config: SigninFileConfig) {
  const collector = createSigninFileCollector(config)
  const errors: string[] = []
  const ctx: CollectorContext<SigninFileConfig> = { config, signal: new AbortController().signal, reportItemError: (e) => errors.push(e.message) }
  await collector.validate(ctx)
  const records: SigninRecord[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page = await collector.list('signin', { cursor, signal: ctx.signal }, ctx)
    records.push(...page.items)
    cursor = page.next
    pages++
  } while (cursor !== null)
  return { records, errors, pages, collector }
}

describe('sign-in file collector', () => {
  it('should read a OneLogin-style CSV with quoted commas', async () => {
    const { records, errors } = await readAll({ path: fixture('onelogin-events.csv') })
    expect(errors).toEqual([])
    expect(records).toHaveLength(3)
    expect(records[1]).toMatchObject({ eventId: '9f1c0002', email: 'ben.osei@northwind.example', result: 'failure', userAgent: 'Mozilla/5.0 (Windows NT 10.0, Win64)', country: 'GH' })
    expect(records[2]).toMatchObject({ occurredAt: '2026-03-02T09:16:10.000Z', app: { signals: [{ kind: 'domain', value: 'app.asana.com' }] } })
  })

  it('should read nested JSON lines through a dotted mapping', async () => {
    const mapping = parseColumnMapping(['user=initiated_by.username', 'app=application.display_label', 'result=success'])
    const { records, errors } = await readAll({ path: fixture('jumpcloud-sso.jsonl'), mapping })
    expect(errors).toEqual([])
    expect(records.map((r) => [r.eventId, r.userExternalId, r.email, r.app.ref, r.result, r.ip])).toEqual([
      ['jc-1', 'cara.n', null, 'Notion', 'success', '203.0.113.4'],
      ['jc-2', 'cara.n', null, 'Figma', 'failure', '203.0.113.4'],
    ])
  })

  it('should name each bad row by file, line and field and keep the good ones', async () => {
    const { records, errors } = await readAll({ path: fixture('firewall-bad-rows.csv') })
    expect(records.map((r) => r.app.ref)).toEqual(['github.com', 'chat.openai.com'])
    expect(errors).toEqual([
      'signin-csv: firewall-bad-rows.csv: line 3: field app: column "Destination" is empty',
      'signin-csv: firewall-bad-rows.csv: line 4: field time: not an ISO-8601 time or epoch: soon',
      'signin-csv: firewall-bad-rows.csv: line 5: field result: not a success or failure word: maybe',
      'signin-csv: firewall-bad-rows.csv: line 6: has 3 fields, the header has 4',
    ])
    // Without an id column the event id is a hash of the row: stable, and distinct per row.
    expect(records[0]!.eventId).toMatch(/^h:[0-9a-f]{40}$/)
    expect(new Set(records.map((r) => r.eventId)).size).toBe(2)
  })

  it('should stream a large file page by page and resume from a row cursor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signins-'))
    const path = join(dir, 'proxy.csv')
    const lines = ['ts,user,host,status']
    for (let i = 0; i < 120_000; i++) lines.push(`${1772438400 + i},u${i % 500}@northwind.example,${i % 2 ? 'slack.com' : 'zoom.us'},${i % 9 ? 'allow' : 'deny'}`)
    writeFileSync(path, lines.join('\r\n'))
    const { records, errors, pages } = await readAll({ path })
    expect(errors).toEqual([])
    expect(records).toHaveLength(120_000)
    expect(pages).toBeGreaterThan(50)
    expect(new Set(records.map((r) => r.eventId)).size).toBe(120_000)
    // A fresh collector asked for a mid-file cursor reopens the file and skips exactly that many rows.
    const collector = createSigninFileCollector({ path })
    const ctx: CollectorContext<SigninFileConfig> = { config: { path }, signal: new AbortController().signal, reportItemError: () => undefined }
    await collector.validate(ctx)
    const page = await collector.list('signin', { cursor: '100000', signal: ctx.signal }, ctx)
    expect(page.items[0]?.eventId).toBe(records[100_000]?.eventId)
  })
})

describe.each(DIALECTS)('importSigninFile on %s', (dialect) => {
  let t: TestStore
  beforeEach(async () => {
    t = await createTestStore(dialect)
  })
  afterEach(() => t.dispose())

  it('should import sign-ins resolved to apps, and a re-import should add nothing', async () => {
    const first = await importSigninFile(t.store, fixture('firewall-bad-rows.csv'), { resolver, source: 'firewall' })
    expect(first).toMatchObject({ status: 'partial', read: 6, imported: 2, duplicates: 0, rejected: 4 })
    expect(first.errors[0]).toMatch(/line 3: field app/)
    const again = await importSigninFile(t.store, fixture('firewall-bad-rows.csv'), { resolver, source: 'firewall' })
    expect(again).toMatchObject({ imported: 0, duplicates: 2 })
    const rows = await t.store.db.selectFrom('signin_events').leftJoin('apps', 'apps.id', 'signin_events.app_id').select(['apps.catalog_key', 'signin_events.result', 'signin_events.source']).orderBy('signin_events.occurred_at').execute()
    expect(rows).toEqual([
      { catalog_key: 'github', result: 'success', source: 'firewall' },
      { catalog_key: 'chatgpt', result: 'failure', source: 'firewall' },
    ])
    const daily = await t.store.db.selectFrom('signin_daily').select((eb) => eb.fn.sum<number>(eb('successes', '+', eb.ref('failures'))).as('n')).executeTakeFirstOrThrow()
    expect(Number(daily.n)).toBe(2)
  })

  it('should refuse a file whose columns it cannot map, importing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signins-'))
    const path = join(dir, 'odd.csv')
    writeFileSync(path, 'a,b,c\n1,2,3\n')
    await expect(importSigninFile(t.store, path, { resolver })).rejects.toThrow(/odd\.csv: no column for user, app, time/)
    expect(await t.store.db.selectFrom('signin_events').select('id').execute()).toEqual([])
  })
})

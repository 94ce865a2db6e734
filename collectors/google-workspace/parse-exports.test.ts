import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CollectorError } from '../sdk/errors.js'
import type { GrantRecord } from '../sdk/records.js'
import { mapTokenActivity, TokenHistory } from './map-activity.js'
import { parseGoogleActivitiesExport, parseGoogleTokensExport, parseGoogleUsersExport } from './parse-exports.js'
import { buildTenant, CLIENTS, token, USERS, writeTenantExports } from './testing/tenant-fixture.js'

describe('Google Workspace export parsers', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-google-parse-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('should read users.list pages, bare users and JSON lines alike', async () => {
    const paths = writeTenantExports(buildTenant(), dir)
    const pages = await parseGoogleUsersExport(paths.users)
    expect(pages.records.map((p) => [p.email, p.status, p.sourceStatus])).toEqual([
      ['alice@acme.example', 'active', 'active'], ['bob@acme.example', 'active', 'active'], ['carol@acme.example', 'suspended', 'suspended'],
      ['dave@acme.example', 'terminated', 'archived'], ['erin@acme.example', 'active', 'active'],
    ])
    expect(pages.records[4]?.employmentType).toBe('contractor')
    const lines = join(dir, 'users.jsonl')
    writeFileSync(lines, Object.values(USERS).map((u) => JSON.stringify(u)).join('\n'))
    expect((await parseGoogleUsersExport(lines)).records).toEqual(pages.records)
  })

  it('should name file, record and field of a bad user and keep the good ones', async () => {
    const path = join(dir, 'users.json')
    writeFileSync(path, JSON.stringify({ users: [USERS.alice, { ...USERS.bob, primaryEmail: '' }, { ...USERS.erin, id: undefined }] }))
    const parsed = await parseGoogleUsersExport(path)
    expect(parsed.records).toHaveLength(1)
    expect(parsed.errors).toEqual(['users.json: record 2: field primaryEmail: missing', 'users.json: record 3: field id: missing'])
  })

  it('should name the line of a JSON line that does not parse', async () => {
    const path = join(dir, 'activity-login.jsonl')
    const tenant = buildTenant()
    writeFileSync(path, [JSON.stringify(tenant.activities.login[0]), '{"kind": broken', JSON.stringify({ ...tenant.activities.login[2], id: { applicationName: 'login' } })].join('\n'))
    const parsed = await parseGoogleActivitiesExport(path)
    expect(parsed.records).toHaveLength(1)
    expect(parsed.errors[0]).toMatch(/^activity-login\.jsonl: line 2: not valid JSON/)
    expect(parsed.errors[1]).toBe('activity-login.jsonl: line 3: field id.time: not a timestamp: null')
  })

  it('should refuse a file that is not JSON at all, naming it', async () => {
    const path = join(dir, 'tokens.csv')
    writeFileSync(path, 'userKey,clientId\nalice,123\n')
    await expect(parseGoogleTokensExport(path)).rejects.toThrow(CollectorError)
    await expect(parseGoogleTokensExport(path)).rejects.toThrow(/tokens\.csv: line 1: not JSON/)
  })

  it('should read per-user token files named by email, and JSON lines of {userKey, items}', async () => {
    const paths = writeTenantExports(buildTenant(), dir)
    const folder = await parseGoogleTokensExport(paths.tokens)
    expect(folder.read).toBe(7)
    const alice = folder.records.filter((g) => g.userExternalId === USERS.alice.id)
    expect(alice.map((g) => [g.clientName, g.risk, g.email])).toEqual([
      ['Slack', 'high', 'alice@acme.example'], ['InboxPilot', 'critical', 'alice@acme.example'], ['Zoom', 'medium', 'alice@acme.example'],
    ])
    const lines = join(dir, 'tokens.jsonl')
    writeFileSync(lines, [
      JSON.stringify({ userKey: USERS.erin.id, items: [token('erin', 'figma')] }),
      JSON.stringify({ userKey: USERS.dave.id, items: [] }),
      JSON.stringify({ userKey: 'bob@acme.example', items: [{ ...token('bob', 'slack'), clientId: '' }] }),
    ].join('\n'))
    const parsed = await parseGoogleTokensExport(lines)
    expect(parsed.records.map((g) => [g.userExternalId, g.clientId])).toEqual([[USERS.erin.id, CLIENTS.figma.clientId]])
    expect(parsed.errors).toEqual(['tokens.jsonl: line 3 items[0]: field clientId: missing'])
  })

  it('should say so when a token folder holds no token files', async () => {
    mkdirSync(join(dir, 'empty'))
    await expect(parseGoogleTokensExport(join(dir, 'empty'))).rejects.toThrow(/no \.json or \.jsonl token files/)
  })

  it('should turn token events into grant history and skip API-call activity events', async () => {
    const paths = writeTenantExports(buildTenant(), dir)
    const parsed = await parseGoogleActivitiesExport(paths.token)
    const grants = parsed.records.filter((r): r is GrantRecord => r.type === 'grant')
    expect(parsed.errors).toEqual([])
    const pipewise = grants.filter((g) => g.clientId === CLIENTS.pipewise.clientId)
    // Authorized, then revoked: the last record written carries both times.
    expect(pipewise.map((g) => g.revokedAt === null)).toEqual([true, false])
    expect(pipewise[1]?.revokedAt).toMatch(/Z$/)
    expect(pipewise[1]?.grantedAt).toBe(pipewise[0]?.grantedAt)
    expect(pipewise[1]!.grantedAt! < pipewise[1]!.revokedAt!).toBe(true)
    expect(grants.every((g) => g.clientId !== CLIENTS.slack.clientId)).toBe(true)
  })
})

describe('TokenHistory', () => {
  const tenant = buildTenant(Date.parse('2026-11-28T12:00:00.000Z'))
  const events = tenant.activities.token.flatMap(mapTokenActivity).filter((e) => e.clientId === CLIENTS.pipewise.clientId)

  it.each([
    ['newest first', [...events].sort((a, b) => b.at.localeCompare(a.at))],
    ['oldest first', [...events].sort((a, b) => a.at.localeCompare(b.at))],
  ])('should end on the newest state whatever the order (%s)', (_label, ordered) => {
    const history = new TokenHistory()
    const written = history.fold(ordered)
    const last = written.at(-1)
    expect(last?.revokedAt).toBe(events.find((e) => e.action === 'revoke')?.at)
    expect(history.authorized()).toEqual([])
  })

  it('should remember grants whose newest event is an authorize', () => {
    const history = new TokenHistory()
    history.fold(tenant.activities.token.flatMap(mapTokenActivity))
    expect(history.authorized().map((g) => g.clientId).sort()).toEqual([CLIENTS.brightsheet.clientId, CLIENTS.figma.clientId, CLIENTS.inboxpilot.clientId].sort())
  })
})

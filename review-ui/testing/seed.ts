import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analyze, analyzerConfig } from '../../analyzer/index.js'
import { loadResolver } from '../../analyzer/resolve/load-resolver.js'
import { importGoogleTokens } from '../../collectors/google-workspace/index.js'
import { importRoster } from '../../collectors/people-csv/index.js'
import { importSigninFile } from '../../collectors/signin-csv/index.js'
import { importSpendFile } from '../../collectors/spend-csv/import-spend.js'
import type { Store } from '../../data/connection.js'

/** The day the small company's data ends; tests' clocks start on the next day. */
export const SEED_TODAY = '2026-11-30'

/** Raw exports of a small company, as its HR tool, card issuer, Google Workspace and SSO log would write them. */
export const SMALL_COMPANY = {
  roster: [
    'Employee #,First Name,Last Name,Work Email,Department,Job Title,Supervisor Email,Location,Employment Status,Status,Hire Date,Termination Date',
    '1001,Ada,Lovelace,ada@northwind.example,Engineering,CTO,,London,Full-Time,Active,2019-03-04,',
    '1002,Grace,Hopper,grace@northwind.example,Engineering,Staff Engineer,ada@northwind.example,New York,Full-Time,Active,2021-04-15,',
    '1003,Katherine,Johnson,katherine@northwind.example,Finance,Controller,ada@northwind.example,London,Full-Time,Active,2020-01-06,',
    '1004,Rosalind,Franklin,rosalind@northwind.example,Research,Scientist,ada@northwind.example,London,Full-Time,Terminated,2020-06-01,2026-09-30',
    '1005,Alan,Turing,alan@northwind.example,Research,Contractor,ada@northwind.example,Manchester,Contractor,Active,2025-02-01,',
  ].join('\n'),
  // Brex's export layout (detected by its headers).
  spend: [
    'Swipe Date (UTC),Posted Date,Type,Amount,Outstanding Balance,User,Department,Location,Transaction Source,Statement Descriptor,Merchant Name,Brex Category,Integration Category,Last 4,Memo,Id',
    '2026-09-03T10:00:00.000Z,2026-09-04T10:00:00.000Z,Transaction,45.00,45.00,Ada Lovelace,Engineering,London,Card,FIGMA SAN FRANCISCO CA,Figma,Software,Software Subscriptions,1111,,tx-1',
    '2026-10-03T10:00:00.000Z,2026-10-04T10:00:00.000Z,Transaction,45.00,90.00,Ada Lovelace,Engineering,London,Card,FIGMA SAN FRANCISCO CA,Figma,Software,Software Subscriptions,1111,,tx-2',
    '2026-11-03T10:00:00.000Z,2026-11-04T10:00:00.000Z,Transaction,45.00,135.00,Ada Lovelace,Engineering,London,Card,FIGMA SAN FRANCISCO CA,Figma,Software,Software Subscriptions,1111,,tx-3',
    '2026-10-12T10:00:00.000Z,2026-10-13T10:00:00.000Z,Transaction,120.00,255.00,Rosalind Franklin,Research,London,Card,NOTION LABS INC,Notion,Software,Software Subscriptions,2222,,tx-4',
    '2026-11-12T10:00:00.000Z,2026-11-13T10:00:00.000Z,Transaction,120.00,375.00,Rosalind Franklin,Research,London,Card,NOTION LABS INC,Notion,Software,Software Subscriptions,2222,,tx-5',
    '2026-10-20T10:00:00.000Z,2026-10-21T10:00:00.000Z,Transaction,19.00,394.00,Grace Hopper,Engineering,New York,Card,TALLYFOX IO,Tallyfox,Software,Software Subscriptions,3333,,tx-6',
  ].join('\n'),
  // Google Directory tokens.list, one JSON line per user.
  tokens: [
    { userKey: 'grace@northwind.example', items: [{ kind: 'admin#directory#token', clientId: '1234-slack.apps.googleusercontent.com', displayText: 'Slack', anonymous: false, nativeApp: false, userKey: 'grace@northwind.example', scopes: ['openid', 'https://www.googleapis.com/auth/gmail.readonly'] }] },
    { userKey: 'rosalind@northwind.example', items: [{ kind: 'admin#directory#token', clientId: '5678-zoom.apps.googleusercontent.com', displayText: 'Zoom', anonymous: false, nativeApp: false, userKey: 'rosalind@northwind.example', scopes: ['openid', 'https://www.googleapis.com/auth/calendar.events'] }] },
  ].map((l) => JSON.stringify(l)).join('\n'),
  signins: [
    'Event ID,Created At,User Name,App Name,Status,IP Address,User Agent,Country',
    'e-1,2026-11-20T09:15:04Z,ada@northwind.example,Slack,Success,198.51.100.7,Mozilla/5.0,GB',
    'e-2,2026-11-21T09:15:04Z,grace@northwind.example,Slack,Success,198.51.100.8,Mozilla/5.0,US',
    'e-3,2026-11-22T09:15:04Z,rosalind@northwind.example,Zoom,Success,198.51.100.9,Mozilla/5.0,GB',
    'e-4,2026-11-23T09:15:04Z,alan@northwind.example,Figma,Success,198.51.100.10,Mozilla/5.0,GB',
  ].join('\n'),
}

/**
 * Imports the small company through the real collectors (roster, a Brex statement, Google tokens, an SSO log),
 * then runs the analyzer, so pages have people, apps, grants, spend, runs and findings to show.
 */
export async function seedSmallCompany(store: Store, exports: Partial<typeof SMALL_COMPANY> = {}): Promise<void> {
  const files = { ...SMALL_COMPANY, ...exports }
  const dir = mkdtempSync(join(tmpdir(), 'sightline-seed-'))
  try {
    const write = (name: string, text: string): string => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }
    const resolver = await loadResolver(store.db)
    const now = () => new Date(`${SEED_TODAY}T12:00:00.000Z`)
    await importRoster(store, { path: write('roster.csv', files.roster), today: SEED_TODAY }, { resolver, now })
    await importGoogleTokens(store, write('tokens.jsonl', files.tokens), { resolver, now })
    await importSigninFile(store, write('signins.csv', files.signins), { resolver, now, source: 'onelogin' })
    await importSpendFile(store, write('brex.csv', files.spend), { resolver, now, rejectsDir: dir })
    await analyze(store.db, analyzerConfig({ asOf: `${SEED_TODAY}T23:59:59.000Z` }), { now })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

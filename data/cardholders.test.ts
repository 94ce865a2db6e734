import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { importRoster } from '../collectors/people-csv/import-roster.js'
import { importSpendFile } from '../collectors/spend-csv/import-spend.js'
import { createResolver } from '../analyzer/resolve/index.js'
import { loadCatalog } from './catalog/index.js'
import { CardholderIndex, cardholderKeys } from './cardholders.js'
import { summarizeSpend } from './spend-report.js'
import { createTestStore, DIALECTS, type TestStore } from './testing/test-store.js'

describe('cardholder names', () => {
  const people = [
    { id: 1, name: 'Priya Shah' },
    { id: 2, name: 'José Álvarez' },
    { id: 3, name: 'Sam Lee' },
    { id: 4, name: 'Sam Lee' },
    { id: 5, name: null, given_name: 'Anne-Marie', family_name: "O'Neil" },
    { id: 6, name: 'Daniel Kim' },
    { id: 7, name: 'Daniel J Kim' },
  ]
  const index = new CardholderIndex(people)

  it.each([
    ['PRIYA K SHAH', 1], ['Priya Shah', 1], ['SHAH, PRIYA', 1], ['SHAH, PRIYA K.', 1], ['PRIYA SHAH JR', 1],
    ['JOSE ALVAREZ', 2], ['ANNE-MARIE ONEIL', 5], ["O'NEIL, ANNE-MARIE", 5],
  ])('case 4: should link %s to the one person it names', (printed, id) => {
    expect(index.match(printed)).toBe(id)
  })

  it('case 4: should leave a name two people share unlinked', () => {
    expect(index.match('SAM LEE')).toBeNull()
    expect(index.match('SAM T LEE')).toBeNull()
  })

  it('case 4: should prefer an exact name with its initial over one that is equal only once initials are ignored', () => {
    expect(index.match('DANIEL J KIM')).toBe(7)
    // "DANIEL KIM" is exactly person 6; "DANIEL R KIM" is either of them once initials are ignored.
    expect(index.match('DANIEL KIM')).toBe(6)
    expect(index.match('DANIEL R KIM')).toBeNull()
  })

  it('should not read a single word or bare initials as a name', () => {
    expect(cardholderKeys('PRIYA')).toBeNull()
    expect(cardholderKeys('P K')).toBeNull()
    expect(index.match('P SHAH')).toBeNull()
  })
})

const resolver = createResolver({ entries: loadCatalog().entries })
const scratch = mkdtempSync(join(tmpdir(), 'cardholders-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

for (const dialect of DIALECTS) {
  describe(`card lines and their people [${dialect}]`, () => {
    let t: TestStore
    afterEach(async () => t?.dispose())

    it('case 4: should link Amex Card Member names to roster people and give their lines the person\'s department, whichever is imported first', async () => {
      for (const order of ['spend-first', 'roster-first'] as const) {
        t = await createTestStore(dialect)
        const roster = join(scratch, `roster-${dialect}.csv`)
        writeFileSync(roster, 'Work Email,First Name,Last Name,Department\npriya.shah@lumen.example,Priya,Shah,Finance\nsam.lee@lumen.example,Sam,Lee,Sales\nsam.lee2@lumen.example,Sam,Lee,Support\n')
        const amex = join(scratch, `amex-${dialect}.csv`)
        writeFileSync(amex, [
          'Date,Description,Card Member,Account #,Amount',
          '10/03/2026,ZOOM.US 888-799-9666,PRIYA K SHAH,-41005,149.90',
          '10/05/2026,SLACK T0123ABC,"SHAH, PRIYA",-41005,87.50',
          '10/07/2026,NOTION LABS,SAM LEE,-42006,16.00',
        ].join('\n'))
        const options = { resolver, now: () => new Date('2026-11-28T12:00:00.000Z') }
        const steps = [() => importRoster(t.store, { path: roster, today: '2026-11-28' }, options), () => importSpendFile(t.store, amex, { ...options, rejectsDir: scratch })]
        if (order === 'spend-first') steps.reverse()
        for (const step of steps) await step()
        const lines = await t.store.db.selectFrom('spend_transactions as s').leftJoin('people as p', 'p.id', 's.person_id').select(['s.cardholder', 'p.email', 's.department']).orderBy('s.posted_on').execute()
        expect(lines, order).toEqual([
          { cardholder: 'PRIYA K SHAH', email: 'priya.shah@lumen.example', department: 'Finance' },
          { cardholder: 'SHAH, PRIYA', email: 'priya.shah@lumen.example', department: 'Finance' },
          { cardholder: 'SAM LEE', email: null, department: null },
        ])
        const byDept = await summarizeSpend(t.store.db, { by: 'department' })
        expect(byDept.map((r) => r.group).sort(), order).toEqual(['(none)', 'Finance'])
        await t.dispose()
      }
    })
  })
}

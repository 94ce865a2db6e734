import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseRosterFile, parseRosterText, RosterFileError } from './parse-roster.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const TODAY = '2026-11-28'

describe('parseRosterFile', () => {
  it('should read a BambooHR export with a BOM and CRLF line ends', async () => {
    const roster = await parseRosterFile(fixture('bamboohr.csv'), { today: TODAY })
    expect(roster.layout).toBe('bamboohr')
    expect(roster.encoding).toBe('utf-8')
    expect(roster.rows.map((r) => r.record.email)).toEqual([
      'ada.lovelace@northwind.example',
      'grace.hopper@northwind.example',
      'linus.pauling@northwind.example',
      'rosalind.franklin@northwind.example',
    ])
    const grace = roster.rows[1]!.record
    expect(grace).toMatchObject({
      externalId: '1002',
      name: 'Grace Hopper',
      title: 'Staff Engineer, Compilers',
      managerEmail: 'ada.lovelace@northwind.example',
      location: 'New York, NY',
      employmentType: 'employee',
      status: 'active',
      startDate: '2021-04-15',
    })
    expect(roster.rows.map((r) => r.line)).toEqual([2, 3, 4, 5])
  })

  it('should treat an Inactive status as terminated and keep a contractor past their end date active', async () => {
    const roster = await parseRosterFile(fixture('bamboohr.csv'), { today: TODAY })
    const byEmail = new Map(roster.rows.map((r) => [r.record.email, r.record]))
    expect(byEmail.get('linus.pauling@northwind.example')).toMatchObject({ status: 'active', employmentType: 'contractor', endDate: '2025-12-31' })
    expect(byEmail.get('rosalind.franklin@northwind.example')).toMatchObject({ status: 'terminated', endDate: '2026-09-30' })
  })

  it('should detect a semicolon delimiter and count lines across a quoted newline', async () => {
    const roster = await parseRosterFile(fixture('rippling-semicolon.csv'), { today: TODAY })
    expect(roster.delimiter).toBe(';')
    expect(roster.layout).toBe('rippling')
    expect(roster.rows.map((r) => [r.line, r.record.email, r.record.employmentType])).toEqual([
      [2, 'katherine.johnson@northwind.example', 'employee'],
      [3, 'alan.turing@northwind.example', 'contractor'],
    ])
    expect(roster.rows[1]!.record.department).toBe('Research\nand Development')
  })

  it('should reject only rows without a usable email and keep rows whose secondary fields are unreadable, with a warning', async () => {
    const roster = await parseRosterFile(fixture('bad-rows.csv'), { today: TODAY })
    expect(roster.rows.map((r) => r.record.email)).toEqual(['ok.one@northwind.example', 'bad.date@northwind.example', 'wizard@northwind.example', 'ok.two@northwind.example'])
    expect(roster.rows[3]!.record.status).toBe('suspended')
    expect(roster.rows[1]!.record.startDate).toBeNull()
    expect(roster.rows[2]!.record).toMatchObject({ employmentType: null, status: 'active' })
    expect(roster.duplicates).toEqual([{ line: 3, field: 'Work Email', reason: expect.stringContaining('duplicate email ok.one@northwind.example (first on line 2)') }])
    expect(roster.rejected).toEqual([{ line: 6, field: 'Work Email', reason: 'missing email' }])
    expect(roster.warnings).toEqual([
      { line: 4, field: 'Hire Date', reason: 'invalid date "2026-02-30" (expected YYYY-MM-DD or MM/DD/YYYY); row kept without it' },
      { line: 5, field: 'Employment Type', reason: expect.stringContaining('unknown employment type "Wizard"') },
    ])
    expect(roster.read).toBe(6)
  })

  it('should refuse a roster without an email column, naming the columns it found', async () => {
    await expect(parseRosterFile(fixture('no-email-column.csv'))).rejects.toThrow(RosterFileError)
    await expect(parseRosterFile(fixture('no-email-column.csv'))).rejects.toThrow(
      'no-email-column.csv: line 1: field email: no email column (columns: Name, Department, Title)',
    )
  })

  it('should accept a column mapping and DD/MM/YYYY dates', () => {
    const csv = Buffer.from('Login,Team,Joined\nmaria@northwind.example,Ops,13/02/2024\n')
    const roster = parseRosterText(csv, 'custom.csv', { mapping: { email: 'Login', department: 'Team', startDate: 'Joined' }, dateFormat: 'DD/MM/YYYY' })
    expect(roster.rows[0]!.record).toMatchObject({ email: 'maria@northwind.example', department: 'Ops', startDate: '2024-02-13' })
  })

  it('should refuse a mapping that names a missing column', () => {
    expect(() => parseRosterText(Buffer.from('A,B\n1,2\n'), 'x.csv', { mapping: { email: 'Mail' } })).toThrow('x.csv: line 1: mapping email="Mail": no such column (columns: A, B)')
  })

  it('should decode a UTF-16LE export with a BOM', () => {
    const text = 'Work Email\tName\r\nzoe@northwind.example\tZoë Ångström\r\n'
    const buffer = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const roster = parseRosterText(buffer, 'unicode.txt')
    expect(roster.encoding).toBe('utf-16le')
    expect(roster.rows[0]!.record).toMatchObject({ email: 'zoe@northwind.example', name: 'Zoë Ångström' })
  })
})

describe('issue 15 case 1: leavers in a BambooHR report', () => {
  it('case 1: should keep a row whose Employment Status is Terminated as a terminated person', async () => {
    const roster = await parseRosterFile(fixture('bamboohr-report.csv'), { today: TODAY })
    const byEmail = new Map(roster.rows.map((r) => [r.record.email, r.record]))
    expect(roster.rows).toHaveLength(7)
    expect(roster.rejected).toEqual([])
    expect(byEmail.get('marcus.okafor@lumen.example')).toMatchObject({ status: 'terminated', endDate: '2026-09-30', sourceStatus: 'Inactive / Terminated' })
    expect(byEmail.get('hannah.berg@lumen.example')).toMatchObject({ status: 'terminated' })
    expect(byEmail.get('priya.shah@lumen.example')).toMatchObject({ status: 'active', employmentType: 'employee' })
    expect(byEmail.get('ines.duarte@lumen.example')).toMatchObject({ status: 'active', employmentType: 'contractor' })
  })

  it('case 1: should treat a past termination date as terminated whatever the status column says, and a future one as not yet', async () => {
    const roster = await parseRosterFile(fixture('bamboohr-report.csv'), { today: TODAY })
    const byEmail = new Map(roster.rows.map((r) => [r.record.email, r.record]))
    expect(byEmail.get('tomas.ruiz@lumen.example')).toMatchObject({ status: 'terminated', endDate: '2026-11-02' })
    expect(byEmail.get('lena.vogel@lumen.example')).toMatchObject({ status: 'active', endDate: '2026-12-31' })
  })

  it('case 1: should keep a row with an unknown status word and warn on that field', async () => {
    const roster = await parseRosterFile(fixture('bamboohr-report.csv'), { today: TODAY })
    expect(roster.rows.find((r) => r.record.email === 'omar.haddad@lumen.example')?.record).toMatchObject({ status: 'active', employmentType: null })
    expect(roster.warnings).toEqual([{ line: 7, field: 'Employment Status', reason: expect.stringContaining('unknown employment type "Sabbatical Pending"') }])
  })

  it('case 1: should refuse a roster whose rejected share is above the threshold', () => {
    const csv = Buffer.from('Work Email,Name\na@x.example,A\nnot-an-email,B\n,C\nd@x.example,D\n')
    expect(() => parseRosterText(csv, 'r.csv')).toThrow(/^r\.csv: 2 of 4 rows rejected \(50\.0%\), more than the reject threshold of 20\.0%; nothing was imported/)
    expect(parseRosterText(csv, 'r.csv', { rejectThreshold: 0.5 }).rows).toHaveLength(2)
  })
})

describe('issue 15 case 2: mapping the status column', () => {
  const csv = Buffer.from(
    'Work Email,Department,Employment Status,Termination Date\n' +
      'a@lumen.example,Sales,Full-Time,\nb@lumen.example,Sales,Terminated,2026-10-01\nc@lumen.example,Ops,Part-Time,\nd@lumen.example,Ops,Contractor,\n',
  )

  it('case 2: should accept the real values of a mapped Employment Status column', () => {
    const roster = parseRosterText(csv, 'r.csv', { today: TODAY, mapping: { status: 'Employment Status' } })
    expect(roster.rows.map((r) => [r.record.email, r.record.status, r.record.employmentType])).toEqual([
      ['a@lumen.example', 'active', 'employee'],
      ['b@lumen.example', 'terminated', null],
      ['c@lumen.example', 'active', 'employee'],
      ['d@lumen.example', 'active', 'contractor'],
    ])
    expect(roster.warnings).toEqual([])
  })

  it('case 2: should refuse the file with a clear line when a mapped column holds words that are not statuses', () => {
    expect(() => parseRosterText(csv, 'r.csv', { today: TODAY, mapping: { status: 'Department' } })).toThrow(
      /^r\.csv: --map status="Department": 2 value\(s\) this column holds are not statuses Sightline knows: "Sales", "Ops" .*nothing was imported$/,
    )
  })
})

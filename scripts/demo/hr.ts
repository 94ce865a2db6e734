// hr/roster.csv — a BambooHR custom report with the columns an admin picks for an access review.
import { join } from 'node:path'
import { managerEmail, type Company } from './company.js'
import { csvRow } from './csv.js'
import type { WrittenFile } from './directories.js'
import { LineWriter } from './line-writer.js'
import { isoDay } from './time.js'

export const ROSTER_HEADER = ['Employee #', 'First Name', 'Last Name', 'Work Email', 'Department', 'Job Title', 'Supervisor Email', 'Location', 'Employment Status', 'Status', 'Hire Date', 'Termination Date'] as const

export async function writeRoster(outDir: string, c: Company): Promise<WrittenFile> {
  const w = new LineWriter(join(outDir, 'hr/roster.csv'))
  await w.write(csvRow(ROSTER_HEADER))
  for (let i = 0; i < c.hrCount; i++) {
    const p = c.people[i]
    if (!p) continue
    w.records++
    await w.write(csvRow([
      p.employeeNumber, p.firstName, p.lastName, p.email, p.department, p.title, managerEmail(c, p), p.office.name,
      p.employment, p.hrStatus, isoDay(p.hireMs), p.endMs === null ? '' : isoDay(p.endMs),
    ]))
  }
  await w.close()
  return { path: 'hr/roster.csv', format: 'bamboohr-roster', records: w.records }
}

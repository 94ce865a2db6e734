import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, describe, expect, it } from 'vitest'
import { openRows, type SourceRow } from './read-rows.js'

const scratch = mkdtempSync(join(tmpdir(), 'sightline-signin-encoding-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const TEXT = [
  'Event ID,Created At,User Name,Display Name,App Name,Status',
  'e1,2026-03-02T09:15:04Z,jose@northwind.example,José Núñez,Café Intranet,Success',
  'e2,2026-03-02T09:16:10Z,anna@northwind.example,Anna Müller,Zoom,Success',
  'e3,2026-03-02T09:17:00Z,francois@northwind.example,François Lefèvre,Slack,Failed',
].join('\r\n')

async function readAll(path: string): Promise<{ rows: SourceRow[]; errors: { line: number; error: string }[] }> {
  const stream = await openRows(path)
  const rows: SourceRow[] = []
  const errors: { line: number; error: string }[] = []
  for await (const r of stream.rows) {
    if ('error' in r) errors.push(r)
    else rows.push(r)
  }
  return { rows, errors }
}

describe('sign-in CSV encodings', () => {
  it('should read a Windows-1252 export (Excel on Windows) with its accented names intact', async () => {
    const path = join(scratch, 'cp1252.csv')
    writeFileSync(path, iconv.encode(TEXT, 'win1252'))
    const { rows, errors } = await readAll(path)
    expect(errors).toEqual([])
    expect(rows.map((r) => [r.values['Display Name'], r.values['App Name']])).toEqual([
      ['José Núñez', 'Café Intranet'],
      ['Anna Müller', 'Zoom'],
      ['François Lefèvre', 'Slack'],
    ])
  })

  it('should keep a UTF-8 export with one bad byte as UTF-8 and reject only the row holding it', async () => {
    const path = join(scratch, 'one-bad-byte.csv')
    const bytes = Buffer.from(TEXT, 'utf8')
    const at = bytes.indexOf(Buffer.from('Anna'))
    writeFileSync(path, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]))
    const { rows, errors } = await readAll(path)
    expect(rows.map((r) => r.values['Display Name'])).toEqual(['José Núñez', 'François Lefèvre'])
    expect(errors).toEqual([{ line: 3, error: 'bytes that are not valid UTF-8 in column Display Name' }])
  })

  it('should still read UTF-16 with a byte-order mark and UTF-8 with one', async () => {
    const le = join(scratch, 'utf16.csv')
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf-16le')]))
    const bom = join(scratch, 'bom.csv')
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]))
    for (const path of [le, bom]) {
      const { rows } = await readAll(path)
      expect(rows.map((r) => r.values['Display Name'])).toEqual(['José Núñez', 'Anna Müller', 'François Lefèvre'])
      expect(Object.keys(rows[0]!.values)[0]).toBe('Event ID')
    }
  })
})

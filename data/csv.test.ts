import { describe, expect, it } from 'vitest'
import { csvCell, csvLine, csvLines, toCsv } from './csv.js'

describe('CSV cells (CLI, web downloads and evidence alike)', () => {
  it('should neutralise cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tcmd'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "'\tcmd"])
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`)
    expect(csvCell('-1-cmd|calc')).toBe("'-1-cmd|calc")
  })

  it('should leave numbers, plain numbers written as text, booleans and ordinary text alone', () => {
    expect(csvCell(-45)).toBe('-45')
    expect(csvCell('-12.50')).toBe('-12.50')
    expect(csvCell(12n)).toBe('12')
    expect(csvCell(true)).toBe('true')
    expect(csvCell('Figma')).toBe('Figma')
    expect(csvCell(null)).toBe('')
    expect(csvCell(Number.NaN)).toBe('')
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"')
  })

  it('should quote commas, quotes, line breaks and edge blanks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"')
    expect(csvCell(' padded')).toBe('" padded"')
    expect(csvLine(['x', null, 3])).toBe('x,,3\r\n')
    expect(toCsv(['x', 'y'], [['1', 'two\nlines']])).toBe('x,y\r\n1,"two\nlines"\r\n')
  })

  it('should stream a header and then one line per row', async () => {
    const lines: string[] = []
    for await (const line of csvLines([['name', (r: { n: string }) => r.n]], [{ n: '=evil' }, { n: 'ok' }])) lines.push(line)
    expect(lines).toEqual(['name\r\n', "'=evil\r\n", 'ok\r\n'])
  })
})

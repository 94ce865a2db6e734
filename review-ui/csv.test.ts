import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from './csv.js'

describe('CSV export cells', () => {
  it('should neutralise cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect(csvCell('+1+1')).toBe("'+1+1")
    expect(csvCell('-2+3')).toBe("'-2+3")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tcmd')).toBe("'\tcmd")
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`)
  })

  it('should leave plain numbers, negative amounts included, and ordinary text alone', () => {
    expect(csvCell('-12.50')).toBe('-12.50')
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell('Figma')).toBe('Figma')
    expect(csvCell(null)).toBe('')
  })

  it('should quote commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(toCsv(['x', 'y'], [['1', 'two\nlines']])).toBe('x,y\r\n1,"two\nlines"\r\n')
  })
})

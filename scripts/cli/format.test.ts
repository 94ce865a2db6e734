import { describe, expect, it } from 'vitest'
import { printable, renderRows } from './format.js'

describe('renderRows', () => {
  it('should quote CSV cells and defuse spreadsheet formulas from untrusted names, but keep negative numbers', () => {
    const rows = [
      { name: '=HYPERLINK("http://evil")', amount: '-45.00', note: 'a, "quoted"\nline' },
      { name: '@SUM(A1)', amount: -12, note: '-not a number' },
    ]
    expect(renderRows(rows, ['name', 'amount', 'note'], 'csv')).toBe(
      ['name,amount,note', `"'=HYPERLINK(""http://evil"")",-45.00,"a, ""quoted""\nline"`, `'@SUM(A1),-12,'-not a number`].join('\n'),
    )
  })

  it('should print one JSON object per row and an aligned table without raw newlines', () => {
    const rows = [{ a: 1, b: 'x\ny' }]
    expect(renderRows(rows, ['a', 'b'], 'jsonl')).toBe('{"a":1,"b":"x\\ny"}')
    expect(JSON.parse(renderRows([...rows, ...rows], ['a', 'b'], 'json'))).toEqual([...rows, ...rows])
    expect(renderRows([], ['a'], 'json')).toBe('[]')
    expect(renderRows(rows, ['a', 'b'], 'table').split('\n')).toEqual(['a  b', '-  ---', '1  x y'])
  })
})

describe('printable', () => {
  it('should turn terminal escape sequences from untrusted names into spaces, keeping newlines and text', () => {
    expect(printable('Evil\u001b[2J\u001b]0;pwned\u0007App\nnext')).toBe('Evil [2J ]0;pwned App\nnext')
  })
})

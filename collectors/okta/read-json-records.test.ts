import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readJsonRecords, type JsonRecord } from './read-json-records.js'

const dir = mkdtempSync(join(tmpdir(), 'okta-json-'))
async function read(name: string, text: string): Promise<JsonRecord[]> {
  const path = join(dir, name)
  writeFileSync(path, text)
  const out: JsonRecord[] = []
  for await (const r of readJsonRecords(path)) out.push(r)
  return out
}

describe('readJsonRecords', () => {
  it('should read JSON lines with the line of each record and name a broken one', async () => {
    const out = await read('a.jsonl', '{"a":1}\n\n{"a":2}\n{"a":\n{"a":4}')
    expect(out).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 2 } },
      { line: 4, error: expect.stringContaining('not valid JSON') },
      { line: 5, value: { a: 4 } },
    ])
  })

  it('should stream a pretty-printed JSON array element by element, strings with brackets and commas included', async () => {
    const out = await read('b.json', '\uFEFF[\n  {\n    "a": "x], {y\\"",\n    "b": [1, 2]\n  },\n  {"a": 2}\n]\n')
    expect(out).toEqual([
      { line: 2, value: { a: 'x], {y"', b: [1, 2] } },
      { line: 6, value: { a: 2 } },
    ])
  })

  it('should fail a truncated array by name', async () => {
    await expect(read('c.json', '[{"a":1},\n{"a":2')).rejects.toThrow(/c\.json: line 2:1: the JSON array is not closed/)
    await expect(read('d.json', '[{"a":1}\n')).rejects.toThrow(/d\.json: line 1:2: the JSON array is not closed/)
  })

  it('should refuse an array with a trailing comma at its line:column, yielding nothing past it', async () => {
    await expect(read('e.json', '[\n  {"a": 1},\n  {"a": 2},\n]\n')).rejects.toThrow(/e\.json: line 4:1: not valid JSON \(unexpected '\]': an empty array element or a trailing comma\)/)
  })

  it('should refuse an element with a docs placeholder at the placeholder', async () => {
    await expect(read('f.json', '[\n  {\n    "uuid": "x",\n    "target": [ ... ]\n  }\n]')).rejects.toThrow(/f\.json: line 4:17: not valid JSON \(Unexpected token '\.'\)/)
  })

  it('should read the records of an object document: a page of items or one event', async () => {
    expect(await read('g.json', '{\n  "items": [{"a": 1}, {"a": 2}]\n}\n')).toEqual([{ line: 1, value: { a: 1 } }, { line: 1, value: { a: 2 } }])
    expect(await read('h.json', '{\n  "a": 3\n}\n')).toEqual([{ line: 1, value: { a: 3 } }])
    await expect(read('i.json', '{\n  "a": 3,\n}\n')).rejects.toThrow(/i\.json: line 3:1: not valid JSON/)
  })
})

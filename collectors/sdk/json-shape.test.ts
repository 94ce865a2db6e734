import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { jsonErrorOffset, JsonDocumentError, jsonShapeOf, parseJsonDocument } from './json-shape.js'

const fixture = (name: string) => readFileSync(new URL(`../entra/fixtures/${name}`, import.meta.url), 'utf8')

function refusal(text: string, file = 'x.json'): string {
  try {
    parseJsonDocument(text, `/tmp/${file}`)
  } catch (error) {
    expect(error).toBeInstanceOf(JsonDocumentError)
    return (error as Error).message
  }
  throw new Error('parsed')
}

describe('jsonShapeOf', () => {
  it('should call a pretty-printed Graph page a document even when it does not parse', () => {
    expect(jsonShapeOf(fixture('signins-page.json'))).toBe('document')
    expect(jsonShapeOf(fixture('signins-page-trailing-comma.json'))).toBe('document')
    expect(jsonShapeOf(fixture('signins-page-placeholder.json'))).toBe('document')
  })

  it('should call one value per line JSON lines, even when the first line is a broken object', () => {
    expect(jsonShapeOf('{"a":1}\n{"a":2}\n')).toBe('lines')
    expect(jsonShapeOf('\uFEFF\n\n{"a":1}\r\n\r\n{"a":2}')).toBe('lines')
    expect(jsonShapeOf('{"a":1,}\n{"a":2}\n')).toBe('lines')
    expect(jsonShapeOf('[1]\n[2]\n')).toBe('lines')
  })

  it('should call a one-line document, an array and a page a document', () => {
    expect(jsonShapeOf('{"value": [{"a": 1}]}\n')).toBe('document')
    expect(jsonShapeOf('[\n{"a":1},\n{"a":2}\n]')).toBe('document')
    expect(jsonShapeOf('{"items": [\n{"a":1}\n]}')).toBe('document')
  })

  it('should call a blank file empty and a CSV other', () => {
    expect(jsonShapeOf(' \n\n')).toBe('empty')
    expect(jsonShapeOf('Date,Description,Amount\n')).toBe('other')
  })
})

describe('parseJsonDocument', () => {
  it('should refuse a Graph page with a trailing comma at the closing brace after it, with the parser reason', () => {
    expect(refusal(fixture('signins-page-trailing-comma.json'), 'signins.json')).toBe(
      "signins.json: line 17:5: not valid JSON (Expected double-quoted property name); a JSON document is read whole, so nothing was imported",
    )
  })

  it('should refuse a docs example with a ... placeholder at the placeholder', () => {
    expect(refusal(fixture('signins-page-placeholder.json'))).toMatch(/^x\.json: line 10:19: not valid JSON \(Expected property name or '}'\);/)
  })

  it('should name the end of a truncated document and not echo the input', () => {
    const message = refusal('{\n  "value": [\n    {"id": "secret-ish"')
    expect(message).toMatch(/^x\.json: line 3:24: not valid JSON \(Expected ',' or '}' after property value, where the file ends: truncated\?\)/)
    expect(message).not.toContain('secret-ish')
  })

  it('should parse a valid document with a byte-order mark', () => {
    expect(parseJsonDocument('\uFEFF{"value": []}', 'a.json')).toEqual({ value: [] })
  })

  it('should find the first error offset without overflowing on deep or long input', () => {
    expect(jsonErrorOffset('[1, 2, ]')).toBe(7)
    expect(jsonErrorOffset('{"a": tru}')).toBe(6)
    expect(jsonErrorOffset(`${'['.repeat(200_000)}x`)).toBe(200_000)
    expect(jsonErrorOffset(`[${'1,'.repeat(500_000)}]`)).toBe(1_000_001)
  })
})

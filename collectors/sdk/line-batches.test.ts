import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { moduleUrl, openLineBatches, type LineBatchReader } from './line-batches.js'
import type { CountBatch } from './testing/count-lines-mapper.js'

const dir = mkdtempSync(join(tmpdir(), 'sightline-line-batches-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const mapper = { module: moduleUrl(import.meta.url, './testing/count-lines-mapper'), name: 'countLinesMapper' }

async function readAll(reader: LineBatchReader<CountBatch>): Promise<CountBatch[]> {
  const batches: CountBatch[] = []
  try {
    for (;;) {
      const { batch, done } = await reader.next()
      batches.push(batch)
      if (done) return batches
    }
  } finally {
    await reader.close()
  }
}

describe('openLineBatches', () => {
  it('should map every line in a worker, in order, a batch at a time, with physical line numbers', async () => {
    const file = join(dir, 'lines.jsonl')
    // BOM, CRLF, blank lines, a bad line, and no newline at the end.
    writeFileSync(file, '\uFEFF{"n":1}\r\n\n{"n":2}\n  \n{"n":3\n{"n":4}\r\n{"n":5}')
    const batches = await readAll(await openLineBatches<CountBatch>(file, mapper, { batchLines: 2 }))
    expect(batches.map((b) => b.lines)).toEqual([[1, 3], [6], [7]])
    expect(batches.flatMap((b) => b.values)).toEqual([1, 2, 4, 5])
    expect(batches.flatMap((b) => b.errors)).toEqual([expect.stringMatching(/^lines\.jsonl: line 5: /)])
    expect(batches.map((b) => b.done)).toEqual([false, false, true])
  })

  it('should hash the file as it reads it, and know the hash only at the end', async () => {
    const file = join(dir, 'hashed.jsonl')
    const text = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ n: i, pad: 'x'.repeat(500) })).join('\n')
    writeFileSync(file, text)
    const reader = await openLineBatches<CountBatch>(file, mapper, { batchLines: 1000 })
    await reader.next()
    expect(reader.sha256).toBeUndefined()
    await readAll(reader)
    expect(reader.sha256).toBe(createHash('sha256').update(text).digest('hex'))
  })

  it('should read a large file with the worker never more than `ahead` batches in front', async () => {
    const file = join(dir, 'large.jsonl')
    // Several times the worker's 1 MB read size, so a worker ignoring its credits would have read it all.
    const n = 400_000
    writeFileSync(file, Array.from({ length: n }, (_, i) => JSON.stringify({ n: i })).join('\n') + '\n')
    const reader = await openLineBatches<CountBatch>(file, mapper, { batchLines: 1000, ahead: 2 })
    const first = await reader.next()
    // Give the worker time to run ahead if it ignored the credits; it may hold at most 2 more batches.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(reader.bytesRead).toBeLessThan(reader.size)
    const rest = await readAll(reader)
    const values = [first.batch, ...rest].flatMap((b) => b.values)
    expect(values).toHaveLength(n)
    expect(values[n - 1]).toBe(n - 1)
    expect(reader.bytesRead).toBe(reader.size)
  })

  it('should fail the read with the mapper error naming the file, and stop the worker', async () => {
    const file = join(dir, 'boom.jsonl')
    writeFileSync(file, '{"n":1}\n{"n":"boom"}\n{"n":3}\n')
    const reader = await openLineBatches<CountBatch>(file, mapper, { batchLines: 10 })
    await expect(reader.next()).rejects.toThrow('boom.jsonl: mapper failed on line 2')
    await expect(reader.next()).rejects.toThrow('mapper failed on line 2')
  })

  it('should refuse a mapper the module does not export', async () => {
    const file = join(dir, 'any.jsonl')
    writeFileSync(file, '{"n":1}\n')
    const reader = await openLineBatches<CountBatch>(file, { ...mapper, name: 'noSuchMapper' })
    await expect(reader.next()).rejects.toThrow(/has no mapper noSuchMapper/)
  })

  it('should let a reader closed early end without reading the rest', async () => {
    const file = join(dir, 'early.jsonl')
    writeFileSync(file, Array.from({ length: 5000 }, (_, i) => JSON.stringify({ n: i })).join('\n'))
    const reader = await openLineBatches<CountBatch>(file, mapper, { batchLines: 10, ahead: 1 })
    const { batch, done } = await reader.next()
    expect(batch.values).toHaveLength(10)
    expect(done).toBe(false)
    await reader.close()
    await reader.close()
  })
})

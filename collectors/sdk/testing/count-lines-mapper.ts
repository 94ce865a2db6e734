// A line mapper for line-batches tests: keeps each line's number and `n` field, names parse errors, and throws
// on a line whose `n` is "boom" (a mapper bug, which must stop the read).
import type { LineBatchMapper } from '../line-batches.js'

export interface CountBatch {
  lines: number[]
  values: unknown[]
  errors: string[]
  done: boolean
}

export function countLinesMapper(file: string): LineBatchMapper<CountBatch> {
  let batch: CountBatch = { lines: [], values: [], errors: [], done: false }
  return {
    line(line, value, error) {
      if (error !== null) {
        batch.errors.push(`${file}: line ${line}: ${error}`)
        return
      }
      const n = (value as { n?: unknown }).n
      if (n === 'boom') throw new Error(`mapper failed on line ${line}`)
      batch.lines.push(line)
      batch.values.push(n)
    },
    take(done) {
      const out = { ...batch, done }
      batch = { lines: [], values: [], errors: [], done: false }
      return out
    },
  }
}

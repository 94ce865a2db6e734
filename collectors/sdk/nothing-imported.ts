import { open } from 'node:fs/promises'
import { jsonShapeOf } from './json-shape.js'

/** Why a file gave nothing to the inventory, for a refusal the user can act on. */
export interface NothingImported {
  /** The commonest reason, without the file and line it was seen at. */
  reason: string
  /** How many of the file's records had that reason. */
  count: number
  /** What to try next (another --format, a mapping); null when nothing better is known. */
  hint: string | null
  /** One line: `nothing imported: 12 of 12 records: field events: missing`. */
  message: string
}

/** What the check needs of an import summary (file imports and spend alike). */
export interface ImportOutcome {
  read: number
  imported: number
  duplicates: number
  errors: readonly string[]
  /** Records read and deliberately left out, by reason (e.g. `event type user.lifecycle.create`, `payment`). */
  skippedBy?: Readonly<Record<string, number>>
}

/** An error message without the file and the line/record/row it names: `okta: a.json: line 4: field x: y` → `field x: y`. */
export function reasonOf(message: string): string {
  const located = /^(?:.*?: )?(?:line|record|row) \d+(?::\d+)?(?:: (?:record|field record) \d+)?: (.*)$/s.exec(message)
  return (located ? located[1]! : message).trim()
}

/**
 * Null when the file gave the inventory something (imported rows, or only rows it already held); otherwise the
 * dominant reason among its rejected and skipped records. An empty file is nothing imported too.
 */
export function explainNothingImported(outcome: ImportOutcome, hint: string | null = null): NothingImported | null {
  if (outcome.imported > 0 || outcome.duplicates > 0) return null
  const tally = new Map<string, number>()
  for (const e of outcome.errors) {
    const r = reasonOf(e)
    tally.set(r, (tally.get(r) ?? 0) + 1)
  }
  for (const [r, n] of Object.entries(outcome.skippedBy ?? {})) tally.set(`skipped: ${r}`, (tally.get(`skipped: ${r}`) ?? 0) + n)
  let reason = outcome.read === 0 ? 'the file holds no records' : 'no record could be imported'
  let count = outcome.read
  let best = 0
  for (const [r, n] of tally) {
    if (n > best) {
      best = n
      reason = r
      count = n
    }
  }
  const of = outcome.read > 0 ? `${count} of ${outcome.read} records: ` : ''
  const message = `nothing imported: ${of}${reason}${hint ? `; ${hint}` : ''}`
  return { reason, count, hint, message }
}

/**
 * The first record of a JSON export (a page's first item, an array's first element, the first line of JSON
 * lines), or the header line of anything else, to guess what a refused file really is. Reads the first MB only.
 */
export async function sampleRecord(path: string): Promise<{ json: Record<string, unknown> } | { header: string } | null> {
  let head: string
  try {
    const handle = await open(path, 'r')
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 20), 0, 1 << 20, 0)
      head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '')
    } finally {
      await handle.close()
    }
  } catch {
    return null
  }
  const shape = jsonShapeOf(head)
  if (shape === 'empty') return null
  if (shape === 'other') return { header: head.trimStart().split(/\r?\n/, 1)[0] ?? '' }
  let value: unknown
  try {
    value = JSON.parse(shape === 'lines' ? (head.trimStart().split(/\r?\n/, 1)[0] ?? '') : head)
  } catch {
    return null
  }
  for (let i = 0; i < 3; i++) {
    if (Array.isArray(value)) value = value[0]
    else if (value && typeof value === 'object') {
      const page = value as { value?: unknown; items?: unknown; records?: unknown }
      const list = [page.value, page.items, page.records].find(Array.isArray) as unknown[] | undefined
      if (!list) break
      value = list[0]
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? { json: value as Record<string, unknown> } : null
}

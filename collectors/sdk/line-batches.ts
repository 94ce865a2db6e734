// JSON-lines exports read in a worker thread (see worker-batches.ts): reading, JSON.parse and the vendor's
// mapping of each line run beside the main thread; only the mapped batches cross over.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { CollectorError } from './errors.js'
import { moduleUrl, openWorkerBatches, WorkerBatchError, type ProducerRef } from './worker-batches.js'

export { moduleUrl }

/**
 * Worker side: turns the lines of one file into batches. `line` gets each non-blank line, parsed or with the
 * parse error's message; `take` returns what was collected since the last call (JSON-serialisable) and starts
 * over. State that spans the file (e.g. a history folded at the end) stays in the mapper; `done` says the file ended.
 */
export interface LineBatchMapper<B> {
  line(line: number, value: unknown, error: string | null): void
  take(done: boolean): B
}

/** A module exporting `name: (file: string) => LineBatchMapper<B>`, loaded inside the worker. */
export type LineMapperRef = ProducerRef

export interface LineBatchReader<B> {
  readonly file: string
  readonly size: number
  /** Bytes of the file read so far (the worker reads ahead of the batches by at most a few MB). */
  readonly bytesRead: number
  /** SHA-256 (hex) of the file, hashed as the worker read it; known once the last batch was taken. */
  readonly sha256: string | undefined
  /** The next batch; `done` on the last (which may still carry records). */
  next(): Promise<{ batch: B; done: boolean }>
  /** Stops the worker (idempotent); call it however the import ends. */
  close(): Promise<void>
}

export interface LineBatchOptions {
  /** Non-blank lines per batch (default 2000). */
  batchLines?: number
  /** Batches the worker may run ahead of the reader (default 2). */
  ahead?: number
}

interface LineArgs {
  path: string
  file: string
  mapper: LineMapperRef
  batchLines: number
}

interface LinePayload<B> {
  batch: B
  bytesRead: number
  sha256?: string
}

/** Runs in the worker: the lines of `path`, through the mapper, `batchLines` at a time. */
export async function* jsonLineBatches(args: LineArgs): AsyncGenerator<LinePayload<unknown>> {
  const module = (await import(args.mapper.module)) as Record<string, unknown>
  const factory = module[args.mapper.name]
  if (typeof factory !== 'function') throw new Error(`${args.mapper.module} has no mapper ${args.mapper.name}`)
  const mapper = (factory as (file: string) => LineBatchMapper<unknown>)(args.file)
  const decoder = new StringDecoder('utf8')
  // The import records the file's hash: taken from the bytes as they are read, not from a second pass.
  const hash = createHash('sha256')
  let lineNo = 0
  let inBatch = 0
  let bytesRead = 0
  const take = (raw: string): void => {
    lineNo++
    const text = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      if (text.trim() === '') return
      mapper.line(lineNo, null, (error as Error).message)
      inBatch++
      return
    }
    mapper.line(lineNo, value, null)
    inBatch++
  }
  let rest = ''
  for await (const chunk of createReadStream(args.path, { highWaterMark: 1 << 20 })) {
    bytesRead += (chunk as Buffer).length
    hash.update(chunk as Buffer)
    const text = rest + decoder.write(chunk as Buffer)
    let start = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl))
      start = nl + 1
      if (inBatch >= args.batchLines) {
        inBatch = 0
        yield { batch: mapper.take(false), bytesRead }
      }
    }
    rest = text.slice(start)
  }
  const last = rest + decoder.end()
  if (last !== '') take(last.endsWith('\r') ? last.slice(0, -1) : last)
  yield { batch: mapper.take(true), bytesRead, sha256: hash.digest('hex') }
}

export async function openLineBatches<B>(path: string, mapper: LineMapperRef, options: LineBatchOptions = {}): Promise<LineBatchReader<B>> {
  const { size } = await stat(path)
  const file = basename(path)
  const args: LineArgs = { path, file, mapper, batchLines: options.batchLines ?? 2000 }
  const reader = openWorkerBatches<LinePayload<B>>({ module: moduleUrl(import.meta.url, './line-batches'), name: 'jsonLineBatches' }, args, { ahead: options.ahead })
  let bytesRead = 0
  let sha256: string | undefined
  return {
    file,
    size,
    get bytesRead() {
      return bytesRead
    },
    get sha256() {
      return sha256
    },
    async next() {
      try {
        const { batch, done } = await reader.next()
        bytesRead = batch.bytesRead
        if (batch.sha256) sha256 = batch.sha256
        return { batch: batch.batch, done }
      } catch (error) {
        if (error instanceof WorkerBatchError) throw new Error(`${file}: ${error.message}`, { cause: error })
        throw error
      }
    },
    close: () => reader.close(),
  }
}

/**
 * The cursor of a collector paging through a line-batch reader. A file import is one pass in one transaction,
 * so a cursor can only continue where the last page stopped: page numbers, checked before each page is read.
 */
export class OnePassCursor {
  private pages = 0

  /** `label` names the reader in the error (e.g. `entra: signins.jsonl`). */
  constructor(private readonly label: string) {}

  /** Refuses a cursor that is not where the last page stopped. */
  check(cursor: string | null): void {
    if ((cursor ?? '0') !== String(this.pages)) throw new CollectorError('invalid-config', `${this.label}: cannot resume at ${cursor}`)
  }

  /** The cursor after the page just read, or null after the last. */
  advance(done: boolean): string | null {
    this.pages += 1
    return done ? null : String(this.pages)
  }
}

// Runs a producer of batches (an async generator exported by a module) in a worker thread, so parsing and
// mapping a large export run beside the main thread, which writes the store. Batches cross as JSON strings,
// and the worker never runs more than `ahead` batches in front of the reader: memory stays bounded.
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

/** A module and the name of the async generator function it exports: `(args) => AsyncIterable<B>`. */
export interface ProducerRef {
  /** URL of the module (`moduleUrl(import.meta.url, './x')` names a sibling). */
  module: string
  name: string
}

export interface WorkerBatchReader<B> {
  /** The next batch; `done` on the last one (which carries data like any other). */
  next(): Promise<{ batch: B; done: boolean }>
  /** Stops the worker (idempotent); call it however the read ends. */
  close(): Promise<void>
}

/** An error thrown by the producer, with the name of its class (e.g. SpendFileError) to tell kinds apart. */
export class WorkerBatchError extends Error {
  constructor(message: string, readonly errorName: string) {
    super(message)
    this.name = 'WorkerBatchError'
  }
}

/** The URL of a sibling module: `.ts` from the sources (tsx, tests), `.js` in a build. */
export function moduleUrl(from: string, relative: string): string {
  return new URL(`${relative}${from.endsWith('.ts') ? '.ts' : '.js'}`, from).href
}

/** Messages from the worker thread. */
export type WorkerMessage =
  | { type: 'batch'; json: string; done: boolean }
  | { type: 'error'; message: string; name: string }

/**
 * The worker's heap: a parser holds little for long (a few batches, its caches), and V8 left to itself grows a
 * second heap as large as the main thread's before collecting. Measured on a 1M-row statement: 16 MB of nursery
 * and 80 MB of old space keep the speed of the defaults with ~30 MB less peak RSS; an 8 MB nursery promoted
 * so much that collecting took the parser 3 s more and the writer waited for it.
 */
const YOUNG_GENERATION_MB = 16
const OLD_GENERATION_MB = 80

const ENTRY = fileURLToPath(new URL('./worker-batches-entry.mjs', import.meta.url))

/** `ahead`: batches the worker may hold ready beyond the one being read (default 2). */
export function openWorkerBatches<B>(producer: ProducerRef, args: unknown, options: { ahead?: number } = {}): WorkerBatchReader<B> {
  const threadModule = moduleUrl(import.meta.url, './worker-batches-thread')
  const worker = new Worker(ENTRY, { workerData: { producer, args, ahead: options.ahead ?? 4, threadModule }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: OLD_GENERATION_MB } })
  const queue: WorkerMessage[] = []
  let waiting: ((m: WorkerMessage) => void) | null = null
  let failure: Error | null = null
  let received = false
  let finished = false
  let closed = false
  const deliver = (message: WorkerMessage): void => {
    if (waiting) {
      const resolve = waiting
      waiting = null
      resolve(message)
    } else queue.push(message)
  }
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'batch' && message.done) received = true
    deliver(message)
  })
  worker.on('error', (error: Error) => deliver({ type: 'error', message: error.message, name: error.name }))
  worker.on('exit', (code) => {
    if (!received && !closed) deliver({ type: 'error', message: `the reader thread stopped (exit ${code})`, name: 'Error' })
  })
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await worker.terminate()
  }
  return {
    async next() {
      if (failure) throw failure
      if (finished) throw new Error('worker-batches: read past the last batch')
      const message = queue.shift() ?? (await new Promise<WorkerMessage>((resolve) => (waiting = resolve)))
      if (message.type === 'error') {
        failure = new WorkerBatchError(message.message, message.name)
        await close()
        throw failure
      }
      if (message.done) finished = true
      // One credit back per batch taken: the worker stays at most `ahead` batches in front.
      else worker.postMessage('more')
      return { batch: JSON.parse(message.json) as B, done: message.done }
    },
    close,
  }
}

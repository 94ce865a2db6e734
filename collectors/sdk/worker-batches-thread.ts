// The worker side of worker-batches.ts: runs the producer, posts each batch one behind (so the last one can
// say it is the last), and waits for credits from the reader before running further ahead.
import { parentPort, workerData } from 'node:worker_threads'
import type { ProducerRef, WorkerMessage } from './worker-batches.js'

interface Setup {
  producer: ProducerRef
  args: unknown
  ahead: number
}

async function run({ producer, args, ahead }: Setup): Promise<void> {
  const port = parentPort!
  const module = (await import(producer.module)) as Record<string, unknown>
  const produce = module[producer.name]
  if (typeof produce !== 'function') throw new Error(`${producer.module} exports no producer ${producer.name}`)

  let credits = ahead
  let wake: (() => void) | null = null
  port.on('message', () => {
    credits++
    const w = wake
    wake = null
    w?.()
  })
  const post = async (json: string, done: boolean): Promise<void> => {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve))
    credits--
    port.postMessage({ type: 'batch', json, done } satisfies WorkerMessage)
  }

  let held: string | null = null
  for await (const batch of (produce as (args: unknown) => AsyncIterable<unknown>)(args)) {
    if (held !== null) await post(held, false)
    held = JSON.stringify(batch)
  }
  if (held === null) throw new Error(`${producer.name} produced no batch`)
  await post(held, true)
  // Nothing more to wait for: let the thread end (what was posted is delivered all the same).
  port.unref()
}

run(workerData as Setup).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error))
  parentPort!.postMessage({ type: 'error', message: e.message, name: e.name } satisfies WorkerMessage)
})

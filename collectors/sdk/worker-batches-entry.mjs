// Entry of a worker-batches thread. From the TypeScript sources (the CLI and the tests run through tsx or
// vite) the thread registers tsx first, as the main thread did; a build imports JavaScript directly.
import { workerData } from 'node:worker_threads'

if (workerData.threadModule.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api')
  register()
}
await import(workerData.threadModule)

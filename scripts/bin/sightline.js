#!/usr/bin/env node
// The installed `sightline` command. It runs the compiled JavaScript in dist/ (built by `npm run build`, which
// `npm install` runs through `prepare`) when that build is current: no source file changed since it was made.
// Otherwise, in a checkout being edited, it runs the TypeScript sources through tsx, so nobody (and no test)
// runs code older than the sources. SIGHTLINE_FROM_SOURCE=1 always runs the sources.
import { fileURLToPath } from 'node:url'
import { staleReason } from './build-inputs.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
let main
if (process.env.SIGHTLINE_FROM_SOURCE !== '1' && staleReason(root) === null) {
  ;({ main } = await import('../../dist/scripts/cli/main.js'))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../cli/main.ts'))
}
const code = await main(process.argv.slice(2))
process.exitCode = code
// Exit only once stdout and stderr have drained: exiting at once cuts piped output at the pipe's buffer (64 KiB).
// A write's callback runs after every earlier write on the same stream has been handed to the OS.
const drained = (stream) =>
  new Promise((resolve) => {
    stream.on('error', () => resolve(undefined)) // a reader that went away (EPIPE, `| head`) is not our failure
    stream.write('', () => resolve(undefined))
  })
await Promise.all([drained(process.stdout), drained(process.stderr)])
process.exit(code)

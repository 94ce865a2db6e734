#!/usr/bin/env node
// The installed `sightline` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../cli/main.ts')
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

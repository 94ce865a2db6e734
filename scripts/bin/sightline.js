#!/usr/bin/env node
// The installed `sightline` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../cli/main.ts')
process.exit(await main(process.argv.slice(2)))

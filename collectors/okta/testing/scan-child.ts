// Runs one Okta scan in its own process so a test can SIGKILL it mid-way: `node --import tsx scan-child.ts <db-url> <config-json>`.
import { openStore } from '../../../data/connection.js'
import type { OktaConfig } from '../config.js'
import { scanOkta } from '../scan.js'
import { catalogResolver, FAST_RETRY } from './helpers.js'

const [dbUrl, configJson] = process.argv.slice(2)
if (!dbUrl || !configJson) throw new Error('scan-child: usage: scan-child.ts <db-url> <config-json>')
const store = await openStore(dbUrl)
const result = await scanOkta(store, JSON.parse(configJson) as OktaConfig, { resolver: catalogResolver(), retry: FAST_RETRY })
process.stdout.write(`${JSON.stringify({ status: result.status, error: result.error?.message ?? null })}\n`)
await store.close()

// The server side of `bench telemetry`, in its own process: the ingest sub-app on the smallest Hono app (mode
// `ingest`), or the same route that only parses the body (mode `floor`, the baseline). Prints {port} when listening.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createTelemetryIngest } from '../../collectors/browser-extension/ingest.js'
import { openStore } from '../../data/connection.js'
import { loadResolver } from '../../analyzer/resolve/load-resolver.js'

const [mode, dbPath] = process.argv.slice(2)
const root = new Hono()
let idle: () => Promise<void> = async () => undefined
let events = async () => 0
if (mode === 'ingest') {
  const store = await openStore(dbPath as string)
  const ingest = createTelemetryIngest({ store, resolver: await loadResolver(store.db), rateLimit: { burst: 20, perSecond: 5 } })
  root.route('/', ingest.app)
  idle = () => ingest.idle()
  events = async () => Number((await store.db.selectFrom('telemetry_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
} else {
  root.post('/api/v1/telemetry', async (c) => {
    const body = JSON.parse(await c.req.text()) as { events: unknown[] }
    return c.json({ accepted: true, events: body.events.length }, 202)
  })
}
root.get('/bench/stats', async (c) => {
  const started = performance.now()
  await idle()
  return c.json({ drainWaitMs: Math.round(performance.now() - started), events: await events(), rssMb: Math.round(process.memoryUsage().rss / 1e6), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })
})
serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`${JSON.stringify({ port: info.port })}\n`))

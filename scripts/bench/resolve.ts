// Resolver throughput vs a baseline that only normalises: `npx tsx scripts/bench/resolve.ts [n]`.
import { loadCatalog } from '../../data/catalog/index.js'
import { createResolver, normalizeMerchant } from '../../analyzer/resolve/index.js'

const BASES = [
  'SQ *NOTION LABS INC 415-5551234 CA', 'ZOOM.US 888-799-9666', 'ZOOM VIDEO COMM', 'GOOGLE *GSUITE_acme.com', 'GOOGLE *YouTubePremium',
  'SLACK T01ABCD2EF', 'MSFT *E0400ABCDE', 'ATLASSIAN PTY LTD SYDNEY AU', 'FIGMA INC SAN FRANCISCO CA', 'OPENAI *CHATGPT SUBSCR',
  'CLAUDE.AI SUBSCRIPTION', 'AWS EMEA', 'AMZN Mktp US*2K4L71234', 'UBER *TRIP', 'STARBUCKS STORE 12345', 'ADOBE *ACROPRO SUBS',
  'DROPBOX*ABCD1234XY', 'INTUIT *QBOOKS ONLINE', 'PAYPAL *MIDJOURNEY', 'PADDLE.NET* N8N GMBH', 'APPLE.COM/BILL 866-712-7753 CA',
  'SQ *BLUE BOTTLE COFFEE', 'DELTA AIR 0062345678901', 'HUBSPOT INC 888-482-7768 MA', 'DATADOG INC NEW YORK NY',
]

/** Realistic descriptors with heavy repetition: a few hundred distinct strings, skewed like real spend. */
function generate(n: number): string[] {
  const out: string[] = new Array<string>(n)
  let seed = 42
  const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  for (let i = 0; i < n; i++) {
    const base = BASES[Math.floor(rand() ** 2 * BASES.length)] as string
    // one in five gets a varying store/reference suffix, which makes it a distinct string
    out[i] = rand() < 0.2 ? `${base} #${Math.floor(rand() * 400)}` : base
  }
  return out
}

export async function benchResolve(opts: { n: number }): Promise<Record<string, number | string>> {
  const catalog = loadCatalog()
  const descriptors = generate(opts.n)
  const distinct = new Set(descriptors).size

  let t = performance.now()
  let sink = 0
  for (const d of descriptors) sink += normalizeMerchant(d).length
  const baselineMs = performance.now() - t

  t = performance.now()
  const resolver = createResolver({ entries: catalog.entries })
  const buildMs = performance.now() - t
  t = performance.now()
  let matched = 0
  for (const d of descriptors) if (resolver.resolve({ kind: 'merchant', value: d }).app) matched++
  const resolveMs = performance.now() - t
  if (sink < 0) throw new Error('bench: unreachable')

  return {
    n: opts.n,
    distinct,
    matched,
    catalogEntries: catalog.entries.length,
    indexBuildMs: Math.round(buildMs),
    baselineNormaliseMs: Math.round(baselineMs),
    resolveMs: Math.round(resolveMs),
    resolvePerSec: Math.round(opts.n / (resolveMs / 1000)),
    baselinePerSec: Math.round(opts.n / (baselineMs / 1000)),
    ratioResolveToBaseline: Math.round((resolveMs / baselineMs) * 100) / 100,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000)
  benchResolve({ n }).then((r) => console.log(JSON.stringify(r, null, 2)))
}

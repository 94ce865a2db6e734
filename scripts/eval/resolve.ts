// Scores the resolver against the labelled signal set: `npx tsx scripts/eval/resolve.ts [path.jsonl]`.
import { loadCatalog } from '../../data/catalog/index.js'
import { createResolver } from '../../analyzer/resolve/index.js'
import { loadEvalSet, scoreResolutions } from '../../analyzer/resolve/evaluate.js'

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`

export function runResolveEval(path?: string): ReturnType<typeof scoreResolutions> {
  const catalog = loadCatalog()
  const resolver = createResolver({ entries: catalog.entries })
  const cases = loadEvalSet(path)
  return scoreResolutions(cases, (s) => resolver.resolve(s), (k) => catalog.byKey(k)?.category)
}

function main(): void {
  const r = runResolveEval(process.argv[2])
  console.log(`cases ${r.total} (catalogued ${r.catalogued}, hard negatives ${r.hardNegatives})`)
  console.log(`precision ${pct(r.precision)} (${r.correct}/${r.predicted})  recall ${pct(r.recall)}`)
  console.log('by kind:        cases  precision  recall')
  for (const [kind, k] of Object.entries(r.byKind)) console.log(`  ${kind.padEnd(13)} ${String(k.total).padStart(6)}  ${pct(k.precision).padStart(9)}  ${pct(k.recall).padStart(8)}`)
  console.log('by category of the expected answer:')
  for (const [cat, k] of Object.entries(r.byCategory).sort()) console.log(`  ${cat.padEnd(20)} ${String(k.total).padStart(6)}  ${pct(k.precision).padStart(9)}  ${pct(k.recall).padStart(8)}`)
  console.log(`discovered (unknowns grouped under the right vendor): ${r.discovery.discovered}/${r.discovery.labelled}`)
  console.log(`hard negatives resolved to a business app: ${r.leaks.length}`)
  console.log(`confusions (${r.confusions.length}):`)
  for (const c of r.confusions) {
    console.log(`  ${c.case.kind.padEnd(12)} ${JSON.stringify(c.case.value).padEnd(48)} expected ${c.case.expected.padEnd(22)} got ${c.got} (${c.rule})`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main()

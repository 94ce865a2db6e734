import { loadCatalog } from '../data/catalog/index.js'
const c = loadCatalog()
for (const k of process.argv.slice(2)) { const e = c.byKey(k); console.log(k, e ? JSON.stringify({ n: e.name, d: e.domains, cat: e.category, fn: (e as any).function, amb: e.ambiguousName, src: e.sources, sso: e.ssoLabels }) : 'MISSING') }

#!/usr/bin/env node
// `npm run build` compiles TypeScript to dist/; the data files the code reads next to itself
// (catalog JSON, scope tables, the labelled eval set) and the reader threads' JavaScript entry are copied
// beside the compiled modules.
import { cpSync } from 'node:fs'

cpSync('collectors/sdk/worker-batches-entry.mjs', 'dist/collectors/sdk/worker-batches-entry.mjs')

for (const dir of ['data/catalog/apps', 'data/catalog/scopes', 'analyzer/resolve/eval', 'review-ui/campaigns/static']) {
  cpSync(dir, `dist/${dir}`, { recursive: true })
}

// Which named layout a header row belongs to.
import { LAYOUTS } from './layouts/index.js'
import type { SpendLayout } from './types.js'

/** Header comparison key: no BOM, trimmed, lower-case, single spaces. */
export function headerKey(header: string): string {
  let h = header.charCodeAt(0) === 0xfeff ? header.slice(1) : header
  h = h.trim().toLowerCase()
  return h.includes('  ') || h.includes('\t') ? h.split(/\s+/).join(' ') : h
}

const SIGNATURES = LAYOUTS.map((layout) => ({
  layout,
  signatures: layout.signatures.map((sig) => sig.map(headerKey)),
}))

/**
 * The layout whose signature the headers satisfy; when several do, the one whose matched signature names the
 * most headers. Undefined when none matches.
 */
export function detectLayout(headers: readonly string[]): SpendLayout | undefined {
  const present = new Set(headers.map(headerKey))
  let best: SpendLayout | undefined
  let bestSize = 0
  for (const { layout, signatures } of SIGNATURES) {
    for (const sig of signatures) {
      if (sig.length > bestSize && sig.every((h) => present.has(h))) {
        best = layout
        bestSize = sig.length
      }
    }
  }
  return best
}

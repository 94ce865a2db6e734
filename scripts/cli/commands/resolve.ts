import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { Command } from 'commander'
import type { IdentifierKind } from '../../../data/tables/apps.table.js'
import type { SignalResolution, SignalResolver } from '../../../collectors/sdk/app-resolution.js'
import { withStore, type GlobalFlags } from '../context.js'
import { loadResolver } from '../../../analyzer/resolve/load-resolver.js'
import { UsageError } from '../errors.js'

export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['merchant', 'domain', 'oauth_client', 'sso_app', 'name']

export function parseKind(value: string): IdentifierKind {
  if (!IDENTIFIER_KINDS.includes(value as IdentifierKind)) throw new UsageError(`kind ${value}: expected one of ${IDENTIFIER_KINDS.join(', ')}`)
  return value as IdentifierKind
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Without --kind: a URL or host is a domain, a published client id an OAuth client, anything else a name. */
export function guessKind(value: string): IdentifierKind {
  const v = value.trim()
  if (GUID.test(v) || /\.apps\.googleusercontent\.com$/i.test(v)) return 'oauth_client'
  if (/^https?:\/\//i.test(v) || /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?$/i.test(v)) return 'domain'
  // Card descriptors: a processor prefix with `*`, or shouting capitals with store numbers or phone digits.
  if (/^[A-Z0-9.]{2,12} ?\*/.test(v) || (v === v.toUpperCase() && /[A-Z]{3}/.test(v) && /\d{3}/.test(v))) return 'merchant'
  return 'name'
}

export interface ResolveOptions {
  kind?: IdentifierKind
  json: boolean
}

function renderResolution(input: string, r: SignalResolution, json: boolean): string {
  if (json) {
    return JSON.stringify({
      input,
      app: r.app ? { key: r.app.key, name: r.app.name } : null,
      confidence: r.confidence,
      rule: r.rule,
      candidate: r.candidate,
    })
  }
  const what = r.app ? `${r.app.name} [${r.app.key}]` : r.candidate ? `unknown app "${r.candidate.key}"` : 'not an app'
  return `${input} → ${what}  ${r.confidence.toFixed(2)} ${r.rule}  ${r.explanation}`
}

/** Output buffered in chunks, waiting for the stream to drain, so 100k lines cost a few hundred writes. */
function bufferedWriter(out: Writable): { line(text: string): Promise<void>; end(): Promise<void> } {
  let buffer: string[] = []
  let size = 0
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return
    const text = buffer.join('')
    buffer = []
    size = 0
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve))
  }
  return {
    async line(text) {
      buffer.push(text, '\n')
      size += text.length + 1
      if (size >= 64 * 1024) await flush()
    },
    end: flush,
  }
}

/** Resolves each value (or each line of `input`) and writes one line per value to `out`; returns how many. */
export async function runResolve(
  resolver: SignalResolver,
  source: { values: readonly string[] } | { input: Readable },
  options: ResolveOptions,
  out: Writable,
): Promise<number> {
  const writer = bufferedWriter(out)
  let count = 0
  const one = async (value: string): Promise<void> => {
    const kind = options.kind ?? guessKind(value)
    await writer.line(renderResolution(value, resolver.resolve({ kind, value }), options.json))
    count += 1
  }
  if ('values' in source) {
    for (const value of source.values) await one(value)
  } else {
    const lines = createInterface({ input: source.input, crlfDelay: Infinity })
    for await (const line of lines) await one(line)
  }
  await writer.end()
  return count
}

export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description('show which app a raw signal resolves to, with the rule, confidence and why (- reads one value per line from stdin)')
    .argument('<values...>', 'merchant descriptors, domains, OAuth client ids/names, SSO labels or names; - for stdin')
    .option('--kind <kind>', `what the values are (${IDENTIFIER_KINDS.join(', ')}); guessed per value when omitted`)
    .option('--json', 'one JSON object per input: {"input","app","confidence","rule","candidate"}')
    .action(async (values: string[], opts: { kind?: string; json?: boolean }, cmd: Command) => {
      const kind = opts.kind === undefined ? undefined : parseKind(opts.kind)
      if (values.includes('-') && values.length > 1) throw new UsageError('resolve: give either values or -, not both')
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const resolver = await loadResolver(store.db)
        const source = values[0] === '-' ? { input: process.stdin } : { values }
        await runResolve(resolver, source, { ...(kind ? { kind } : {}), json: Boolean(opts.json) }, process.stdout)
      })
    })
}

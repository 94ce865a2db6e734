import { createHash, type KeyObject } from 'node:crypto'
import yauzl from 'yauzl'
import { AuditChainWalker } from '../audit.js'
import type { AuditEvent } from '../tables/audit.table.js'
import { EVIDENCE_FORMAT, MANIFEST_PATH, SIGNATURE_PATH, manifestSignatureHolds, publicKeyFingerprint, type EvidenceManifest } from './manifest.js'

export const AUDIT_EVENTS_PATH = 'audit/events.jsonl'
export const AUDIT_ANCHOR_PATH = 'audit/anchor.json'

/** What audit/anchor.json holds: where the exported stretch of the chain starts and ends. */
export interface AuditAnchor {
  /** The event just before the first exported one (0 when the export starts the chain) and its hash. */
  anchor_seq: number
  anchor_hash: string
  /** The last exported event (equal to anchor_seq when none are). */
  through_seq: number
  head_hash: string
}

export interface EvidenceProblem {
  /** The file inside the zip the problem is about, when it is about one. */
  file?: string
  message: string
}

export interface EvidenceCheck {
  ok: boolean
  problems: EvidenceProblem[]
  files: number
  events: number
  signature: 'valid' | 'invalid' | 'not-checked' | 'missing'
  scope: Record<string, unknown> | null
  anchor: AuditAnchor | null
}

/** Keeps a bad or hostile zip from making the verifier read without bound. */
const MAX_KEPT_BYTES = 512 * 1024 * 1024
const MAX_ENTRIES = 10_000

interface ReadEntry {
  sha256: string
  bytes: number
  kept: Buffer | null
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return yauzl.openPromise(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true })
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, keep: boolean): Promise<ReadEntry> {
  const stream = await zip.openReadStreamPromise(entry)
  const hash = createHash('sha256')
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
    if (keep) {
      if (bytes > MAX_KEPT_BYTES) throw new Error(`larger than ${MAX_KEPT_BYTES} bytes`)
      chunks.push(chunk)
    }
  }
  return { sha256: hash.digest('hex'), bytes, kept: keep ? Buffer.concat(chunks) : null }
}

function keepContent(name: string): boolean {
  return name === MANIFEST_PATH || name === SIGNATURE_PATH || name === AUDIT_EVENTS_PATH || name === AUDIT_ANCHOR_PATH
}

/** Every entry of the zip, read and hashed, or the problem that stopped it. Names are checked, never used as paths. */
async function readZip(path: string, problems: EvidenceProblem[], damaged: Set<string>): Promise<Map<string, ReadEntry> | null> {
  let zip: yauzl.ZipFile
  try {
    zip = await openZip(path)
  } catch (error) {
    problems.push({ message: `not a readable zip (truncated or damaged): ${(error as Error).message}` })
    return null
  }
  const entries = new Map<string, ReadEntry>()
  if (zip.entryCount > MAX_ENTRIES) {
    zip.close()
    problems.push({ message: `the zip holds ${zip.entryCount} entries; an evidence package holds far fewer than ${MAX_ENTRIES}` })
    return null
  }
  await new Promise<void>((resolve) => {
    zip.on('error', (error: Error) => {
      problems.push({ message: `the zip is damaged or truncated: ${error.message}` })
      resolve()
    })
    zip.on('end', () => resolve())
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const name = (entry.fileName as unknown as Buffer).toString('utf8')
        const unsafe = yauzl.validateFileName(name)
        if (unsafe !== null || name.includes('\0')) {
          problems.push({ file: name, message: `unsafe entry name (path traversal or absolute path): ${unsafe ?? 'NUL in name'}` })
        } else if (entries.has(name)) {
          problems.push({ file: name, message: 'appears twice in the zip' })
        } else if (!name.endsWith('/')) {
          try {
            entries.set(name, await readEntry(zip, entry, keepContent(name)))
          } catch (error) {
            damaged.add(name)
            problems.push({ file: name, message: `cannot be read (truncated or damaged): ${(error as Error).message}` })
          }
        }
        zip.readEntry()
      })()
    })
    zip.readEntry()
  })
  return entries
}

function parseManifest(buffer: Buffer, problems: EvidenceProblem[]): EvidenceManifest | null {
  let value: unknown
  try {
    value = JSON.parse(buffer.toString('utf8'))
  } catch (error) {
    problems.push({ file: MANIFEST_PATH, message: `is not JSON: ${(error as Error).message}` })
    return null
  }
  const m = value as Partial<EvidenceManifest>
  if (m.format !== EVIDENCE_FORMAT || !Array.isArray(m.files)) {
    problems.push({ file: MANIFEST_PATH, message: `is not a ${EVIDENCE_FORMAT} manifest` })
    return null
  }
  for (const [i, f] of m.files.entries()) {
    if (typeof f?.path !== 'string' || typeof f.sha256 !== 'string' || typeof f.bytes !== 'number') {
      problems.push({ file: MANIFEST_PATH, message: `files[${i}]: expected path, bytes and sha256` })
      return null
    }
  }
  return m as EvidenceManifest
}

function checkChain(entries: Map<string, ReadEntry>, problems: EvidenceProblem[]): { events: number; anchor: AuditAnchor | null } {
  const anchorEntry = entries.get(AUDIT_ANCHOR_PATH)
  const eventsEntry = entries.get(AUDIT_EVENTS_PATH)
  if (!anchorEntry?.kept || !eventsEntry?.kept) {
    problems.push({ file: anchorEntry ? AUDIT_EVENTS_PATH : AUDIT_ANCHOR_PATH, message: 'is missing: the audit chain cannot be checked' })
    return { events: 0, anchor: null }
  }
  let anchor: AuditAnchor
  try {
    anchor = JSON.parse(anchorEntry.kept.toString('utf8')) as AuditAnchor
    if (!Number.isInteger(anchor.anchor_seq) || !Number.isInteger(anchor.through_seq) || !/^[0-9a-f]{64}$/.test(anchor.anchor_hash)) throw new Error('expected anchor_seq, anchor_hash, through_seq, head_hash')
  } catch (error) {
    problems.push({ file: AUDIT_ANCHOR_PATH, message: `is not a valid anchor: ${(error as Error).message}` })
    return { events: 0, anchor: null }
  }
  const walker = new AuditChainWalker(anchor.anchor_hash, anchor.anchor_seq)
  const lines = eventsEntry.kept.toString('utf8').split('\n')
  let events = 0
  for (const [i, line] of lines.entries()) {
    if (line === '' && i === lines.length - 1) break
    let event: AuditEvent
    try {
      event = JSON.parse(line) as AuditEvent
    } catch (error) {
      problems.push({ file: AUDIT_EVENTS_PATH, message: `line ${i + 1}: not JSON: ${(error as Error).message}` })
      return { events, anchor }
    }
    events += 1
    if (!walker.push(event)) {
      const b = walker.brokenAt!
      problems.push({ file: AUDIT_EVENTS_PATH, message: `line ${i + 1}: audit chain broken at event ${b.seq}: ${b.reason}` })
      return { events, anchor }
    }
  }
  if (walker.lastSeq !== anchor.through_seq) {
    problems.push({ file: AUDIT_EVENTS_PATH, message: `the chain ends at event ${walker.lastSeq} but the anchor says ${anchor.through_seq}: events ${walker.lastSeq + 1}…${anchor.through_seq} are missing` })
  } else if (walker.lastHash !== anchor.head_hash) {
    problems.push({ file: AUDIT_ANCHOR_PATH, message: `head_hash does not match the last event's hash` })
  }
  return { events, anchor }
}

/**
 * `sightline evidence verify`: checks an evidence zip on its own, without a database — every file against the
 * manifest (changed, missing, extra), entry names (path traversal), the zip's integrity (truncation), the
 * manifest's Ed25519 signature when a public key is given, and the audit chain from its anchor.
 */
export async function verifyEvidenceZip(path: string, options: { publicKey?: KeyObject } = {}): Promise<EvidenceCheck> {
  const problems: EvidenceProblem[] = []
  const result = (extra: Partial<EvidenceCheck>): EvidenceCheck => ({
    ok: problems.length === 0, problems, files: 0, events: 0, signature: options.publicKey ? 'missing' : 'not-checked', scope: null, anchor: null, ...extra,
  })
  const damaged = new Set<string>()
  const entries = await readZip(path, problems, damaged)
  if (!entries) return result({})
  const manifestEntry = entries.get(MANIFEST_PATH)
  if (!manifestEntry?.kept) {
    problems.push({ file: MANIFEST_PATH, message: 'is missing' })
    return result({ files: entries.size })
  }
  const manifest = parseManifest(manifestEntry.kept, problems)
  let signature: EvidenceCheck['signature'] = 'not-checked'
  if (options.publicKey) {
    const sig = entries.get(SIGNATURE_PATH)?.kept
    if (!sig) {
      signature = 'missing'
      problems.push({ file: SIGNATURE_PATH, message: 'is missing: the package is not signed' })
    } else if (manifestSignatureHolds(manifestEntry.kept, sig.toString('utf8'), options.publicKey)) {
      signature = 'valid'
    } else {
      signature = 'invalid'
      const wrongKey = manifest?.signing_key_sha256 && manifest.signing_key_sha256 !== publicKeyFingerprint(options.publicKey)
      problems.push({ file: SIGNATURE_PATH, message: wrongKey ? 'was made with another key than the one given' : 'does not match manifest.json (the manifest was changed after signing)' })
    }
  }
  if (manifest) {
    const listed = new Set<string>()
    for (const file of manifest.files) {
      listed.add(file.path)
      const found = entries.get(file.path)
      if (!found) {
        if (!damaged.has(file.path)) problems.push({ file: file.path, message: 'is listed in the manifest but not in the zip' })
      }
      else if (found.sha256 !== file.sha256 || found.bytes !== file.bytes) problems.push({ file: file.path, message: `was changed: SHA-256 ${found.sha256} (${found.bytes} bytes), manifest says ${file.sha256} (${file.bytes} bytes)` })
    }
    for (const name of entries.keys()) {
      if (!listed.has(name) && name !== MANIFEST_PATH && name !== SIGNATURE_PATH) problems.push({ file: name, message: 'is not listed in the manifest (extra file)' })
    }
  }
  const chain = checkChain(entries, problems)
  return result({ files: entries.size, events: chain.events, signature, scope: manifest?.scope ?? null, anchor: chain.anchor })
}

import { createHash, type KeyObject } from 'node:crypto'
import { createWriteStream, renameSync, rmSync } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { finished } from 'node:stream/promises'
import yazl from 'yazl'
import {
  EVIDENCE_FORMAT, MANIFEST_PATH, SIGNATURE_PATH, manifestBytes, publicKeyFingerprint, signManifest,
  type EvidenceManifest, type ManifestFile,
} from './manifest.js'

export type EntrySource = string | Buffer | Iterable<string | Buffer> | AsyncIterable<string | Buffer>

/**
 * Writes an evidence zip as a stream (yazl): each file is hashed as it passes into the archive, so nothing is
 * held in memory whole, and `finish` adds manifest.json with every file's SHA-256 (and manifest.sig when given
 * a key). The zip is written beside its final path and renamed into place, so a failed export leaves no file.
 */
export class EvidenceZipWriter {
  private readonly zip = new yazl.ZipFile()
  private readonly files: ManifestFile[] = []
  private readonly names = new Set<string>()
  private readonly partial: string
  private readonly done: Promise<void>
  private readonly mtime: Date

  constructor(private readonly path: string, createdAt: string) {
    this.partial = `${path}.partial`
    this.mtime = new Date(createdAt)
    const out = createWriteStream(this.partial)
    this.zip.outputStream.pipe(out)
    this.done = finished(out)
    this.done.catch(() => undefined)
  }

  async add(name: string, source: EntrySource): Promise<ManifestFile> {
    if (this.names.has(name) || name === MANIFEST_PATH || name === SIGNATURE_PATH) throw new Error(`evidence: zip: ${name} added twice or reserved`)
    this.names.add(name)
    const hash = createHash('sha256')
    let bytes = 0
    const input = typeof source === 'string' || Buffer.isBuffer(source) ? Readable.from([source]) : Readable.from(source)
    const counter = new Transform({
      transform(chunk: Buffer | string, _enc, callback) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
        hash.update(buffer)
        bytes += buffer.length
        callback(null, buffer)
      },
    })
    input.on('error', (error) => counter.destroy(error))
    this.zip.addReadStream(input.pipe(counter), name, { mtime: this.mtime })
    // yazl reads entries in order; waiting for this one keeps at most one source open at a time
    await finished(counter)
    const file = { path: name, bytes, sha256: hash.digest('hex') }
    this.files.push(file)
    return file
  }

  /** Adds the manifest (and its signature), closes the zip, and moves it into place. Returns the manifest. */
  async finish(meta: Omit<EvidenceManifest, 'format' | 'files' | 'signing_key_sha256'>, signingKey?: KeyObject): Promise<{ manifest: EvidenceManifest; manifestSha256: string }> {
    const manifest: EvidenceManifest = {
      format: EVIDENCE_FORMAT,
      ...meta,
      files: [...this.files],
      signing_key_sha256: signingKey ? publicKeyFingerprint(signingKey) : null,
    }
    const bytes = manifestBytes(manifest)
    this.zip.addBuffer(bytes, MANIFEST_PATH, { mtime: this.mtime })
    if (signingKey) this.zip.addBuffer(Buffer.from(signManifest(bytes, signingKey)), SIGNATURE_PATH, { mtime: this.mtime })
    this.zip.end()
    await this.done
    renameSync(this.partial, this.path)
    return { manifest, manifestSha256: createHash('sha256').update(bytes).digest('hex') }
  }

  /** Stops writing and removes the partial file (after a failure). */
  async abort(): Promise<void> {
    this.zip.outputStream.unpipe()
    rmSync(this.partial, { force: true })
  }
}

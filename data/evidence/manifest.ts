import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'

export const EVIDENCE_FORMAT = 'sightline-evidence/1'
export const MANIFEST_PATH = 'manifest.json'
export const SIGNATURE_PATH = 'manifest.sig'

export interface ManifestFile {
  path: string
  bytes: number
  sha256: string
}

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT
  created_at: string
  created_by: string
  /** What the package covers: a campaign or a period, with its bounds. */
  scope: Record<string, unknown>
  files: ManifestFile[]
  /** SHA-256 of the signing public key (SPKI DER), so a verifier can tell it was given the wrong key. */
  signing_key_sha256: string | null
}

/** Accepts an Ed25519 key as PEM text (PKCS#8 private / SPKI public) or base64 DER; refuses any other key type. */
export function loadEd25519Key(kind: 'private' | 'public', text: string, from: string): KeyObject {
  let key: KeyObject
  try {
    const trimmed = text.trim()
    const pem = trimmed.startsWith('-----BEGIN')
    if (kind === 'private') key = pem ? createPrivateKey(trimmed) : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' })
    else key = pem ? createPublicKey(trimmed) : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' })
  } catch (cause) {
    throw new Error(`evidence: ${from}: not a readable ${kind} key (expected PEM or base64 DER): ${(cause as Error).message}`, { cause })
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`evidence: ${from}: expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`)
  return key
}

export function publicKeyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return createHash('sha256').update(pub.export({ format: 'der', type: 'spki' })).digest('hex')
}

/** The manifest's exact bytes: what the signature covers and what goes in the zip. */
export function manifestBytes(manifest: EvidenceManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8')
}

export function signManifest(bytes: Buffer, privateKey: KeyObject): string {
  return `${sign(null, bytes, privateKey).toString('base64')}\n`
}

export function manifestSignatureHolds(bytes: Buffer, signatureText: string, publicKey: KeyObject): boolean {
  const signature = Buffer.from(signatureText.trim(), 'base64')
  return signature.length === 64 && verify(null, bytes, publicKey, signature)
}

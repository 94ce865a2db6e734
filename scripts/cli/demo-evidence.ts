import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '../../data/connection.js'
import { parsePeriod, quarterOf } from '../../data/evidence/period.js'
import { verifyEvidenceZip, type EvidenceCheck } from '../../data/evidence/verify.js'
import { exportEvidence } from '../../review-ui/evidence/build.js'
import { DEFAULT_CHROMIUM_PATH } from '../../review-ui/evidence/pdf.js'
import type { Output } from './output.js'

export interface DemoEvidence {
  path: string
  publicKeyPath: string
  pdf: boolean
  check: EvidenceCheck
}

/**
 * The demo's evidence package for the current quarter, signed (with SIGHTLINE_EVIDENCE_SIGNING_KEY, or a key made
 * for this run whose public half is written beside the zip), then verified offline as an auditor would.
 */
export async function writeDemoEvidence(store: Store, outDir: string, out: Output, signingKey: KeyObject | undefined, now = new Date().toISOString()): Promise<DemoEvidence> {
  const period = parsePeriod(quarterOf(now))
  const key = signingKey ?? generateKeyPairSync('ed25519').privateKey
  const publicKeyPath = join(outDir, 'evidence-signing-key.pub.pem')
  writeFileSync(publicKeyPath, createPublicKey(key).export({ format: 'pem', type: 'spki' }))
  const path = join(outDir, `sightline-evidence-${period.label}.zip`)
  let pdf = true
  const base = { scope: { kind: 'period' as const, period }, outPath: path, actor: 'system:demo', signingKey: key }
  try {
    await exportEvidence(store.db, { ...base, pdf: { executablePath: DEFAULT_CHROMIUM_PATH } })
  } catch (error) {
    if (!/cannot start Chromium/.test((error as Error).message)) throw error
    out.info(`demo: ${(error as Error).message}; writing the evidence without report.pdf`)
    pdf = false
    await exportEvidence(store.db, { ...base, pdf: false })
  }
  const check = await verifyEvidenceZip(path, { publicKey: createPublicKey(key) })
  return { path, publicKeyPath, pdf, check }
}

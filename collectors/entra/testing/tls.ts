import { generate } from 'selfsigned'

export interface LocalhostCertificate {
  cert: string
  key: string
}

/** A self-signed certificate for https://localhost, made at test time (never checked in). */
export async function makeLocalhostCertificate(): Promise<LocalhostCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

type DispatcherClass = new (options: { connect: { ca: string[] } }) => unknown

/**
 * An undici dispatcher (for fetch's `dispatcher` option) that trusts `ca` besides the public roots.
 * Node 20 bundles undici without exporting it, so the class comes from the global dispatcher, which
 * exists once fetch has run.
 */
export async function trustingDispatcher(ca: string): Promise<unknown> {
  const key = Symbol.for('undici.globalDispatcher.1')
  if (!(globalThis as Record<symbol, unknown>)[key]) await fetch('data:,')
  const global = (globalThis as Record<symbol, unknown>)[key] as { constructor: DispatcherClass } | undefined
  if (!global) throw new Error('entra testing: find undici Agent: no global dispatcher after fetch')
  const { rootCertificates } = await import('node:tls')
  return new global.constructor({ connect: { ca: [...rootCertificates, ca] } })
}

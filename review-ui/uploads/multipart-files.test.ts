import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { multipartBoundary, receiveMultipart, safeFileName } from './multipart-files.js'

/** The body a browser sends for `form`, re-chunked into pieces of `size` bytes. */
async function bodyOf(form: FormData, size: number): Promise<{ stream: ReadableStream<Uint8Array>; type: string }> {
  const res = new Response(form)
  const bytes = new Uint8Array(await res.arrayBuffer())
  let at = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
  return { stream, type: res.headers.get('content-type')! }
}

describe('receiveMultipart', () => {
  const dirs: string[] = []
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'sl-multipart-'))
    dirs.push(d)
    return d
  }
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('should write each file part to a 0600 file with its hash, whatever the chunking, and keep plain fields', async () => {
    // Content that contains the boundary's prefix and CRLFs, to cross every state at a chunk edge.
    const a = 'Date,Amount\r\n--not-the-boundary\r\n2026-01-01,1.00\r\n'
    const b = 'x'.repeat(5000)
    for (const size of [1, 7, 64, 100_000]) {
      const form = new FormData()
      form.append('profile', 'acme-bank')
      form.append('files', new File([a], 'a.csv'))
      form.append('files', new File([b], '../../etc/b.csv'))
      const { stream, type } = await bodyOf(form, size)
      const d = dir()
      const got = await receiveMultipart(stream, multipartBoundary(type)!, d, { maxBytes: 1 << 20, maxFiles: 5 })
      expect(got.fields).toEqual({ profile: 'acme-bank' })
      expect(got.files.map((f) => [f.name, f.bytes])).toEqual([['a.csv', a.length], ['b.csv', b.length]])
      expect(readFileSync(got.files[0]!.path, 'utf8')).toBe(a)
      expect(readFileSync(got.files[1]!.path, 'utf8')).toBe(b)
      expect(statSync(got.files[0]!.path).mode & 0o777).toBe(0o600)
      expect(got.files[0]!.path.startsWith(d)).toBe(true)
    }
  })

  it('should stop with 413 once the body passes the limit, and 400 for a body cut short', async () => {
    const form = new FormData()
    form.append('files', new File(['y'.repeat(10_000)], 'big.csv'))
    const big = await bodyOf(form, 1000)
    await expect(receiveMultipart(big.stream, multipartBoundary(big.type)!, dir(), { maxBytes: 4096, maxFiles: 5 })).rejects.toMatchObject({ status: 413 })
    const cut = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n\r\nabc'))
        c.close()
      },
    })
    await expect(receiveMultipart(cut, 'XyZ', dir(), { maxBytes: 4096, maxFiles: 5 })).rejects.toMatchObject({ status: 400 })
  })

  it('should read the boundary only from a multipart content type, and keep file names free of directories', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc')).toBe('----abc')
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b')
    expect(multipartBoundary('application/x-www-form-urlencoded')).toBeNull()
    expect(safeFileName('C:\\Users\\dana\\statement.csv')).toBe('statement.csv')
    expect(safeFileName('..')).toBe('upload.csv')
    expect(safeFileName('.hidden\u0000.csv')).toBe('hidden.csv')
  })
})

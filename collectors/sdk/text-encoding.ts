// The one decision every text reader makes: which encoding an export is in, from evidence in its bytes.
import { isAscii, isUtf8 } from 'node:buffer'
import { createReadStream } from 'node:fs'

export type DecidedEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows-1252'

/**
 * What the bytes say: well-formed multi-byte UTF-8 sequences are evidence for UTF-8, bytes that cannot be UTF-8
 * are evidence against. A file of accented names with one stray byte is UTF-8 with one bad line, not
 * Windows-1252 with every name garbled.
 */
export class Utf8Evidence {
  multibyte = 0
  invalid = 0
  private carry: Buffer | undefined

  /** Feeds the next chunk of the file (seams between chunks are handled). */
  add(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    const tail = incompleteTail(buf)
    const body = buf.subarray(0, buf.length - tail)
    this.carry = tail > 0 ? Buffer.from(buf.subarray(buf.length - tail)) : undefined
    if (isAscii(body)) return
    if (isUtf8(body)) {
      // Valid: count its sequences by their lead bytes (0xC2–0xF4).
      for (let i = 0; i < body.length; i++) if (body[i]! >= 0xc2 && body[i]! <= 0xf4) this.multibyte++
      return
    }
    this.countMixed(body)
  }

  /** Call after the last chunk: a sequence cut off by the end of the file is one invalid byte run. */
  finish(): void {
    if (this.carry) this.invalid++
    this.carry = undefined
  }

  /** UTF-8 when nothing contradicts it, or when well-formed sequences outnumber the bytes that are not. */
  decide(): 'utf8' | 'windows-1252' {
    return this.invalid === 0 || this.multibyte >= this.invalid ? 'utf8' : 'windows-1252'
  }

  private countMixed(buf: Buffer): void {
    let i = 0
    const n = buf.length
    while (i < n) {
      const b = buf[i]!
      if (b < 0x80) {
        i++
        continue
      }
      const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
      let ok = need > 0
      for (let k = 1; ok && k <= need; k++) if (i + k >= n || (buf[i + k]! & 0xc0) !== 0x80) ok = false
      if (ok && isUtf8(buf.subarray(i, i + need + 1))) {
        this.multibyte++
        i += need + 1
      } else {
        this.invalid++
        i++
      }
    }
  }
}

/** Bytes at the end of `buf` that may start a UTF-8 sequence completed by the next chunk. */
export function incompleteTail(buf: Uint8Array): number {
  const end = buf.length
  let i = end - 1
  while (i >= 0 && i >= end - 4 && (buf[i]! & 0xc0) === 0x80) i--
  if (i < 0) return 0
  const lead = buf[i]!
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return i + need > end ? end - i : 0
}

/** The encoding a byte-order mark announces, and the mark's length. */
export function encodingFromBom(head: Uint8Array): { encoding: DecidedEncoding; bomBytes: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bomBytes: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomBytes: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bomBytes: 2 }
  return undefined
}

export interface EncodingDecision {
  encoding: DecidedEncoding
  /** Bytes that are not UTF-8 in a file decided as UTF-8: their rows hold U+FFFD and are to be rejected. */
  invalidUtf8Bytes: number
}

/** Decides the encoding of bytes held in memory: BOM, else the UTF-8 evidence. */
export function decideBufferEncoding(buffer: Buffer): EncodingDecision {
  const bom = encodingFromBom(buffer.subarray(0, 4))
  if (bom) return { encoding: bom.encoding, invalidUtf8Bytes: 0 }
  const evidence = new Utf8Evidence()
  evidence.add(buffer)
  evidence.finish()
  const encoding = evidence.decide()
  return { encoding, invalidUtf8Bytes: encoding === 'utf8' ? evidence.invalid : 0 }
}

/** Decides the encoding of a file in one streamed pass: BOM, else the UTF-8 evidence of every byte. */
export async function decideFileEncoding(path: string, chunkBytes = 1024 * 1024): Promise<EncodingDecision> {
  const evidence = new Utf8Evidence()
  let first = true
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    if (first) {
      first = false
      const bom = encodingFromBom((chunk as Buffer).subarray(0, 4))
      if (bom) return { encoding: bom.encoding, invalidUtf8Bytes: 0 }
    }
    evidence.add(chunk as Buffer)
  }
  evidence.finish()
  const encoding = evidence.decide()
  return { encoding, invalidUtf8Bytes: encoding === 'utf8' ? evidence.invalid : 0 }
}

/** The character a UTF-8 decoder puts where bytes were not UTF-8. */
export const REPLACEMENT_CHAR = '\uFFFD'

// Which text encoding a spend file uses, and a streaming decoder for it.
import { isUtf8 } from 'node:buffer'
import { createReadStream } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import iconv from 'iconv-lite'

export type SpendEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows-1252'

const ALIASES: Readonly<Record<string, SpendEncoding>> = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  utf16le: 'utf16le',
  'utf-16le': 'utf16le',
  ucs2: 'utf16le',
  utf16be: 'utf16be',
  'utf-16be': 'utf16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  win1252: 'windows-1252',
  latin1: 'windows-1252',
  'iso-8859-1': 'windows-1252',
}

export function normaliseEncodingName(name: string): SpendEncoding | undefined {
  return ALIASES[name.trim().toLowerCase()]
}

/** The encoding a byte-order mark announces, if the file starts with one. */
export function encodingFromBom(head: Uint8Array): SpendEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be'
  return undefined
}

/** Bytes at the end of `buf` that may start a UTF-8 sequence completed by the next chunk. */
function incompleteTail(buf: Buffer): number {
  const end = buf.length
  let i = end - 1
  while (i >= 0 && i >= end - 4 && (buf[i]! & 0xc0) === 0x80) i--
  if (i < 0) return 0
  const lead = buf[i]!
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return i + need > end ? end - i : 0
}

/** Whether the whole file is valid UTF-8 (read once, natively checked, chunk seams handled). */
export async function isUtf8File(path: string, chunkBytes: number): Promise<boolean> {
  let carry: Buffer | undefined
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer)
    const tail = incompleteTail(buf)
    if (!isUtf8(buf.subarray(0, buf.length - tail))) return false
    carry = tail > 0 ? Buffer.from(buf.subarray(buf.length - tail)) : undefined
  }
  return carry === undefined
}

/** BOM first, then the caller's choice, then UTF-8 if every byte is valid UTF-8, else Windows-1252. */
export async function detectEncoding(
  path: string,
  handle: FileHandle,
  forced: SpendEncoding | undefined,
  chunkBytes: number,
): Promise<SpendEncoding> {
  const head = new Uint8Array(4)
  const { bytesRead } = await handle.read(head, 0, 4, 0)
  const bom = encodingFromBom(head.subarray(0, bytesRead))
  if (bom) return bom
  if (forced) return forced
  return (await isUtf8File(path, chunkBytes)) ? 'utf8' : 'windows-1252'
}

export interface TextDecoderLike {
  write(chunk: Buffer): string
  end(): string
}

/** A streaming decoder that drops a leading byte-order mark. */
export function createDecoder(encoding: SpendEncoding): TextDecoderLike {
  if (encoding === 'utf8') {
    const decoder = new TextDecoder('utf-8')
    return {
      write: (chunk) => decoder.decode(chunk, { stream: true }),
      end: () => decoder.decode(),
    }
  }
  const decoder = iconv.getDecoder(encoding === 'windows-1252' ? 'win1252' : encoding === 'utf16be' ? 'utf-16be' : 'utf-16le')
  return {
    write: (chunk) => decoder.write(chunk),
    end: () => decoder.end() ?? '',
  }
}

// Which text encoding a spend file uses, and a streaming decoder for it.
import type { FileHandle } from 'node:fs/promises'
import iconv from 'iconv-lite'
import { decideFileEncoding, encodingFromBom, type DecidedEncoding, type EncodingDecision } from '../sdk/text-encoding.js'

export type SpendEncoding = DecidedEncoding

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

/**
 * BOM first, then the caller's choice, then the bytes' evidence (collectors/sdk/text-encoding.ts): valid UTF-8
 * with a few bad bytes stays UTF-8, and the rows holding them are rejected rather than the file re-read as cp1252.
 */
export async function detectEncoding(
  path: string,
  handle: FileHandle,
  forced: SpendEncoding | undefined,
  chunkBytes: number,
): Promise<EncodingDecision> {
  const head = new Uint8Array(4)
  const { bytesRead } = await handle.read(head, 0, 4, 0)
  const bom = encodingFromBom(head.subarray(0, bytesRead))
  if (bom) return { encoding: bom.encoding, invalidUtf8Bytes: 0 }
  if (forced) return { encoding: forced, invalidUtf8Bytes: 0 }
  return decideFileEncoding(path, chunkBytes)
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

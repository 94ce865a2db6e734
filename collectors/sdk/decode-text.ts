import iconv from 'iconv-lite'
import { decideBufferEncoding } from './text-encoding.js'

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

/**
 * Decodes an export whose encoding nobody told us: a BOM decides (UTF-8, UTF-16LE/BE as Excel's "Unicode text"
 * writes), else the bytes' evidence (text-encoding.ts): UTF-8, even with a few bad bytes (`invalidUtf8Bytes`,
 * shown as U+FFFD on their lines), unless bytes that are not UTF-8 outnumber those that are (Windows-1252).
 */
export function decodeText(buffer: Buffer): { text: string; encoding: TextEncoding; invalidUtf8Bytes: number } {
  const { encoding, invalidUtf8Bytes } = decideBufferEncoding(buffer)
  switch (encoding) {
    case 'utf16le':
      return { text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'utf-16le', invalidUtf8Bytes }
    case 'utf16be':
      return { text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'utf-16be', invalidUtf8Bytes }
    case 'windows-1252':
      return { text: iconv.decode(buffer, 'windows-1252'), encoding: 'windows-1252', invalidUtf8Bytes }
    case 'utf8': {
      const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0
      return { text: buffer.subarray(bom).toString('utf8'), encoding: 'utf-8', invalidUtf8Bytes }
    }
  }
}

/** 1-based line number of a character offset, from a sorted list of newline offsets. */
export function lineIndex(text: string): (offset: number) => number {
  const newlines: number[] = []
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines.push(i)
  return (offset: number) => {
    let lo = 0
    let hi = newlines.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((newlines[mid] as number) < offset) lo = mid + 1
      else hi = mid
    }
    return lo + 1
  }
}

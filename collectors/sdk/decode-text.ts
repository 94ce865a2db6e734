import iconv from 'iconv-lite'

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

/**
 * Decodes an export whose encoding nobody told us: a BOM decides (UTF-8, UTF-16LE/BE as Excel's
 * "Unicode text" writes), else UTF-8 if it is valid, else Windows-1252 (what Excel on Windows saves as "CSV").
 */
export function decodeText(buffer: Buffer): { text: string; encoding: TextEncoding } {
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return { text: buffer.subarray(3).toString('utf8'), encoding: 'utf-8' }
  }
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return { text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'utf-16le' }
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return { text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'utf-16be' }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(buffer, 'windows-1252'), encoding: 'windows-1252' }
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

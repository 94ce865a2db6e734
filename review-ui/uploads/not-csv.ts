// Tells a statement (delimited text) from the files people pick by mistake: PDFs, spreadsheets, images, archives.

const MAGIC: readonly { bytes: number[]; kind: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF' }, // %PDF
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'a ZIP archive or an Excel workbook (.xlsx)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], kind: 'an old Excel workbook (.xls)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
  { bytes: [0x1f, 0x8b], kind: 'a gzip archive' },
]

/**
 * Why the first bytes of a file cannot be a CSV statement, or null when they can. UTF-16 text (with its byte
 * order mark) is text; other NUL bytes mean a binary file.
 */
export function whyNotCsv(head: Buffer, bytes: number): string | null {
  if (bytes === 0) return 'is empty'
  for (const m of MAGIC) if (m.bytes.every((b, i) => head[i] === b)) return `is ${m.kind}, not a CSV file`
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)
  if (!utf16 && head.includes(0)) return 'is a binary file, not a CSV file'
  return null
}

// File-level failures: the whole file is refused, nothing from it should be stored.

export interface SpendFileErrorDetail {
  file: string
  line?: number
  field?: string
}

/** Thrown for an unreadable file, an unknown layout or ambiguous dates; the message names file, line and field. */
export class SpendFileError extends Error {
  readonly file: string
  readonly line: number | undefined
  readonly field: string | undefined

  constructor(action: string, detail: string, where: SpendFileErrorDetail, options?: { cause?: unknown }) {
    const place = [where.file, where.line !== undefined ? `line ${where.line}` : '', where.field ? `field ${where.field}` : '']
      .filter(Boolean)
      .join(', ')
    super(`spend-csv: ${action}: ${place}: ${detail}`, options)
    this.name = 'SpendFileError'
    this.file = where.file
    this.line = where.line
    this.field = where.field
  }
}

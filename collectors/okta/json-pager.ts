import { readJsonRecords, type JsonRecord } from './read-json-records.js'

/** A run of files read as one sequence of records; `tag` travels with each record (e.g. the app id of an app-users file). */
export interface PagedFile {
  path: string
  tag?: string
}

export interface PagedRecord {
  file: PagedFile
  record: JsonRecord
}

/**
 * Pages through JSON records of one or more files. The cursor is the number of records consumed; the open
 * stream is kept between calls and reopened (skipping what was read) only when a cursor does not match.
 */
export class JsonPager {
  private iterator: AsyncGenerator<PagedRecord> | null = null
  private position = 0

  constructor(private readonly files: readonly PagedFile[]) {}

  private async *all(): AsyncGenerator<PagedRecord> {
    for (const file of this.files) {
      for await (const record of readJsonRecords(file.path)) yield { file, record }
    }
  }

  async page(cursor: string | null, size: number): Promise<{ records: PagedRecord[]; next: string | null; position: number }> {
    const start = cursor === null ? 0 : Number(cursor)
    if (!this.iterator || start !== this.position) {
      await this.iterator?.return(undefined)
      this.iterator = this.all()
      this.position = 0
      while (this.position < start) {
        const r = await this.iterator.next()
        if (r.done) break
        this.position++
      }
    }
    const records: PagedRecord[] = []
    let done = false
    while (records.length < size) {
      const r = await this.iterator.next()
      if (r.done) {
        done = true
        break
      }
      records.push(r.value)
      this.position++
    }
    return { records, next: done ? null : String(this.position), position: this.position }
  }
}

// Buffered, backpressure-aware file writers: the big logs are streamed line by line, never held in memory.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'

const CHUNK_BYTES = 1 << 20

export class LineWriter {
  private readonly stream: WriteStream
  // Lines are encoded straight into a byte chunk: joining millions of concatenated strings costs far more.
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  private used = 0
  private readonly spare: Buffer[] = []
  private failure: Error | null = null
  records = 0

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true })
    this.stream = createWriteStream(path, { highWaterMark: CHUNK_BYTES })
    this.stream.on('error', (err) => {
      this.failure = err
    })
  }

  /** Queue text; the caller must `await` when this returns a promise (the stream is full). */
  write(text: string): Promise<void> | undefined {
    const worst = text.length * 3
    if (this.used + worst <= this.chunk.length) {
      this.used += this.chunk.write(text, this.used, 'utf8')
      return undefined
    }
    const pending = this.flush()
    if (worst > this.chunk.length) {
      const direct = this.send(Buffer.from(text, 'utf8'))
      return pending && direct ? pending.then(() => direct) : (pending ?? direct)
    }
    this.used += this.chunk.write(text, this.used, 'utf8')
    return pending
  }

  /** One JSON document per line (JSON Lines). */
  line(value: unknown): Promise<void> | undefined {
    this.records++
    return this.write(JSON.stringify(value) + '\n')
  }

  /** One line already serialized as JSON by the caller (hot paths build lines from cached fragments). */
  rawLine(json: string): Promise<void> | undefined {
    this.records++
    return this.write(json + '\n')
  }

  flush(): Promise<void> | undefined {
    if (this.used === 0) return undefined
    const full = this.chunk
    const bytes = full.subarray(0, this.used)
    // The stream owns the chunk until it is written; then it goes back to the pool (no garbage, flat memory).
    this.chunk = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)
    this.used = 0
    return this.send(bytes, () => this.spare.push(full))
  }

  private send(bytes: Buffer, written?: () => void): Promise<void> | undefined {
    if (this.failure) throw new Error(`demo: write ${this.path}: stream failed`, { cause: this.failure })
    const ok = this.stream.write(bytes, (err) => {
      if (!err && written) written()
    })
    if (ok) return undefined
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.stream.off('error', onError)
        resolve()
      }
      const onError = (err: Error): void => {
        this.stream.off('drain', onDrain)
        reject(new Error(`demo: write ${this.path}: stream failed`, { cause: err }))
      }
      this.stream.once('drain', onDrain)
      this.stream.once('error', onError)
    })
  }

  async close(): Promise<void> {
    await this.flush()
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => {
        if (err) reject(new Error(`demo: close ${this.path}: failed`, { cause: err }))
        else resolve()
      })
    })
    if (this.failure) throw new Error(`demo: write ${this.path}: stream failed`, { cause: this.failure })
  }
}

/** Writes a JSON array one element at a time, pretty enough to diff and valid JSON at the end. */
export class JsonArrayWriter {
  private readonly out: LineWriter
  private first = true

  constructor(path: string) {
    this.out = new LineWriter(path)
    void this.out.write('[')
  }

  get records(): number {
    return this.out.records
  }

  push(value: unknown): Promise<void> | undefined {
    this.out.records++
    const text = (this.first ? '\n' : ',\n') + JSON.stringify(value)
    this.first = false
    return this.out.write(text)
  }

  async close(): Promise<void> {
    await this.out.write(this.first ? ']\n' : '\n]\n')
    await this.out.close()
  }
}

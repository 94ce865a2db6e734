// Streams a multipart/form-data body to private temporary files, part by part, never holding a file in memory.
import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { HTTPException } from 'hono/http-exception'

export interface ReceivedFile {
  /** The form field it came in. */
  field: string
  /** The name the browser gave (sanitised for display and for the temporary file's name). */
  name: string
  /** Where its bytes are: a 0600 file in the caller's private directory. */
  path: string
  bytes: number
  sha256: string
  /** The first bytes, for telling a CSV from a PDF or a spreadsheet. */
  head: Buffer
}

export interface ReceivedForm {
  files: ReceivedFile[]
  fields: Record<string, string>
}

export interface MultipartLimits {
  /** Largest body accepted, all parts together. */
  maxBytes: number
  maxFiles: number
  /** Largest plain (non-file) field. */
  maxFieldBytes?: number
}

const HEADER_LIMIT = 16 * 1024
const HEAD_BYTES = 8 * 1024

/** The boundary of a `multipart/form-data` content type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType)
  return match ? (match[1] ?? match[2] ?? null) : null
}

/** A file name safe to show and to use as the last part of a path: no directories, controls or leading dots. */
export function safeFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '').trim().slice(0, 120)
  return cleaned === '' ? 'upload.csv' : cleaned
}

function dispositionParam(disposition: string, name: string): string | null {
  // filename*= (RFC 5987) first, then the quoted or bare form browsers send.
  const extended = new RegExp(`;\\s*${name}\\*=(?:UTF-8|utf-8)''([^;]*)`).exec(disposition)
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!)
    } catch {
      return extended[1]!
    }
  }
  const quoted = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(disposition)
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1')
  const bare = new RegExp(`;\\s*${name}=([^;\\s]*)`).exec(disposition)
  return bare ? bare[1]! : null
}

const tooLarge = (maxBytes: number): HTTPException =>
  new HTTPException(413, { message: `The upload is larger than the ${formatMegabytes(maxBytes)} limit. Nothing was imported; split the statement or upload fewer files at once.` })

export function formatMegabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  const mb = bytes / (1024 * 1024)
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`
}

interface FileSink {
  kind: 'file'
  file: ReceivedFile
  handle: FileHandle
  hash: ReturnType<typeof createHash>
}
interface FieldSink {
  kind: 'field'
  name: string
  chunks: Buffer[]
  bytes: number
}

/**
 * Reads `body` (a multipart/form-data stream) into `dir`: each file part becomes `<dir>/<n>-<name>` (created
 * exclusively, mode 0600), hashed as it is written; other parts become fields. Throws HTTPException 413 as soon
 * as the body passes `maxBytes`, 400 for a body that is not well-formed multipart. On any failure the files
 * written so far are closed; the caller owns `dir` and removes it.
 */
export async function receiveMultipart(body: ReadableStream<Uint8Array> | null, boundary: string, dir: string, limits: MultipartLimits): Promise<ReceivedForm> {
  if (!body) throw new HTTPException(400, { message: 'The upload had no body. Choose a file and try again.' })
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  const form: ReceivedForm = { files: [], fields: {} }
  const maxField = limits.maxFieldBytes ?? 64 * 1024
  // The body starts with "--boundary"; a CRLF in front lets one delimiter pattern find every boundary.
  let buffer = Buffer.from('\r\n')
  let total = 0
  let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble'
  let sink: FileSink | FieldSink | null = null

  const write = async (data: Buffer): Promise<void> => {
    if (data.length === 0 || !sink) return
    if (sink.kind === 'file') {
      const f = sink.file
      if (f.head.length < HEAD_BYTES) f.head = Buffer.concat([f.head, data.subarray(0, HEAD_BYTES - f.head.length)])
      sink.hash.update(data)
      f.bytes += data.length
      await sink.handle.write(data)
    } else {
      sink.bytes += data.length
      if (sink.bytes > maxField) throw new HTTPException(400, { message: `The form field "${sink.name}" is too long.` })
      sink.chunks.push(data)
    }
  }
  const closeSink = async (): Promise<void> => {
    if (!sink) return
    const done = sink
    sink = null
    if (done.kind === 'file') {
      done.file.sha256 = done.hash.digest('hex')
      await done.handle.close()
    } else form.fields[done.name] = Buffer.concat(done.chunks).toString('utf8')
  }
  const openPart = async (headerText: string): Promise<void> => {
    const disposition = /^content-disposition:\s*(.*)$/im.exec(headerText)?.[1] ?? ''
    if (!/^form-data\b/i.test(disposition)) throw new HTTPException(400, { message: 'The upload was not sent as a form.' })
    const field = dispositionParam(disposition, 'name') ?? ''
    const filename = dispositionParam(disposition, 'filename')
    if (filename === null) {
      sink = { kind: 'field', name: field, chunks: [], bytes: 0 }
      return
    }
    // A file input left empty still sends a part, with an empty file name and no bytes.
    if (filename === '') {
      sink = { kind: 'field', name: `${field}:empty`, chunks: [], bytes: 0 }
      return
    }
    if (form.files.length >= limits.maxFiles) throw new HTTPException(400, { message: `Upload at most ${limits.maxFiles} files at once.` })
    const name = safeFileName(filename)
    const path = join(dir, `${form.files.length + 1}-${name}`)
    const handle = await open(path, 'wx', 0o600)
    const file: ReceivedFile = { field, name, path, bytes: 0, sha256: '', head: Buffer.alloc(0) }
    form.files.push(file)
    sink = { kind: 'file', file, handle, hash: createHash('sha256') }
  }

  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
      if (total > limits.maxBytes) throw tooLarge(limits.maxBytes)
      buffer = buffer.length === 0 ? Buffer.from(value) : Buffer.concat([buffer, value])
      // Consume as much of the buffer as the state machine can.
      for (;;) {
        if (state === 'done') {
          buffer = Buffer.alloc(0) // the epilogue is ignored
          break
        }
        if (state === 'preamble' || state === 'body') {
          const at = buffer.indexOf(delimiter)
          if (at === -1) {
            // Keep a tail that could be the start of a delimiter; the rest is part data.
            const keep = Math.min(buffer.length, delimiter.length - 1)
            if (state === 'body') await write(buffer.subarray(0, buffer.length - keep))
            buffer = buffer.subarray(buffer.length - keep)
            break
          }
          if (buffer.length < at + delimiter.length + 2) break // need the two bytes after the boundary
          if (state === 'body') {
            await write(buffer.subarray(0, at))
            await closeSink()
          }
          const after = buffer.subarray(at + delimiter.length, at + delimiter.length + 2).toString('latin1')
          buffer = buffer.subarray(at + delimiter.length + 2)
          if (after === '--') state = 'done'
          else if (after === '\r\n') state = 'headers'
          else throw new HTTPException(400, { message: 'The upload was cut off or malformed. Try again.' })
          continue
        }
        // headers
        const end = buffer.indexOf('\r\n\r\n')
        if (end === -1) {
          if (buffer.length > HEADER_LIMIT) throw new HTTPException(400, { message: 'The upload was malformed (a part header is too long).' })
          break
        }
        await openPart(buffer.subarray(0, end).toString('utf8'))
        buffer = buffer.subarray(end + 4)
        state = 'body'
      }
    }
    if (state !== 'done') throw new HTTPException(400, { message: 'The upload was cut off before its end. Try again.' })
    return form
  } catch (error) {
    await reader.cancel().catch(() => {})
    throw error
  } finally {
    const open = sink as FileSink | FieldSink | null
    if (open?.kind === 'file') await open.handle.close().catch(() => {})
  }
}

import cliProgress from 'cli-progress'
import type { ProgressEvent } from '../../collectors/sdk/runner.js'
import { printable } from './format.js'

export interface Output {
  json: boolean
  /** Progress of long work: a bar on a TTY, plain lines otherwise (and nothing in --json mode but stderr lines). */
  progress(label: string): ProgressReporter
  info(line: string): void
  result(value: unknown): void
}

export interface ProgressReporter {
  update(done: number, total: number, unit?: string): void
  onEvent(event: ProgressEvent): void
  stop(): void
}

export function createOutput(options: { json: boolean; quiet?: boolean }): Output {
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI
  return {
    json: options.json,
    info(line) {
      if (!options.quiet) process.stderr.write(`${printable(line)}\n`)
    },
    result(value) {
      process.stdout.write(typeof value === 'string' ? `${printable(value)}\n` : `${JSON.stringify(value)}\n`)
    },
    progress(label) {
      if (options.quiet) return { update() {}, onEvent() {}, stop() {} }
      let bar: cliProgress.SingleBar | null = null
      let lastLine = 0
      const update = (done: number, total: number, unit = 'items') => {
        if (tty) {
          if (!bar) {
            bar = new cliProgress.SingleBar(
              { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
              cliProgress.Presets.shades_classic,
            )
            bar.start(total, done)
          }
          bar.setTotal(total)
          bar.update(done)
        } else if (Date.now() - lastLine > 2000 || done === total) {
          lastLine = Date.now()
          process.stderr.write(`${label}: ${done}/${total} ${unit}\n`)
        }
      }
      return {
        update,
        onEvent(event) {
          if (event.type === 'page' && event.progress) update(event.progress.done, event.progress.total, event.progress.unit)
          else if (event.type === 'retry') process.stderr.write(`${label}: ${event.kind}: retry ${event.attempt} in ${event.delayMs} ms (${event.message})\n`)
        },
        stop() {
          ;(bar as cliProgress.SingleBar | null)?.stop()
          bar = null
        },
      }
    },
  }
}

import { createInterface } from 'node:readline'
import { UsageError } from './errors.js'

async function firstLineOfStdin(): Promise<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of rl) {
    rl.close()
    return line
  }
  return ''
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stderr.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    stdin.setEncoding('utf8')
    let value = ''
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          cleanup()
          process.stderr.write('\n')
          return resolve(value)
        }
        if (ch === '\u0003') {
          cleanup()
          process.stderr.write('\n')
          return reject(new UsageError('cancelled'))
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else value += ch
      }
    }
    const cleanup = (): void => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
    }
    stdin.on('data', onData)
  })
}

/** A password from `--password-stdin` (first line) or a hidden prompt; never from a flag's value or a default. */
export async function readPassword(options: { fromStdin: boolean; confirm: boolean }): Promise<string> {
  if (options.fromStdin) {
    const line = await firstLineOfStdin()
    if (line === '') throw new UsageError('--password-stdin: standard input held no password')
    return line
  }
  if (!process.stdin.isTTY) throw new UsageError('no terminal to ask for the password: pass --password-stdin and pipe it in, or --no-password for single sign-on only')
  const first = await promptHidden('Password (at least 12 characters): ')
  if (options.confirm) {
    const second = await promptHidden('Same password again: ')
    if (first !== second) throw new UsageError('the two passwords differ')
  }
  return first
}

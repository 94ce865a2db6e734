import { Command } from 'commander'

/**
 * Runs one CLI command in-process against a test database, the way `sightline` would (`--db URL …`),
 * and captures what it printed and the exit code it set.
 */
export async function runCli(url: string, args: string[], register: (program: Command) => void): Promise<{ stdout: string; exitCode: number | undefined }> {
  const program = new Command().option('--db <url>').exitOverride()
  register(program)
  const chunks: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  const previousExit = process.exitCode
  process.exitCode = undefined
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    await program.parseAsync(['--db', url, ...args], { from: 'user' })
  } finally {
    process.stdout.write = write
  }
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined
  process.exitCode = previousExit
  return { stdout: chunks.join(''), exitCode }
}

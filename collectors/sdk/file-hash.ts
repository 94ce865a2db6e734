import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** SHA-256 of a file, or of a folder: the relative path and SHA-256 of every file in it, in sorted order. */
export async function sha256Path(path: string): Promise<string> {
  if (!(await stat(path)).isDirectory()) return sha256File(path)
  const hash = createHash('sha256')
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const child = join(dir, name)
      if ((await stat(child)).isDirectory()) await walk(child)
      else hash.update(`${relative(path, child)}\u0000${await sha256File(child)}\n`)
    }
  }
  await walk(path)
  return hash.digest('hex')
}

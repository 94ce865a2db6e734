import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderEnvExample } from './env-example.js'

describe('.env.example', () => {
  it('should match what the declared configuration fields render (run scripts/docs/env-example.ts after changing one)', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../.env.example', import.meta.url)), 'utf8')
    expect(committed).toBe(renderEnvExample())
  })

  it('should list every secret without a value', () => {
    const secrets = renderEnvExample().split('\n').filter((l) => /SECRET|TOKEN|KEY_FILE|PRIVATE_KEY|CERTIFICATE/.test(l) && l.startsWith('# SIGHTLINE_'))
    expect(secrets.length).toBeGreaterThan(0)
    for (const line of secrets) expect(line).toMatch(/=$/)
  })
})

import { describe, expect, it } from 'vitest'
import { buildProgram, COMMAND_GROUPS, commandNamed } from './main.js'

describe('commandNamed', () => {
  it('should find the command after global options, skipping the value of --db', () => {
    expect(commandNamed(['--db', 'resolve.db', 'resolve', 'ZOOM'])).toBe('resolve')
    expect(commandNamed(['--db=x.db', '--verbose', 'stats'])).toBe('stats')
    expect(commandNamed(['import', 'spend', 'a.csv'])).toBe('import')
  })

  it('should name the command `help` asks about, and none for bare help', () => {
    expect(commandNamed(['help', 'apps'])).toBe('apps')
    expect(commandNamed(['--help'])).toBeUndefined()
    expect(commandNamed([])).toBeUndefined()
    expect(commandNamed(['--', 'stats'])).toBeUndefined()
  })
})

describe('buildProgram', () => {
  it('should list each command with the description its module registers', async () => {
    const registered = Object.fromEntries((await buildProgram('all')).commands.map((c) => [c.name(), c.description()]))
    const listed = Object.assign({}, ...COMMAND_GROUPS.map((g) => g.commands)) as Record<string, string>
    expect(listed).toEqual(registered)
  })

  it('should register only the named command in full and list the others by name', async () => {
    const program = await buildProgram({ argv: ['--db', 'x.db', 'catalog', 'list'] })
    const byName = new Map(program.commands.map((c) => [c.name(), c]))
    expect(byName.get('catalog')!.commands.map((c) => c.name())).toEqual(['list', 'show', 'check'])
    expect(byName.get('apps')!.commands).toEqual([])
    expect([...byName.keys()].sort()).toEqual(Object.keys(Object.assign({}, ...COMMAND_GROUPS.map((g) => g.commands))).sort())
  })

  it('should register `import` and `spend` together, since one module holds both', async () => {
    const program = await buildProgram({ argv: ['spend', 'summary'] })
    const importCmd = program.commands.find((c) => c.name() === 'import')!
    expect(importCmd.commands.map((c) => c.name())).toContain('spend')
    expect(importCmd.commands.map((c) => c.name())).toContain('people')
  })
})

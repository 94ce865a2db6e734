import type { Command } from 'commander'
import { addUser, listUsers, parseRole, setUserDisabled, setUserPassword, setUserRole } from '../../../data/ui-users.js'
import { withStore, type GlobalFlags } from '../context.js'
import { parseFormat, renderRows } from '../format.js'
import { readPassword } from '../password-input.js'

const cliActor = (): string => `cli:${process.env.USER ?? 'unknown'}`
const nowIso = (): string => new Date().toISOString()

interface PasswordFlags {
  passwordStdin?: boolean
  password?: boolean
}

/** `sightline users add|list|disable|enable|set-role|set-password`: who may sign in to the web app. */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('people who sign in to the web app (sightline serve) and their roles')
  const globals = (): GlobalFlags => program.opts<GlobalFlags>()

  users
    .command('add')
    .argument('<email>', 'their email address (also their sign-in name)')
    .requiredOption('--role <role>', 'admin | it | finance | reviewer | auditor')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input (first line) instead of prompting')
    .option('--no-password', 'no password: the user signs in only with single sign-on')
    .description('add a user; asks for their password (there is never a default password)')
    .action(async (email: string, flags: PasswordFlags & { role: string; name?: string }) => {
      const role = parseRole(flags.role)
      const password = flags.password === false ? null : await readPassword({ fromStdin: Boolean(flags.passwordStdin), confirm: true })
      const user = await withStore(globals(), (store) =>
        addUser(store.db, { email, role, name: flags.name ?? null, password, actor: cliActor(), at: nowIso() }),
      )
      process.stdout.write(`added ${user.email} (${user.role}${user.hasPassword ? '' : ', single sign-on only'})\n`)
    })

  users
    .command('list')
    .option('--format <format>', 'table | csv | json', 'table')
    .description('list users, their roles and last sign-in')
    .action(async (flags: { format: string }) => {
      const format = parseFormat(flags.format)
      const rows = await withStore(globals(), (store) => listUsers(store.db))
      process.stdout.write(
        renderRows(
          rows.map((u) => ({ email: u.email, name: u.name ?? '', role: u.role, disabled: u.disabled ? 'yes' : 'no', password: u.hasPassword ? 'yes' : 'no', sso: u.singleSignOn ? 'yes' : 'no', last_login: u.lastLoginAt ?? '' })),
          ['email', 'name', 'role', 'disabled', 'password', 'sso', 'last_login'],
          format,
        ) + '\n',
      )
    })

  for (const [name, disabled] of [['disable', true], ['enable', false]] as const) {
    users
      .command(name)
      .argument('<email>')
      .description(disabled ? 'stop a user signing in (ends their sessions)' : 'let a disabled user sign in again')
      .action(async (email: string) => {
        const user = await withStore(globals(), (store) => setUserDisabled(store.db, { email, disabled, actor: cliActor(), at: nowIso() }))
        process.stdout.write(`${user.email}: ${user.disabled ? 'disabled' : 'enabled'}\n`)
      })
  }

  users
    .command('set-role')
    .argument('<email>')
    .requiredOption('--role <role>', 'admin | it | finance | reviewer | auditor')
    .description("change a user's role (ends their sessions)")
    .action(async (email: string, flags: { role: string }) => {
      const role = parseRole(flags.role)
      const user = await withStore(globals(), (store) => setUserRole(store.db, { email, role, actor: cliActor(), at: nowIso() }))
      process.stdout.write(`${user.email}: ${user.role}\n`)
    })

  users
    .command('set-password')
    .argument('<email>')
    .option('--password-stdin', 'read the password from standard input (first line) instead of prompting')
    .description("set a user's password (ends their sessions)")
    .action(async (email: string, flags: PasswordFlags) => {
      const password = await readPassword({ fromStdin: Boolean(flags.passwordStdin), confirm: true })
      await withStore(globals(), (store) => setUserPassword(store.db, { email, password, actor: cliActor(), at: nowIso() }))
      process.stdout.write(`${email.trim().toLowerCase()}: password set\n`)
    })
}

import { userInfo } from 'node:os'
import type { Command } from 'commander'
import { createDeviceToken, listApiTokens, revokeApiToken } from '../../../data/api-tokens.js'
import { withStore, type GlobalFlags } from '../context.js'
import { UsageError } from '../errors.js'
import { createOutput } from '../output.js'

function cliActor(): string {
  try {
    return `cli:${userInfo().username}`
  } catch {
    return 'cli:unknown'
  }
}

export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('device tokens for the browser extension (stored only as SHA-256 hashes)')
  tokens
    .command('create')
    .description('create a device token and print it once (put it in the extension policy as enrolmentToken)')
    .requiredOption('--device <name>', 'the device or deployment the token is for (e.g. laptop-ada, or an OU name)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { device: string; json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        let created
        try {
          created = await createDeviceToken(store.db, { name: opts.device, actor: cliActor() })
        } catch (error) {
          throw new UsageError((error as Error).message)
        }
        if (out.json) out.result({ ...created.info, token: created.token })
        else {
          out.result(created.token)
          out.info(`token ${created.info.id} for device ${created.info.name}: shown once, store it in the extension policy now`)
        }
      })
    })
  tokens
    .command('list')
    .description('list tokens (never their values): id, device, created, last used, revoked')
    .option('--json', 'print one JSON object per token')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        const rows = await listApiTokens(store.db)
        if (out.json) {
          for (const r of rows) out.result(r)
          return
        }
        if (rows.length === 0) out.result('(no tokens)')
        for (const r of rows) {
          out.result(`${String(r.id).padStart(4)}  ${r.kind.padEnd(6)}  ${r.name.padEnd(24)}  created ${r.createdAt}  last used ${r.lastUsedAt ?? 'never'}${r.revokedAt ? `  REVOKED ${r.revokedAt}` : ''}`)
        }
      })
    })
  tokens
    .command('revoke')
    .description('revoke a token by id, or the active token of a device by name; it is refused from then on')
    .argument('<id-or-device>')
    .option('--json', 'print the result as JSON')
    .action(async (idOrName: string, opts: { json?: boolean }, cmd: Command) => {
      const out = createOutput({ json: Boolean(opts.json) })
      await withStore(cmd.optsWithGlobals<GlobalFlags>(), async (store) => {
        let info
        try {
          info = await revokeApiToken(store.db, { idOrName, actor: cliActor() })
        } catch (error) {
          throw new UsageError((error as Error).message)
        }
        out.result(out.json ? info : `revoked token ${info.id} (${info.name}) at ${info.revokedAt}`)
      })
    })
}

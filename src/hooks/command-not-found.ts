// `lode runz`, `lode runs lss`: say which command was meant, in lode's own error format, exit 2.
import type {Hook} from '@oclif/core'
import {UserError} from '../lib/errors.ts'
import {formatError} from '../lib/base-command.ts'
import {errorJson, jsonEnvelopeText} from '../lib/command-output.ts'
import {closest} from '../lib/util/words.ts'

const hook: Hook<'command_not_found'> = async function ({id, argv, config}) {
  const typed = id.replaceAll(':', ' ')
  const commands = config.commandIDs.map((c) => c.replaceAll(':', ' '))
  const best = closest(typed, commands)
  const hint = best ? `Did you mean: lode ${best}? ` : ''
  const error = new UserError(`Unknown command "lode ${typed}".`, `${hint}See: lode --help`)
  // under --json the envelope, as every command's errors: a script reads stdout as JSON whatever went wrong
  if ((argv ?? []).includes('--json')) process.stdout.write(jsonEnvelopeText({ok: false, error: errorJson(error)}))
  else process.stderr.write(formatError(error))
  process.exitCode = 2
}

export default hook

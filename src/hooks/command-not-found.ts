// `lode runz`, `lode runs lss`: say which command was meant, in lode's own error format, exit 2.
import type {Hook} from '@oclif/core'
import {UserError} from '../lib/errors.ts'
import {formatError} from '../lib/base-command.ts'
import {closest} from '../lib/util/words.ts'

const hook: Hook<'command_not_found'> = async function ({id, config}) {
  const typed = id.replaceAll(':', ' ')
  const commands = config.commandIDs.map((c) => c.replaceAll(':', ' '))
  const best = closest(typed, commands)
  const hint = best ? `Did you mean: lode ${best}? ` : ''
  process.stderr.write(formatError(new UserError(`Unknown command "lode ${typed}".`, `${hint}See: lode --help`)))
  process.exitCode = 2
}

export default hook

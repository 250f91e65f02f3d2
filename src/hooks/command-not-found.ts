// `lode runz`, `lode runs lss`: say which command was meant, in lode's own error format, exit 2.
import type {Hook} from '@oclif/core'
import {UserError} from '../lib/errors.ts'
import {formatError} from '../lib/base-command.ts'

/** Edit distance between two words (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

const hook: Hook<'command_not_found'> = async function ({id, config}) {
  const typed = id.replaceAll(':', ' ')
  const commands = config.commandIDs.map((c) => c.replaceAll(':', ' '))
  const ranked = commands.map((c) => ({c, d: distance(typed, c)})).sort((x, y) => x.d - y.d)
  const best = ranked[0]
  const hint = best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? `Did you mean: lode ${best.c}? ` : ''
  process.stderr.write(formatError(new UserError(`Unknown command "lode ${typed}".`, `${hint}See: lode --help`)))
  process.exitCode = 2
}

export default hook

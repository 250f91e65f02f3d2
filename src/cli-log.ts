// Entry of dist/log.cjs (scripts/build-cli.mjs), which bin/run.js loads for `lode log ...`: a shell handler runs
// `lode log artifact|result` once per value, and with plain arguments it needs ~100 kB of lode, not the whole command
// (~900 kB, ~7 ms more of a ~45 ms call). Any other form is the whole command's (src/cli.ts, oclif).
import {exitOnUnhandledSignals} from './lib/executor/interrupt.ts'
import {leanFlags} from './lib/lean-argv.ts'
import {leanLog, leanLogArgs} from './lib/lean-commands.ts'

/** false, having done nothing: not `lode log artifact|result` with plain arguments (bin/run.js then runs cli.ts). */
export async function runLean(argv: string[]): Promise<boolean> {
  const sub = argv[1]
  // oclif reads LODE_CONTENT_TYPE=json as --json: left to it, as on the other lean paths
  if (process.env.LODE_CONTENT_TYPE || argv[0] !== 'log' || (sub !== 'artifact' && sub !== 'result')) return false
  const args = leanLogArgs(sub, argv.slice(2), leanFlags(`log:${sub}`))
  if (!args) return false
  exitOnUnhandledSignals()
  await leanLog(args)
  return true
}

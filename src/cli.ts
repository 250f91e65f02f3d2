// The whole `lode` command (dist/cli.cjs), through oclif. bin/run.js answers `--version` itself, and runs the commands
// a script runs most, with plain arguments, from smaller files without oclif: `log artifact|result` (cli-log.ts);
// `run`, `runs ls` and `artifacts ls|get` (cli-lean.ts).
import {exitOnUnhandledSignals} from './lib/executor/interrupt.ts'

/**
 * Wait until stdout has taken what was written. oclif's flush waits for a 'drain' that a pipe whose reader has gone
 * (`lode runs get X | head -c 10`) never sends, and lode would end with Node's "unsettled top-level await" (exit 13).
 */
function flushStdout(): Promise<void> {
  const out = process.stdout
  if (out.destroyed || out.errored || !out.writableNeedDrain) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'error', 'close']) out.off(event, done)
      resolve()
    }
    for (const event of ['drain', 'error', 'close']) out.once(event, done)
  })
}

export async function run(argv: string[], binUrl: string): Promise<void> {
  exitOnUnhandledSignals()
  if (argv[0] === 'run' && argv.some((a) => a.startsWith('hub://')) && argv.some((a) => a === '--help' || a === '-h')) {
    const [{hubRunHelp}, {fromAnyError, formatError}] = await Promise.all([import('./lib/hub/run-help.ts'), import('./lib/command-output.ts')])
    try {
      process.stdout.write((await hubRunHelp(argv.slice(1))) ?? '')
    } catch (error) {
      const e = fromAnyError(error)
      process.stderr.write(formatError(e))
      process.exitCode = e.exitCode
    }
    return
  }
  const oclif = await import('#oclif')
  try {
    await oclif.run(argv, binUrl)
    await flushStdout()
  } catch (error) {
    await oclif.handle(error as Error)
  }
}

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
  // `lode artifacts --json` (a topic, or nothing, with --json): a script asking for JSON gets the error envelope, not help
  const words = argv.filter((a) => a !== '--json')
  if (words.length < argv.length && words.length <= 1) {
    const {readFileSync} = await import('./lib/util/fs.ts')
    const topics = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {oclif: {topics: Record<string, unknown>}}).oclif.topics
    if (words.length === 0 || Object.hasOwn(topics, words[0]!)) {
      const [{UserError}, {errorJson, jsonEnvelopeText}] = await Promise.all([import('./lib/errors.ts'), import('./lib/command-output.ts')])
      const named = words.length ? `lode ${words[0]}` : 'lode'
      const message = words.length ? `"${named}" is a group of commands: name one to get its --json answer.` : 'Name a command to get its --json answer.'
      process.stdout.write(jsonEnvelopeText({ok: false, error: errorJson(new UserError(message, `See: ${named} --help`))}))
      process.exitCode = 2
      return
    }
  }
  const oclif = await import('#oclif')
  try {
    await oclif.run(argv, binUrl)
    await flushStdout()
  } catch (error) {
    await oclif.handle(error as Error)
  }
}

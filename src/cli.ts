// Entry point of bin/run.js, which answers `--version` itself and runs `log artifact|result` with plain arguments from
// a smaller file (cli-log.ts). `run`, `runs ls` and `artifacts get` with plain arguments (lib/lean-commands.ts) are
// answered without loading oclif, to keep them near Node's start-up cost.
import {resolve} from 'node:path'
import {leanFlags, type ManifestFlag} from './lib/lean-argv.ts'
import {exitOnUnhandledSignals} from './lib/executor/interrupt.ts'

/**
 * The handler file (absolute) of `lode run FILE[#HANDLER] ...`, when it is TypeScript, JavaScript or Python: its
 * runner can start while lode loads (spawn.ts, prestartRunner). Flags are told apart from the function by the run
 * command's flags in the manifest. A wrong guess costs only a runner that no run takes.
 */
function handlerOf(args: string[], flags: ManifestFlag[]): {file: string; kind: 'node' | 'python'; python?: string} | null {
  if (args.some((a) => a === '--help' || a === '-h' || a === '--')) return null
  // a cluster job starts its runner on a node: one started here would only take a core from lode
  if (args.some((a) => a === '--runtime' || (a.startsWith('--runtime=') && a !== '--runtime=local'))) return null
  const takesValue = new Set(flags.filter((f) => f.type === 'option').flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]))
  let kind: string | undefined
  let python: string | undefined
  let file: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--kind' || arg === '--python') {
      if (arg === '--kind') kind = args[i + 1]
      else python = args[i + 1]
      i++
    } else if (arg.startsWith('--kind=')) kind = arg.slice(7)
    else if (arg.startsWith('--python=')) python = arg.slice(9)
    else if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++
    } else if (file === undefined) file = arg
  }
  const m = file === undefined ? null : /^([^:]*\.(m?[tj]s|py))(#[^#]*)?$/.exec(file)
  if (!m) return null
  const found = m[2] === 'py' ? 'python' : 'node'
  if (kind !== undefined && kind !== found) return null
  return {file: resolve(m[1]!), kind: found, ...(found === 'python' && python !== undefined ? {python} : {})}
}

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
  // oclif reads LODE_CONTENT_TYPE=json as --json: the lean paths leave that to it
  const lean = !process.env.LODE_CONTENT_TYPE
  if (lean && argv[0] === 'run') {
    const defs = leanFlags('run')
    const handler = handlerOf(argv.slice(1), defs)
    if (handler) (await import('./lib/executor/spawn.ts')).prestartRunner(handler.file, handler.kind, {python: handler.python})
    if (await (await import('./lib/lean-commands.ts')).leanRun(argv.slice(1), defs)) return
  }
  if (lean && argv[0] === 'runs' && argv[1] === 'ls' && (await (await import('./lib/lean-commands.ts')).leanRunsLs(argv.slice(2), leanFlags('runs:ls')))) return
  if (lean && argv[0] === 'artifacts' && argv[1] === 'get' && (await (await import('./lib/lean-commands.ts')).leanArtifactsGet(argv.slice(2), leanFlags('artifacts:get')))) return
  const oclif = await import('#oclif')
  try {
    await oclif.run(argv, binUrl)
    await flushStdout()
  } catch (error) {
    await oclif.handle(error as Error)
  }
}
